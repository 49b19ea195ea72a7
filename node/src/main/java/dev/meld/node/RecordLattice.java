package dev.meld.node;

import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.CrdtType;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;

/**
 * The lattice of a node's records: the ordinal sum of the PN-counter, the OR-set of byte strings
 * and the LWW register of byte strings, ordered by type tag. Joining two states of one type is that
 * type's merge; joining states of two types keeps the one with the higher tag (counter {@code 0x02}
 * &lt; set {@code 0x03} &lt; register {@code 0x04}) and drops the other.
 *
 * <p>Why an ordinal sum: a node refuses a write of another type to a key it holds ({@code
 * WRONGTYPE}), but two nodes that have not heard of each other's write can still create one key as
 * two types. Every replica must then pick the same survivor whatever order the states arrive in,
 * and an ordinal sum of lattices is again a lattice (commutative, associative, idempotent). The
 * losing type's writes are dropped, on every replica alike.
 */
final class RecordLattice {

  private final DecodeLimits limits;

  RecordLattice(DecodeLimits limits) {
    this.limits = limits;
  }

  DecodeLimits limits() {
    return limits;
  }

  /**
   * Decodes a record or delta.
   *
   * @throws CrdtDecodeException if {@code bytes} is not a canonical counter, set or register
   */
  Crdt<?> decode(byte[] bytes) {
    Crdt<?> state = CrdtCodec.decode(bytes, limits);
    if (state.type() == CrdtType.GCOUNTER) {
      throw new CrdtDecodeException(
          "record type: GCOUNTER (expected: PNCOUNTER, ORSWOT or LWW_REGISTER)");
    }
    return state;
  }

  /** The join of two encoded records, as bytes; neither input changes. For in-memory keyspaces. */
  byte[] merge(byte[] a, byte[] b) {
    return CrdtCodec.encode(join(decode(a), decode(b)).state());
  }

  /**
   * The result of joining a state into a record.
   *
   * @param state the record after the join: the old state changed in place, or the other state
   * @param changed whether the record differs from before
   */
  record Joined(Crdt<?> state, boolean changed) {}

  /**
   * Joins {@code other} into {@code current} ({@code null}: absent), which may change in place.
   * {@code other} is not changed, but may become the result.
   */
  static Joined join(Crdt<?> current, Crdt<?> other) {
    if (current == null) {
      return new Joined(other, true);
    }
    int byTag = Byte.compare(current.type().tag(), other.type().tag());
    if (byTag > 0) {
      return new Joined(current, false);
    }
    if (byTag < 0) {
      return new Joined(other, true);
    }
    return new Joined(current, mergeSameType(current, other));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean mergeSameType(Crdt<?> into, Crdt<?> other) {
    return ((Crdt) into).mergeFrom(other);
  }

  /**
   * Whether a state holds a live value, i.e. whether its key "exists" for clients: a counter with
   * an increment or decrement not cancelled by a reset, a non-empty set, a register holding a value
   * (not never-written, not a tombstone).
   */
  static boolean exists(Crdt<?> state) {
    if (state instanceof PNCounter counter) {
      if (counter.value() != 0) {
        return true;
      }
      // Value 0 can be "+1 -1" (exists) or "reset" (does not): a reset of a copy changes nothing
      // exactly when every increment and decrement is already cancelled.
      PNCounter probe = counter.copy();
      probe.reset(dev.meld.crdt.ReplicaId.of("probe"));
      return !probe.equals(counter);
    }
    if (state instanceof Orswot<?> set) {
      return !set.isEmpty();
    }
    if (state instanceof LwwRegister<?> register) {
      return register.value().isPresent();
    }
    return false;
  }

  /** The client-facing name of a record's type. */
  static String typeName(CrdtType type) {
    switch (type) {
      case PNCOUNTER:
        return "counter";
      case ORSWOT:
        return "set";
      case LWW_REGISTER:
        return "register";
      default:
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
