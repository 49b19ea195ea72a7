package dev.meld.node.store;

/**
 * What one origin's replication log holds: exactly the entries {@code trimmedThrough + 1 .. head},
 * with no gaps. {@code head} is the highest sequence number ever appended (0 if none) and survives
 * trimming and restarts.
 */
public record LogBounds(long trimmedThrough, long head) {

  /** Bounds of an origin that never appended anything. */
  public static final LogBounds NONE = new LogBounds(0, 0);

  /** The number of entries still retained. */
  public long retained() {
    return head - trimmedThrough;
  }
}
