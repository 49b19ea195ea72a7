package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtType;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HlcTimestamp;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.node.WritePath.Slot;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs client commands against the write path: checks the key, the type and the limits, applies the
 * type's mutator, and stages the record with a log entry carrying the delta. Commands that change
 * nothing stage nothing and answer with the current log head as their sequence number.
 *
 * <p>Adding an element that is already present still re-dots it (a new dot replaces the ones this
 * node observed) and so writes and replicates: the add must win over a concurrent remove elsewhere
 * that observed only the older dots, as an add-wins set promises. Removing an absent element,
 * clearing an empty set, deleting an absent register and resetting an absent counter change
 * nothing.
 */
final class CommandExecutor {

  private static final String COUNTER = "counter";
  private static final String SET = "set";
  private static final String REGISTER = "register";

  private final ReplicaConfig config;
  private final WritePath writes;
  private final ReplicationLog log;
  private final HybridLogicalClock hlc;
  private final ReplicaId self;
  private final Origin origin;
  private final Metrics metrics;

  CommandExecutor(
      ReplicaConfig config,
      WritePath writes,
      ReplicationLog log,
      HybridLogicalClock hlc,
      ReplicaId self,
      Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.writes = writes;
    this.log = log;
    this.hlc = hlc;
    this.self = self;
    this.origin = new Origin(self.node(), self.incarnation());
  }

  /** A command refused after its key was read: nothing was staged. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Reply.Error reply;

    Refused(Reply.Code code, String message) {
      super(message, null, false, false);
      this.reply = new Reply.Error(code, message);
    }
  }

  /** Executes {@code command}; {@code draining} refuses writes. */
  Reply execute(Command command, boolean draining) {
    try {
      if (!(command instanceof Command.Keyed keyed)) {
        return Reply.Int.of(writes.liveKeys()); // KeyCount, the one command without a key
      }
      Bytes key = keyed.key();
      if (ReservedKeys.isReserved(key)) {
        metrics.error("reserved-key-command");
        return new Reply.Error(
            Reply.Code.RESERVED,
            "key: "
                + key
                + " is reserved for the node's internal records (expected: a key not starting with"
                + " 0x006d656c643a, \"\\0meld:\")");
      }
      if (key.length() > config.maxKeyBytes()) {
        return tooLarge("key length", key.length(), config.maxKeyBytes());
      }
      if (command.isWrite() && draining) {
        return new Reply.Error(Reply.Code.READONLY, "node is draining; writes refused");
      }
      Slot slot = writes.load(key);
      return dispatch(command, slot);
    } catch (Refused refused) {
      return refused.reply;
    }
  }

  private Reply dispatch(Command c, Slot slot) {
    if (c instanceof Command.TypeOf) {
      return new Reply.TypeName(exists(slot) ? RecordLattice.typeName(type(slot)) : "none");
    }
    if (c instanceof Command.Exists) {
      return Reply.Int.of(exists(slot) ? 1 : 0);
    }
    if (c instanceof Command.Delete) {
      return delete(slot);
    }
    if (c instanceof Command.Increment inc) {
      return count(slot, inc.amount());
    }
    if (c instanceof Command.Decrement dec) {
      if (dec.amount() == Long.MIN_VALUE) {
        throw overflow();
      }
      return count(slot, -dec.amount());
    }
    if (c instanceof Command.CounterGet) {
      PNCounter counter = typed(slot, PNCounter.class, COUNTER);
      return Reply.Int.of(counter == null ? 0 : value(slot));
    }
    if (c instanceof Command.CounterReset) {
      return reset(slot, typed(slot, PNCounter.class, COUNTER));
    }
    if (c instanceof Command.RegisterSet set) {
      return registerSet(slot, set.value());
    }
    if (c instanceof Command.RegisterGet) {
      LwwRegister<Bytes> register = register(slot);
      return register == null || register.value().isEmpty()
          ? new Reply.Nil()
          : new Reply.Bulk(register.value().get());
    }
    if (c instanceof Command.RegisterDelete) {
      return registerDelete(slot, register(slot));
    }
    return setCommand(c, slot);
  }

