package dev.meld.node.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The mesh's mutual TLS: a server context for accepted connections and a client context for dialed
 * ones, both presenting this node's certificate and both requiring the peer's certificate to chain
 * to the cluster CA. TLS 1.3, or 1.2 where a peer cannot do 1.3; the JDK's provider.
 *
 * <p>Host names are not verified (peers are dialed by address, often through proxies); what a
 * certificate must match is the node name the peer's hello gives ({@link PeerIdentity}), which the
 * handshake checks.
 */
public final class MeshTls {

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SslContext server;
  private final SslContext client;
  private final String subject;

  private MeshTls(SslContext server, SslContext client, String subject) {
    this.server = server;
    this.client = client;
    this.subject = subject;
  }

  /**
   * Loads {@code files} (certificate, key and CA are all required) and builds both contexts.
   *
   * @throws TlsFileException naming a file and what is wrong with it
   */
  public static MeshTls load(TlsFiles files) {
    Objects.requireNonNull(files, "files");
    if (files.ca() == null) {
      throw new IllegalArgumentException(
          files.flags().ca() + ": missing (expected: the cluster CA's certificate, PEM)");
    }
    TlsFiles.Loaded m = files.load(Instant.now());
    X509Certificate[] chain = m.chain().toArray(new X509Certificate[0]);
    X509Certificate[] trusted = m.trusted().toArray(new X509Certificate[0]);
    try {
      SslContext server =
          SslContextBuilder.forServer(m.key(), chain)
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .trustManager(trusted)
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      SslContext client =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .keyManager(m.key(), chain)
              .trustManager(trusted)
              .endpointIdentificationAlgorithm(null)
              .build();
      return new MeshTls(server, client, chain[0].getSubjectX500Principal().getName());
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          files.flags().certificate() + " " + files.certificate() + ": cannot build a TLS context (" + e.getMessage() + ")",
          e);
    }
  }

  /** Convenience for {@code load(new TlsFiles(cert, key, ca, Flags.MESH))}. */
  public static MeshTls load(Path certificate, Path key, Path ca) {
    return load(new TlsFiles(certificate, key, ca, TlsFiles.Flags.MESH));
  }

  /** The context of connections this node accepts. */
  public SslContext server() {
    return server;
  }

  /** The context of connections this node dials. */
  public SslContext client() {
    return client;
  }

  @Override
  public String toString() {
    return "MeshTls[" + subject + "]";
  }
}
