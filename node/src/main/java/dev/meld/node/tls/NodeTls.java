package dev.meld.node.tls;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A node's TLS settings: the mesh's files (mutual TLS between nodes), and the client port's TLS
 * listener (Redis's {@code tls-port}) with its files and whether clients must show a certificate.
 * {@link #NONE}: no TLS anywhere.
 *
 * @param mesh the mesh's certificate, key and cluster CA, or null for a mesh without TLS
 * @param clientBind where the TLS client port listens, or null for none
 * @param client the TLS client port's files (required iff {@code clientBind} is given)
 * @param authClients whether TLS clients must present a certificate signed by {@code client.ca()}
 */
public record NodeTls(
    TlsFiles mesh, InetSocketAddress clientBind, TlsFiles client, ClientTls.AuthClients authClients) {

  public static final NodeTls NONE = new NodeTls(null, null, null, ClientTls.AuthClients.OPTIONAL);

  public NodeTls {
    Objects.requireNonNull(authClients, "authClients");
    if ((clientBind == null) != (client == null)) {
      throw new IllegalArgumentException(
          clientBind == null
              ? "--tls-cert-file/--tls-key-file given without --tls-port (expected: both or neither)"
              : "--tls-port "
                  + clientBind.getPort()
                  + " given without --tls-cert-file and --tls-key-file (expected: both or neither)");
    }
  }

  /** Whether the mesh runs inside mutual TLS. */
  public boolean meshTls() {
    return mesh != null;
  }
}
