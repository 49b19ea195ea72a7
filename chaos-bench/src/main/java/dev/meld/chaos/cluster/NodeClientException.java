package dev.meld.chaos.cluster;

/**
 * An operation of a {@link NodeClient} that did not return a reply. Indeterminate (a timeout, a
 * lost or refused connection: it may or may not have happened; history {@code info}) or definite
 * (the node answered with an error: it did not happen; history {@code fail}).
 */
public final class NodeClientException extends RuntimeException {

  private final String node;
  private final boolean indeterminate;

  /**
   * @param node the node the client talks to
   * @param message what went wrong, e.g. {@code "INCRBY k 3: timed out after 1000 ms"}
   * @param indeterminate whether the operation may have happened
   */
  public NodeClientException(String node, String message, boolean indeterminate, Throwable cause) {
    super(node + ": " + message, cause);
    this.node = node;
    this.indeterminate = indeterminate;
  }

  /** The node the operation went to. */
  public String node() {
    return node;
  }

  /** True when the outcome is unknown (timeout, lost connection); false for an error reply. */
  public boolean indeterminate() {
    return indeterminate;
  }
}
