package dev.meld.node.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The client port's TLS (Redis's {@code tls-port}): the node's certificate, and whether clients
 * must present one signed by the CA ({@code --tls-auth-clients}: {@code yes}, {@code optional}, the
 * default, or {@code no}).
 */
public final class ClientTls {

  /** Redis's {@code tls-auth-clients} values. */
  public enum AuthClients {
    YES(ClientAuth.REQUIRE),
    OPTIONAL(ClientAuth.OPTIONAL),
    NO(ClientAuth.NONE);

    final ClientAuth netty;

    AuthClients(ClientAuth netty) {
      this.netty = netty;
    }

    /** {@code yes}, {@code optional} or {@code no}, any case. */
    public static AuthClients parse(String value) {
      for (AuthClients a : values()) {
        if (a.name().equalsIgnoreCase(value.trim())) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "--tls-auth-clients: " + value + " (expected: yes, optional or no)");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private ClientTls() {}

  /**
   * The client port's server context.
   *
   * @throws TlsFileException naming a file and what is wrong with it
   * @throws IllegalArgumentException if clients are to be checked and no CA is given
   */
  public static SslContext serverContext(TlsFiles files, AuthClients auth) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(auth, "auth");
    if (auth != AuthClients.NO && files.ca() == null) {
      throw new IllegalArgumentException(
          files.flags().ca()
              + ": missing (expected: the CA of client certificates, since --tls-auth-clients is "
              + auth
              + "; or --tls-auth-clients no)");
    }
    TlsFiles.Loaded m = files.load(Instant.now());
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(m.key(), m.chain().toArray(new X509Certificate[0]))
              .sslProvider(SslProvider.JDK)
              .protocols(MeshTls.PROTOCOLS)
              .clientAuth(auth.netty);
      if (m.trusted() != null) {
        b.trustManager(m.trusted().toArray(new X509Certificate[0]));
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          files.flags().certificate() + " " + files.certificate() + ": cannot build a TLS context (" + e.getMessage() + ")",
          e);
    }
  }
}
