package dev.meld.node.identity;

import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Who a node is: its name plus its current incarnation, and why that incarnation was chosen.
 *
 * <p><b>A (replica, counter) pair is never reused.</b> A node whose state is not provably intact
 * must not go on counting where its old self left off, or peers that saw the lost writes would
 * swallow the new ones (Riak's kv679). So {@link #open} keeps the stored incarnation only after a
 * clean close, and takes a new one for a fresh store, a store whose last session was killed, a
 * store that lost acknowledged writes (opened with the loss accepted), and a store an operator
 * marked as restored from a backup (see {@code RocksRecordStore.markRestored}).
 * New incarnations are unique even against incarnations created after the backup was taken; the
 * argument is in {@code Incarnations}.
 *
 * @param nodeName the node's configured name
 * @param incarnation the incarnation this session acts under (unsigned 64-bit)
 * @param generation how many incarnations this store's history has taken, 1 for the first
 * @param reason why this incarnation: kept, or new and why
 */
public record Identity(String nodeName, long incarnation, long generation, Reason reason) {

  /** The meta name under which the identity is stored. */
  public static final String META_NAME = "meld.identity";

  /** Why {@link #open} chose the incarnation it did. */
  public enum Reason {
    /** The store was closed cleanly: the stored incarnation is kept. */
    KEPT,
    /** There was no identity in the store (new or wiped): a first incarnation. */
    FRESH,
    /** The last session was killed before a clean close: a new incarnation. */
    UNCLEAN,
    /** The store was marked as a restored copy: a new incarnation. */
    RESTORED,
    /**
     * The store lost acknowledged writes and was opened with the loss accepted: a new incarnation,
     * since peers may hold dots of the lost writes under the old one.
     */
    DAMAGED;

    /** Whether this reason means a new incarnation. */
    public boolean isNew() {
      return this != KEPT;
    }
  }

  public Identity {
    Objects.requireNonNull(reason, "reason");
    new Origin(nodeName, incarnation); // checks the name
  }

  /** The origin (name and incarnation) this node's log entries and dots are attributed to. */
  public Origin origin() {
    return new Origin(nodeName, incarnation);
  }

  /**
   * Decides this session's identity for {@code nodeName} on {@code store} and persists it (with
   * fsync) before returning. Calling it again in the same store session returns the same identity.
   *
   * @param clock wall time, for the incarnation stamp (the simulator passes virtual time)
   * @param random source of the incarnation's random bits (the simulator passes a seeded one)
   * @throws IllegalStateException if the store holds another node's identity, or a corrupt one
   */
  public static Identity open(
      RecordStore store, String nodeName, InstantSource clock, RandomGenerator random) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    new Origin(nodeName, 0); // checks the name before anything is read
    Optional<StoredIdentity> stored = store.meta(META_NAME).map(StoredIdentity::decode);
    if (stored.isPresent() && !stored.get().nodeName().equals(nodeName)) {
      throw new IllegalStateException(
          "store identity: node '"
              + stored.get().nodeName()
              + "' (expected: '"
              + nodeName
              + "'); a node never adopts another node's store");
    }
    if (stored.isPresent() && stored.get().session() == store.session()) {
      return of(stored.get());
    }
    Reason reason = reasonFor(store, stored.isPresent());
    if (!reason.isNew()) {
      StoredIdentity kept = stored.orElseThrow();
      return new Identity(nodeName, kept.incarnation(), kept.generation(), Reason.KEPT);
    }
    long previous = stored.map(StoredIdentity::incarnation).orElse(0L);
    long generation = stored.map(StoredIdentity::generation).orElse(0L) + 1;
    long incarnation = Incarnations.next(previous, clock.millis(), random);
    StoredIdentity chosen =
        new StoredIdentity(nodeName, incarnation, generation, store.session(), reason);
    StoreBatch batch = store.newBatch().putMeta(META_NAME, chosen.encode()).syncOnCommit();
    store.commit(batch);
    return of(chosen);
  }

  private static Reason reasonFor(RecordStore store, boolean hasIdentity) {
    switch (store.priorShutdown()) {
      case CLEAN:
        return hasIdentity ? Reason.KEPT : Reason.FRESH;
      case UNCLEAN:
        return hasIdentity ? Reason.UNCLEAN : Reason.FRESH;
      case RESTORED:
        return Reason.RESTORED;
      case DAMAGED:
        return Reason.DAMAGED;
      case FRESH:
      default:
        return Reason.FRESH;
    }
  }

  private static Identity of(StoredIdentity s) {
    return new Identity(s.nodeName(), s.incarnation(), s.generation(), s.reason());
  }

  @Override
  public String toString() {
    return origin() + " (generation " + generation + ", " + reason + ")";
  }
}
