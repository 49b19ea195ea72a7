package dev.meld.node.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM certificate chains and private keys (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA
 * PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}) with Bouncy Castle's parser and the JDK's own key
 * factories (no provider is registered). Every failure is a {@link TlsFileException} naming the file
 * and what is wrong with it.
 */
public final class PemFiles {

  private static final byte[] PROBE = "meld: does this key match its certificate?".getBytes(StandardCharsets.US_ASCII);

  private PemFiles() {}

  /**
   * The certificates in {@code file}, in file order (a chain: the leaf first).
   *
   * @param what what the file is for, as errors name it ({@code --mesh-tls-cert})
   */
  public static List<X509Certificate> certificates(String what, Path file) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : objects(what, file)) {
      if (!(o instanceof X509CertificateHolder holder)) {
        throw new TlsFileException(
            what, file, "holds a " + describe(o) + " (expected: only CERTIFICATE blocks)");
      }
      try {
        out.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new TlsFileException(what, file, "holds a certificate the JDK cannot read (" + e.getMessage() + ")");
      }
    }
    if (out.isEmpty()) {
      throw new TlsFileException(what, file, "holds no certificate (expected: -----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  /** The one private key in {@code file}. */
  public static PrivateKey privateKey(String what, Path file) {
    List<Object> objects = objects(what, file);
    if (objects.size() != 1) {
      throw new TlsFileException(
          what, file, "holds " + objects.size() + " PEM blocks (expected: exactly one private key)");
    }
    Object o = objects.get(0);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        // A SEC1 key may omit its public key; then only the private part can be converted.
        return pair.getPublicKeyInfo() != null
            ? converter.getKeyPair(pair).getPrivate()
            : converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException e) {
      throw new TlsFileException(what, file, "holds a key the JDK cannot read (" + e.getMessage() + ")");
    }
    throw new TlsFileException(
        what,
        file,
        "holds a "
            + describe(o)
            + " (expected: an unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /**
   * Checks that {@code key} belongs to {@code certificate} by signing a probe with it and verifying
   * the signature with the certificate's public key.
   */
  public static void checkKeyMatches(Path keyFile, PrivateKey key, Path certFile, X509Certificate certificate) {
    PublicKey pub = certificate.getPublicKey();
    String algorithm = signatureAlgorithm(key.getAlgorithm());
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(PROBE);
      matches = key.getAlgorithm().equals(pub.getAlgorithm()) && verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsFileException(
          "private key",
          keyFile,
          "does not match the certificate in " + certFile + " (" + certificate.getSubjectX500Principal().getName() + ")");
    }
  }

  /** Checks that {@code certificate} (from {@code file}) is valid at {@code now}. */
  public static void checkValidity(String what, Path file, X509Certificate certificate, Instant now) {
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new TlsFileException(
          what,
          file,
          "certificate "
              + certificate.getSubjectX500Principal().getName()
              + " expired at "
              + certificate.getNotAfter().toInstant()
              + " (expected: valid now, "
              + now
              + ")");
    } catch (CertificateNotYetValidException e) {
      throw new TlsFileException(
          what,
          file,
          "certificate "
              + certificate.getSubjectX500Principal().getName()
              + " is not valid before "
              + certificate.getNotBefore().toInstant()
              + " (expected: valid now, "
              + now
              + ")");
    }
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    switch (keyAlgorithm) {
      case "RSA":
        return "SHA256withRSA";
      case "EC":
        return "SHA256withECDSA";
      case "Ed25519":
      case "EdDSA":
        return "Ed25519";
      default:
        return "SHA256with" + keyAlgorithm;
    }
  }

  private static List<Object> objects(String what, Path file) {
    List<Object> out = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        out.add(o);
      }
    } catch (NoSuchFileException e) {
      throw new TlsFileException(what, file, "no such file");
    } catch (IOException | RuntimeException e) {
      throw new TlsFileException(what, file, "is not PEM (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw new TlsFileException(what, file, "is not PEM (expected: -----BEGIN ...----- blocks)");
    }
    return out;
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : o.getClass().getSimpleName();
  }
}
