package dev.meld.node.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK {@link SSLContext} for a tool or test client of the TLS client port (Jedis and the like
 * take its socket factory): it trusts the certificates in a CA file and, if given, presents a client
 * certificate ({@code client.pem} and {@code client-key.pem} from {@code meld-node certs}).
 */
public final class ClientSsl {

  private ClientSsl() {}

  /**
   * @param ca the CA file the server's certificate must chain to
   * @param certificate the client's certificate chain, or null to present none
   * @param key the client's private key (with {@code certificate})
   * @throws TlsFileException naming a file and what is wrong with it
   */
  public static SSLContext context(Path ca, Path certificate, Path key) {
    char[] none = new char[0];
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, none);
      int i = 0;
      for (X509Certificate c : PemFiles.certificates("CA", ca)) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      KeyManagerFactory kmf = null;
      if (certificate != null) {
        TlsFiles.Loaded own =
            new TlsFiles(certificate, key, null, new TlsFiles.Flags("client certificate", "client key", "CA"))
                .load(Instant.now());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, none);
        List<X509Certificate> chain = own.chain();
        PrivateKey privateKey = own.key();
        keys.setKeyEntry("client", privateKey, none, chain.toArray(new X509Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, none);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a client TLS context: " + e.getMessage(), e);
    }
  }
}
