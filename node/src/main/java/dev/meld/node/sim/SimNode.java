package dev.meld.node.sim;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.ManualClock;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Origin;
import dev.meld.node.store.StoreLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One simulated machine: a disk (the committed image of its {@link MemoryRecordStore}), a clock
 * that can be skewed, and at most one running process (a {@link Replica}) at a time. A process that
 * crashes is discarded with everything it held in memory; the next one opens on the surviving disk.
 * Each process has an epoch, so frames and timers meant for a dead process never reach its
 * successor.
 */
final class SimNode {

  /** Where the machine's process stands. */
  enum State {
    /** Running: takes messages, requests and ticks. */
    UP,
    /** Stopped by SIGSTOP: everything addressed to it waits in {@link #held}. */
    PAUSED,
    /** No process: crashed or stopped; the disk survives. */
    DOWN,
    /** Left the cluster for good. */
    GONE
  }

  /** The Unix time (ms) virtual time 0 corresponds to, so stamps and incarnations look real. */
  static final long EPOCH_MILLIS = 1_700_000_000_000L;

  final String name;
  final ReplicaConfig config;
  final ManualClock clock = new ManualClock(EPOCH_MILLIS);
  private final RandomGenerator random;
  long clockOffset;
  State state = State.DOWN;
  long epoch;
  MemoryImage disk = MemoryImage.empty();
  MemoryRecordStore store;
  Replica replica;

  /** What arrived while paused, in order: {@link ClientCall}s and frame deliveries (Runnable). */
  final ArrayDeque<Object> held = new ArrayDeque<>();

  /** Client requests sent to the current process and not executed yet. */
  final List<ClientCall> pending = new ArrayList<>();

  /** The node-clock deadline of a leave in progress, or null. */
  Long leaving;

  /** How many times the disk was wiped: a write made before a wipe is not on this disk. */
  int diskGeneration;

  /** Every incarnation this node's processes have acted under, in order. */
  final List<Long> incarnations = new ArrayList<>();

  /** Whether the last process ended with a clean close (then its incarnation may be kept). */
  boolean closedCleanly;

  SimNode(String name, ReplicaConfig config, RandomGenerator random) {
    this.name = name;
    this.config = config;
    this.random = random;
  }

  /**
   * Sets the node's clock from virtual time: the wall reading to {@code EPOCH + now + offset}, the
   * monotonic reading to {@code EPOCH + now} (an offset is a step of the wall clock, not time
   * passing). The monotonic reading is always {@code EPOCH + } the previous {@code now}, so
   * stepping the wall back onto it first lets {@code set} count exactly the time that passed.
   */
  void syncClock(long now) {
    clock.step(clock.monotonicMillis());
    clock.set(EPOCH_MILLIS + now);
    clock.step(EPOCH_MILLIS + now + clockOffset);
  }

  /** Opens a new process on the disk. The store sees an unclean stop unless the last one closed. */
  void start(long now) {
    syncClock(now);
    store = MemoryRecordStore.open(disk, KeyHashing::keyHash64, StoreLimits.DEFAULTS);
    epoch++;
    try {
      replica = Replica.open(config, store, clock, random);
    } catch (RuntimeException e) {
      disk = store.image();
      store = null;
      throw e;
    }
    state = State.UP;
  }

  /** Kills the process: only what the store committed survives. */
  void crash() {
    disk = store.image();
    closedCleanly = false;
    dropProcess();
  }

  /** Stops the process cleanly: the store records a clean close, the incarnation is kept. */
  void stopCleanly() {
    replica.close();
    closedCleanly = true;
    disk = store.image();
    dropProcess();
  }

  private void dropProcess() {
    replica = null;
    store = null;
    epoch++;
    state = State.DOWN;
    held.clear();
    pending.clear();
    leaving = null;
  }

  boolean isRunning() {
    return state == State.UP || state == State.PAUSED;
  }

  ReplicaId replicaId() {
    return replica.replicaId();
  }

  /** How far this node has applied each origin's log, from its store or (when down) its disk. */
  Map<Origin, Long> cursors() {
    if (store != null) {
      return store.cursors();
    }
    if (state == State.GONE) {
      return Map.of();
    }
    return MemoryRecordStore.open(disk, KeyHashing::keyHash64, StoreLimits.DEFAULTS).cursors();
  }
}
