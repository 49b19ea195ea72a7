package dev.meld.node.store;

/** One physical change an {@link Engine} applies as part of an atomic write. */
sealed interface Change {

  Space space();

  record Put(Space space, byte[] key, byte[] value) implements Change {}

  record Delete(Space space, byte[] key) implements Change {}

  /** Deletes every key in {@code [fromInclusive, toExclusive)}. */
  record DeleteRange(Space space, byte[] fromInclusive, byte[] toExclusive) implements Change {
    public DeleteRange {
      java.util.Objects.requireNonNull(fromInclusive, "fromInclusive");
      java.util.Objects.requireNonNull(toExclusive, "toExclusive");
    }
  }
}
