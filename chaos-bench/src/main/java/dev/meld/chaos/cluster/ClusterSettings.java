package dev.meld.chaos.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings a {@link NamedNodeCluster} reads whatever its backend: names, where logs go, and how
 * long each wait may take. Each backend's config record implements it with its own accessors.
 */
public interface ClusterSettings {

  /** Node data, logs and clock files go to {@code outDir/nodes/<name>/}; the fault log too. */
  Path outDir();

  /** How many names are reserved for nodes that join later. */
  int spares();

  /** The names of the first nodes: {@code n1 .. nN}. */
  List<String> initialNames();

  /** The names reserved for nodes that join later. */
  List<String> spareNames();

  /** The first nodes' names, then the spares'. */
  List<String> allNames();

  /** How long a start or restart waits for {@code /ready}. */
  Duration readyTimeout();

  /** A client operation's default timeout. */
  Duration opTimeout();

  /** How long an admin request may take. */
  Duration adminTimeout();

  /** How long a SIGTERM waits for the node to drain and exit. */
  Duration stopTimeout();

  /** How long a mesh fault or a membership change waits for the nodes to see it. */
  Duration viewTimeout();

  /** How far a node's clock may be from the offset asked for. */
  Duration clockTolerance();

  /**
   * Whether nodes run with mesh TLS and a TLS client port, their certificates in {@link
   * #certsDir()}; the bench's clients then speak TLS with the tool certificate.
   */
  default boolean tls() {
    return false;
  }

  /** Where a TLS cluster's certificates are: {@code outDir/certs}. */
  default Path certsDir() {
    return outDir().resolve("certs");
  }
}
