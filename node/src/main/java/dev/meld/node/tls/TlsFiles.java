package dev.meld.node.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a port's TLS credentials live: its certificate chain, its private key, and the CA whose
 * certificates it trusts (null: trust no peer certificate, for a client port that asks for none).
 * {@link #load} reads and checks them all.
 *
 * @param flags the option names for cert, key and CA, as errors name them
 */
public record TlsFiles(Path certificate, Path privateKey, Path ca, Flags flags) {

  /** The option names of a port's three files. */
  public record Flags(String certificate, String privateKey, String ca) {
    public static final Flags MESH = new Flags("--mesh-tls-cert", "--mesh-tls-key", "--mesh-tls-ca");
    public static final Flags CLIENT =
        new Flags("--tls-cert-file", "--tls-key-file", "--tls-ca-cert-file");
  }

  public TlsFiles {
    Objects.requireNonNull(certificate, flags.certificate());
    Objects.requireNonNull(privateKey, flags.privateKey());
    Objects.requireNonNull(flags, "flags");
  }

  /** What the files hold, checked. */
  public record Loaded(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted) {}

  /**
   * Reads the files and checks them: each is PEM, the key matches the chain's first certificate,
   * and every certificate is valid at {@code now}.
   *
   * @throws TlsFileException naming the file and the problem
   */
  public Loaded load(Instant now) {
    List<X509Certificate> chain = PemFiles.certificates(flags.certificate(), certificate);
    for (X509Certificate c : chain) {
      PemFiles.checkValidity(flags.certificate(), certificate, c, now);
    }
    PrivateKey key = PemFiles.privateKey(flags.privateKey(), privateKey);
    PemFiles.checkKeyMatches(privateKey, key, certificate, chain.get(0));
    List<X509Certificate> trusted = null;
    if (ca != null) {
      trusted = PemFiles.certificates(flags.ca(), ca);
      for (X509Certificate c : trusted) {
        PemFiles.checkValidity(flags.ca(), ca, c, now);
      }
    }
    return new Loaded(List.copyOf(chain), key, trusted == null ? null : List.copyOf(trusted));
  }
}
