package dev.meld.node.store;

/**
 * What a caller of {@link StoreBatch} knows a record or piece holds in the store before the batch:
 * a value, or {@link #ABSENT}. A commit has to know each written key's value before it, so that a
 * write that changes nothing writes nothing (and a record that appears or goes moves the key
 * count); given this, it takes it instead of reading the store, which was most of a commit's cost
 * (two of the three store reads of a new set member, one per counter).
 *
 * <p>Only a caller that is the store's one writer of that key, and saw what it holds since the
 * last commit that wrote it, may say so: the value is trusted, not checked. A wrong one could
 * leave a piece that should have been deleted, or miscount keys.
 */
public final class Committed {

  /** The key holds nothing. */
  public static final Committed ABSENT = new Committed(null);

  private final byte[] value;

  private Committed(byte[] value) {
    this.value = value;
  }

  /** The key holds {@code value} (not copied: the caller must not change it); null is absent. */
  public static Committed of(byte[] value) {
    return value == null ? ABSENT : new Committed(value);
  }

  /** The value held, or null if absent. */
  byte[] value() {
    return value;
  }
}
