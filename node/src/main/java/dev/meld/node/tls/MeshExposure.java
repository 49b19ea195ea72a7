package dev.meld.node.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The start-up rule of the mesh port: a mesh that binds beyond loopback must have credentials
 * (mutual TLS, or a cluster secret, under which every frame is authenticated), unless the operator
 * says {@code --insecure-mesh}. Without credentials anyone who can reach the port and guess the
 * cluster's name joins the cluster and writes into it.
 */
public final class MeshExposure {

  private MeshExposure() {}

  /** Whether {@code bind} is reachable beyond this host (a wildcard or any non-loopback address). */
  public static boolean beyondLoopback(InetSocketAddress bind) {
    InetAddress address = bind.getAddress();
    return address == null || !address.isLoopbackAddress();
  }

  /**
   * Checks the rule.
   *
   * @param bind the resolved mesh bind address
   * @return whether the mesh is reachable beyond loopback without credentials (allowed only because
   *     {@code insecure} is set; the caller warns)
   * @throws IllegalStateException if the mesh binds beyond loopback with no credentials and
   *     {@code insecure} is not set
   */
  public static boolean check(InetSocketAddress bind, boolean tls, boolean secret, boolean insecure) {
    if (!beyondLoopback(bind) || tls || secret) {
      return false;
    }
    if (!insecure) {
      throw new IllegalStateException(
          "mesh bind "
              + (bind.getAddress() == null ? bind.getHostString() : bind.getAddress().getHostAddress())
              + ":"
              + bind.getPort()
              + " is reachable beyond loopback and has no credentials (expected:"
              + " --mesh-tls-cert/--mesh-tls-key/--mesh-tls-ca, or --cluster-secret, or"
              + " --insecure-mesh)");
    }
    return true;
  }
}
