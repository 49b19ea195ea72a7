package dev.meld.node.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Which node names a mesh certificate vouches for. The rule: a certificate names node {@code n} by
 * a subject alternative name URI {@code meld-node:n}; a certificate with no such URI names the node
 * of its subject's common name ({@code CN=n}). DNS names and IP addresses name hosts, not nodes, and
 * never count. The handshake refuses a peer whose hello gives a name its certificate does not give,
 * so node n3's key cannot speak as n1.
 */
public final class PeerIdentity {

  /** The URI scheme of a node name in a subject alternative name. */
  public static final String URI_PREFIX = "meld-node:";

  private static final int SAN_URI = 6;

  private PeerIdentity() {}

  /** The node names {@code certificate} vouches for (empty if none). */
  public static Set<String> nodeNames(X509Certificate certificate) {
    Set<String> names = new LinkedHashSet<>();
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    if (sans != null) {
      for (List<?> san : sans) {
        if (((Integer) san.get(0)) == SAN_URI && san.get(1) instanceof String uri && uri.startsWith(URI_PREFIX)) {
          names.add(uri.substring(URI_PREFIX.length()));
        }
      }
    }
    if (names.isEmpty()) {
      String cn = commonName(certificate);
      if (cn != null) {
        names.add(cn);
      }
    }
    return Set.copyOf(names);
  }

  /** The names the first certificate of a peer's chain vouches for; empty without one. */
  public static Set<String> nodeNames(Certificate[] peerChain) {
    if (peerChain == null || peerChain.length == 0 || !(peerChain[0] instanceof X509Certificate x)) {
      return Set.of();
    }
    return nodeNames(x);
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }
}