  private Reply setCommand(Command c, Slot slot) {
    PiecedSet set = set(slot);
    if (c instanceof Command.SetAdd add) {
      return setAdd(slot, set, add.elements());
    }
    if (c instanceof Command.SetRemove remove) {
      return setRemove(slot, set, remove.elements());
    }
    if (c instanceof Command.SetClear) {
      return setClear(slot, set);
    }
    if (c instanceof Command.SetMembers asked) {
      if (set != null && asked.streamed() && set.size() > Command.SetMembers.STREAM_ABOVE) {
        return streamMembers(set);
      }
      List<Bytes> members = new ArrayList<>();
      if (set != null) {
        set.members(0, (hash, element, dots) -> members.add(element));
        Collections.sort(members);
      }
      return new Reply.Elements(members);
    }
    if (c instanceof Command.SetContains contains) {
      return Reply.Int.of(set != null && set.contains(contains.element()) ? 1 : 0);
    }
    if (c instanceof Command.SetContainsEach each) {
      List<Long> answers = new ArrayList<>(each.elements().size());
      for (Bytes element : each.elements()) {
        answers.add(set != null && set.contains(element) ? 1L : 0L);
      }
      return new Reply.Ints(answers);
    }
    if (c instanceof Command.SetSize) {
      return Reply.Int.of(set == null ? 0 : set.size());
    }
    if (c instanceof Command.SetScan scan) {
      return SetScanStep.run(set, scan);
    }
    throw new IllegalArgumentException("command: " + c + " (expected: a known command)");
  }

  /*
   * A large set's members are not built into one reply (10M members would be gigabytes of heap):
   * the reply reads them from a view of the store as the client takes them. Views pin old versions
   * in the store, so their number is bounded; past it, a client is told to come back or to scan.
   */
  private static Reply streamMembers(PiecedSet set) {
    if (!set.mayOpenMembers()) {
      return new Reply.Error(
          Reply.Code.BUSY,
          "large SMEMBERS replies being sent: "
              + RecordStore.MAX_OPEN_VIEWS
              + " (expected: fewer); retry later, or use SSCAN");
    }
    return new Reply.Stream(set.openMembers());
  }

  // ------------------------------------------------------------------------------ counters

  private Reply count(Slot slot, long signedAmount) {
    PNCounter counter = typed(slot, PNCounter.class, COUNTER);
    long before = counter == null ? 0 : value(slot);
    if (signedAmount == 0) {
      return new Reply.Int(before, log.stagedHead());
    }
    if (signedAmount == Long.MIN_VALUE) {
      throw overflow();
    }
    PNCounter state = counter == null ? new PNCounter() : counter;
    slot.beforeRaising(self); // the commit then need not read the slot's stored value
    PNCounter delta;
    try {
      delta =
          signedAmount > 0
              ? state.increment(self, signedAmount)
              : state.decrement(self, -signedAmount);
    } catch (ArithmeticException e) {
      throw overflow(); // the counter did not change
    }
    // Every row has RP <= P and RN <= N, so a count moves the value by exactly its amount; the
    // counter checked that the value does not overflow.
    long value = before + signedAmount;
    long seq = writeLocal(slot, state, delta, true);
    slot.counterValue(value);
    return new Reply.Int(value, seq);
  }

  private Reply reset(Slot slot, PNCounter counter) {
    if (counter == null) {
      return new Reply.Ok(log.stagedHead());
    }
    boolean changes = RecordLattice.exists(counter); // else every count is already cancelled
    PNCounter delta = counter.reset(self);
    long seq = writeLocal(slot, counter, delta, changes);
    slot.counterValue(0); // every count observed here is cancelled
    return new Reply.Ok(seq);
  }

