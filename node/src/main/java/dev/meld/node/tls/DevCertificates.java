package dev.meld.node.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development CA and certificates signed by it, written as PEM files: {@code ca.pem} and {@code
 * ca-key.pem}; per node {@code NAME.pem} and {@code NAME-key.pem} (subject {@code CN=NAME}, SANs
 * {@code URI:meld-node:NAME}, {@code DNS:NAME} and every given host, for both server and client
 * authentication, so one pair serves the mesh and the client port); and {@code client.pem} and
 * {@code client-key.pem} for tools ({@code redis-cli --tls --cert --key --cacert}). Keys are ECDSA
 * P-256, PKCS#8, written with permissions 0600. Nothing is overwritten: if any target exists,
 * nothing is written.
 *
 * <p>For development and tests: the CA key sits next to the certificates it signed.
 */
public final class DevCertificates {

  /** The name of the tool certificate's files and of its subject. */
  public static final String CLIENT = "client";

  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final SecureRandom random = new SecureRandom();
  private final Instant now;
  private final Duration validity;

  /** Certificates valid from an hour before {@code now} (clock skew) for {@code validity}. */
  public DevCertificates(Instant now, Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity: " + validity + " (expected: > 0)");
    }
    this.now = now;
    this.validity = validity;
  }

  /**
   * Writes the CA, one pair per node of {@code nodes} and the client pair into {@code dir}
   * (created if missing) and returns the files written.
   *
   * @throws IllegalArgumentException for a bad node name or host, or if a target file exists
   * @throws UncheckedIOException if a file cannot be written
   */
  public List<Path> write(Path dir, List<String> nodes, List<String> hosts) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: none (expected: at least one node name)");
    }
    for (String n : nodes) {
      if (!DNS_LABEL.matcher(n).matches() || n.equals(CLIENT) || n.equals("ca")) {
        throw new IllegalArgumentException(
            "node name: \"" + n + "\" (expected: letters, digits and '-', not 'ca' or 'client')");
      }
    }
    Map<Path, String> files = new LinkedHashMap<>();
    try {
      KeyPair caKeys = keyPair();
      X500Name caName = new X500Name("CN=Meld development CA,O=Meld");
      X509Certificate ca = caCertificate(caName, caKeys);
      files.put(dir.resolve("ca.pem"), pem(ca));
      files.put(dir.resolve("ca-key.pem"), pem(caKeys));
      for (String node : nodes) {
        KeyPair keys = keyPair();
        files.put(dir.resolve(node + ".pem"), pem(leaf(node, hosts, keys, caName, caKeys, ca, true)));
        files.put(dir.resolve(node + "-key.pem"), pem(keys));
      }
      KeyPair clientKeys = keyPair();
      files.put(dir.resolve(CLIENT + ".pem"), pem(leaf(CLIENT, List.of(), clientKeys, caName, caKeys, ca, false)));
      files.put(dir.resolve(CLIENT + "-key.pem"), pem(clientKeys));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
    }
    for (Path p : files.keySet()) {
      if (Files.exists(p)) {
        throw new IllegalArgumentException(p + ": exists (expected: a new file; nothing was written)");
      }
    }
    try {
      Files.createDirectories(dir);
      for (Map.Entry<Path, String> e : files.entrySet()) {
        write(e.getKey(), e.getValue(), e.getKey().getFileName().toString().endsWith("-key.pem"));
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(e.getFile() + ": exists (expected: a new file)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates into " + dir + ": " + e.getMessage(), e);
    }
    return List.copyOf(files.keySet());
  }

  private static void write(Path file, String text, boolean secret) throws IOException {
    boolean posix = Files.getFileAttributeView(file.getParent(), java.nio.file.attribute.PosixFileAttributeView.class) != null;
    if (posix) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private X509Certificate caCertificate(X500Name name, KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b = builder(name, name, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(b, keys);
  }

  private X509Certificate leaf(
      String name, List<String> hosts, KeyPair keys, X500Name caName, KeyPair caKeys, X509Certificate ca, boolean node)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> sans = new ArrayList<>();
    if (node) {
      sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, PeerIdentity.URI_PREFIX + name));
      sans.add(new GeneralName(GeneralName.dNSName, name));
    }
    for (String h : hosts) {
      sans.add(host(h));
    }
    X509v3CertificateBuilder b =
        builder(new X500Name("CN=" + name + ",O=Meld"), caName, keys)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                node
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
            .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca))
            .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    if (!sans.isEmpty()) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
    }
    return sign(b, caKeys);
  }

  private static GeneralName host(String h) {
    String host = h.trim();
    if (IP_LITERAL.matcher(host).matches()) {
      try {
        InetAddress.getByName(host); // a literal: no lookup
      } catch (IOException e) {
        throw new IllegalArgumentException("host: \"" + h + "\" (expected: an IP address or a DNS name)");
      }
      return new GeneralName(GeneralName.iPAddress, host);
    }
    for (String label : host.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("host: \"" + h + "\" (expected: an IP address or a DNS name)");
      }
    }
    return new GeneralName(GeneralName.dNSName, host);
  }

  private X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(validity)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  private static String pem(Object o) throws CertIOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (o instanceof KeyPair k) {
        w.writeObject(new JcaPKCS8Generator(k.getPrivate(), null));
      } else {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new CertIOException("cannot write PEM: " + e.getMessage(), e);
    }
    return out.toString();
  }
}
