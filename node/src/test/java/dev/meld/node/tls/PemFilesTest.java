package dev.meld.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key formats, validity and identity of certificate files, each failure naming file and problem. */
class PemFilesTest {

  @TempDir Path dir;

  private static String legacyPem(PrivateKey key) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(key); // RSA: "RSA PRIVATE KEY" (PKCS#1)
    }
    return out.toString();
  }

  @Test
  void pkcs1RsaKeysAreReadAndCheckedAgainstTheCertificate() throws Exception {
    new DevCertificates(Instant.now(), Duration.ofDays(1)).write(dir, List.of("n1"), List.of());
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), legacyPem(pair.getPrivate()));
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(PemFiles.privateKey("key", pkcs1).getAlgorithm()).isEqualTo("RSA");
    assertThatThrownBy(
            () ->
                PemFiles.checkKeyMatches(
                    pkcs1, PemFiles.privateKey("key", pkcs1), dir.resolve("n1.pem"),
                    PemFiles.certificates("cert", dir.resolve("n1.pem")).get(0)))
        .hasMessageStartingWith("private key " + pkcs1 + ": does not match the certificate in " + dir.resolve("n1.pem"));
  }

  @Test
  void expiredAndNotYetValidCertificatesAreRefusedWithTheirDates() {
    Path old = dir.resolve("old");
    new DevCertificates(Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(1)).write(old, List.of("n1"), List.of());
    assertThatThrownBy(() -> MeshTls.load(old.resolve("n1.pem"), old.resolve("n1-key.pem"), old.resolve("ca.pem")))
        .isInstanceOf(TlsFileException.class)
        .hasMessageContaining("--mesh-tls-cert " + old.resolve("n1.pem") + ": certificate O=Meld,CN=n1 expired at ")
        .hasMessageContaining("(expected: valid now, ");
    Path future = dir.resolve("future");
    new DevCertificates(Instant.now().plus(Duration.ofDays(30)), Duration.ofDays(1)).write(future, List.of("n1"), List.of());
    assertThatThrownBy(() -> MeshTls.load(future.resolve("n1.pem"), future.resolve("n1-key.pem"), future.resolve("ca.pem")))
        .hasMessageContaining("is not valid before ");
  }

  @Test
  void aKeyFileHoldingACertificateAndACertFileHoldingAKeyAreNamed() {
    new DevCertificates(Instant.now(), Duration.ofDays(1)).write(dir, List.of("n1"), List.of());
    assertThatThrownBy(() -> PemFiles.privateKey("--mesh-tls-key", dir.resolve("n1.pem")))
        .hasMessageStartingWith("--mesh-tls-key " + dir.resolve("n1.pem") + ": holds a X509CertificateHolder (expected: an unencrypted PRIVATE KEY");
    assertThatThrownBy(() -> PemFiles.certificates("--mesh-tls-cert", dir.resolve("n1-key.pem")))
        .hasMessageStartingWith("--mesh-tls-cert " + dir.resolve("n1-key.pem") + ": holds a PrivateKeyInfo (expected: only CERTIFICATE blocks)");
  }

  @Test
  void aNodeCertificateNamesItsNodeByUriAndTheToolCertificateByItsCommonName() {
    new DevCertificates(Instant.now(), Duration.ofDays(1)).write(dir, List.of("n1"), List.of("127.0.0.1", "db.example"));
    assertThat(PeerIdentity.nodeNames(PemFiles.certificates("c", dir.resolve("n1.pem")).get(0))).containsExactly("n1");
    assertThat(PeerIdentity.nodeNames(PemFiles.certificates("c", dir.resolve("client.pem")).get(0))).containsExactly("client");
  }
}