  /** The value of the counter {@code slot} holds, kept by the slot so that GET does not sum. */
  private static long value(Slot slot) {
    try {
      return slot.counterValue();
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  private static Refused overflow() {
    return new Refused(
        Reply.Code.OVERFLOW, "counter value (expected: within -2^63..2^63-1 after the change)");
  }

  // ------------------------------------------------------------------------------ sets

  private Reply setAdd(Slot slot, PiecedSet set, List<Bytes> elements) {
    for (Bytes e : elements) {
      checkElement("element length", e);
    }
    Origin attributed = attributedBefore(set);
    if (set == null) {
      writes.newSet(slot);
      set = slot.set;
    }
    Orswot<Bytes> delta = Orswot.ofBytes();
    int added = 0;
    for (Bytes e : elements) {
      added += set.contains(e) ? 0 : 1;
      delta.mergeFrom(set.add(self, e));
    }
    return new Reply.Int(added, writeSet(slot, delta, attributed)); // every add mints a dot
  }

  private Reply setRemove(Slot slot, PiecedSet set, List<Bytes> elements) {
    if (set == null) {
      return new Reply.Int(0, log.stagedHead());
    }
    Origin attributed = attributedBefore(set);
    Orswot<Bytes> delta = Orswot.ofBytes();
    int removed = 0;
    for (Bytes e : elements) {
      if (set.contains(e)) {
        removed++;
        delta.mergeFrom(set.remove(e));
      }
    }
    return new Reply.Int(
        removed, removed > 0 ? writeSet(slot, delta, attributed) : log.stagedHead());
  }

  private Reply setClear(Slot slot, PiecedSet set) {
    if (set == null || set.size() == 0) {
      return new Reply.Int(0, log.stagedHead());
    }
    Origin attributed = attributedBefore(set);
    long size = set.size();
    Orswot<Bytes> delta = set.clear();
    return new Reply.Int(size, writeSet(slot, delta, attributed));
  }

  /**
   * Stages a set changed in place by its mutators, whose joined deltas are {@code delta}, and a log
   * entry carrying the delta under {@code attributed}; returns the entry's sequence number. A set
   * kept in pieces has no record limit: each member is its own row.
   */
  private long writeSet(Slot slot, Orswot<Bytes> delta, Origin attributed) {
    byte[] encodedDelta = CrdtCodec.encode(delta);
    writes.stageSet(slot);
    metrics.write();
    return writes.appendLog(attributed, slot, encodedDelta);
  }

  /** Who a set write's log entry names: this node, unless a misbehavior says otherwise. */
  private Origin attributedBefore(PiecedSet set) {
    if (set == null || !config.has(Misbehavior.ATTRIBUTE_BY_RECORD_ORIGIN)) {
      return origin;
    }
    var vector = set.context().vector().asMap();
    return vector.isEmpty()
        ? origin
        : new Origin(vector.firstKey().node(), vector.firstKey().incarnation());
  }

  // ------------------------------------------------------------------------------ registers

  private Reply registerSet(Slot slot, Bytes value) {
    checkElement("value length", value);
    LwwRegister<Bytes> current = register(slot);
    LwwRegister<Bytes> state = current == null ? LwwRegister.ofBytes() : current;
    LwwRegister<Bytes> before = state.copy();
    LwwRegister<Bytes> delta = state.set(self, unshadowedStamp(state), value);
    return new Reply.Ok(writeLocal(slot, state, delta, !state.equals(before)));
  }

  private Reply registerDelete(Slot slot, LwwRegister<Bytes> register) {
    if (register == null || register.value().isEmpty()) {
      return new Reply.Int(0, log.stagedHead());
    }
    LwwRegister<Bytes> before = register.copy();
    LwwRegister<Bytes> delta = register.delete(self, unshadowedStamp(register));
    return new Reply.Int(1, writeLocal(slot, register, delta, !register.equals(before)));
  }

  /**
   * A stamp above the register's current one: a write issued after this node saw a value must win
   * over it, even if the value came by anti-entropy (which carries no clock reading) from a node
   * whose clock runs ahead, as long as that clock is within the drift bound.
   */
  private long stampAfter(LwwRegister<Bytes> register) {
    return register.isEmpty() ? hlc.now() : hlc.update(register.stamp());
  }

  /**
   * {@link #stampAfter}, refused if it is not above the register's stamp: the clock would not go
   * past a stamp beyond the drift bound, so the write would lose to the value already held, and
   * answering OK would lose an acknowledged write. Peers' records stamped like that are refused
   * ({@link PeerWrites}); only a store written before that rule can hold one.
   */
  private long unshadowedStamp(LwwRegister<Bytes> register) {
    long stamp = stampAfter(register);
    if (!register.isEmpty() && stamp <= register.stamp()) {
      metrics.error("register-write-shadowed");
      throw new Refused(
          Reply.Code.SHADOWED,
          "register stamp: "
              + HlcTimestamp.toString(register.stamp())
              + " (expected: <= this node's clock plus the drift bound,"
              + " reached by "
              + HlcTimestamp.toString(stamp)
              + "); the key holds a value from the future, nothing changed");
    }
    return stamp;
  }

  // ------------------------------------------------------------------------------ any type

  private Reply delete(Slot slot) {
    if (!exists(slot)) {
      return new Reply.Int(0, log.stagedHead());
    }
    CrdtType type = type(slot);
    Reply done;
    if (type == CrdtType.PNCOUNTER) {
      done = reset(slot, (PNCounter) slot.state);
    } else if (type == CrdtType.ORSWOT) {
      done = setClear(slot, slot.set);
    } else {
      done = registerDelete(slot, register(slot));
    }
    return new Reply.Int(1, done.seq());
  }

  private static boolean exists(Slot slot) {
    return slot.exists();
  }

  /** The type the record holds; null if absent. */
  private static CrdtType type(Slot slot) {
    return slot.set != null ? CrdtType.ORSWOT : slot.state == null ? null : slot.state.type();
  }

  // ------------------------------------------------------------------------------ helpers

  /**
   * Stages {@code state} (already changed in place by a mutator that returned {@code delta}) and a
   * log entry with {@code delta}; returns the entry's sequence number, or the log head if the
   * command {@code changed} nothing. The caller knows whether it did: encoding the record to
   * compare would cost its whole size on every write (see WritePath).
   */
  private long writeLocal(Slot slot, Crdt<?> state, Crdt<?> delta, boolean changed) {
    if (!changed) {
      return log.stagedHead();
    }
    Origin attributed = origin;
    if (config.has(Misbehavior.ATTRIBUTE_BY_RECORD_ORIGIN)) {
      Crdt<?> previous = writes.previous(slot);
      if (previous != null) {
        attributed =
            RecordOrigins.of(previous).map(r -> new Origin(r.node(), r.incarnation())).orElse(origin);
      }
    }
    byte[] encodedDelta = CrdtCodec.encode(delta);
    try {
      writes.stage(slot, state, delta, encodedDelta, config.maxRecordBytes());
    } catch (WritePath.TooLarge e) {
      throw new Refused(
          Reply.Code.TOO_LARGE,
          "record length: " + e.length + " (expected: <= " + e.limit + "); nothing changed");
    }
    metrics.write();
    return writes.appendLog(attributed, slot, encodedDelta);
  }

  /**
   * Stages a write of the node's own (to a reserved record), logged like a client write. The
   * member set is an OR-set, whose mutators' deltas are empty exactly when they change nothing.
   */
  void writeInternal(Slot slot, Crdt<?> state, Crdt<?> delta) {
    Orswot<?> set = (Orswot<?>) delta;
    writeLocal(slot, state, delta, !set.isEmpty() || !set.context().isEmpty());
  }

  private void checkElement(String what, Bytes element) {
    int max = config.decodeLimits().maxElementBytes();
    if (element.length() > max) {
      throw new Refused(
          Reply.Code.TOO_LARGE, what + ": " + element.length() + " (expected: <= " + max + ")");
    }
  }

  private static Reply.Error tooLarge(String what, int value, int max) {
    return new Reply.Error(
        Reply.Code.TOO_LARGE, what + ": " + value + " (expected: <= " + max + ")");
  }

  /** The set the key holds, null if absent; WRONGTYPE if it holds another type. */
  private static PiecedSet set(Slot slot) {
    if (slot.set == null && slot.state != null) {
      throw wrongType(slot, SET);
    }
    return slot.set;
  }

  private LwwRegister<Bytes> register(Slot slot) {
    @SuppressWarnings("unchecked")
    LwwRegister<Bytes> register = typed(slot, LwwRegister.class, REGISTER);
    return register;
  }

  /** The slot's state as {@code type}, null if absent; WRONGTYPE if it holds another type. */
  private static <T> T typed(Slot slot, Class<T> type, String name) {
    if (slot.set != null || (slot.state != null && !type.isInstance(slot.state))) {
      throw wrongType(slot, name);
    }
    return slot.state == null ? null : type.cast(slot.state);
  }

  private static Refused wrongType(Slot slot, String expected) {
    return new Refused(
        Reply.Code.WRONGTYPE,
        "key holds a "
            + RecordLattice.typeName(type(slot))
            + (slot.exists() ? "" : " (deleted; a key keeps its type)")
            + " (expected: a "
            + expected
            + ")");
  }
}
