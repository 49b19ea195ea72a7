package dev.meld.chaos.cluster;

/** A node's admin endpoint did not answer (down, paused, refusing) or answered nonsense. */
public final class NodeUnreachable extends Exception {

  private final String node;

  public NodeUnreachable(String node, String message, Throwable cause) {
    super(node + ": " + message, cause);
    this.node = node;
  }

  /** The node that did not answer. */
  public String node() {
    return node;
  }
}
