package dev.meld.node.server;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.Member;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Replica loops on in-memory stores, wired to each other by an in-process network that hands each
 * message straight to the receiver's loop (on the sender's replica thread, as the mesh's Netty
 * threads would) unless {@link #drop} says otherwise. Real threads and the system clock, short
 * timers: for tests of the replica thread, not of the network.
 */
final class LoopCluster implements AutoCloseable {

  final Map<String, ReplicaLoop> loops = new LinkedHashMap<>();
  final Map<String, MemoryRecordStore> stores = new LinkedHashMap<>();
  final Map<String, ChangeTracker> changes = new LinkedHashMap<>();
  final List<Integer> groups = new CopyOnWriteArrayList<>();

  /** Drops a message from the first node to the second when it returns true. */
  volatile BiPredicate<String, PeerMessage> drop = (from, m) -> false;

  LoopCluster(UnaryOperator<NodeConfig.Builder> settings, String... names) {
    this(r -> r, settings, names);
  }

  LoopCluster(
      UnaryOperator<ReplicaConfig.Builder> tweak,
      UnaryOperator<NodeConfig.Builder> settings,
      String... names) {
    this(tweak, settings, store -> store, names);
  }

  /** As above, each replica on {@code wrap} of its in-memory store (a slow store, say). */
  LoopCluster(
      UnaryOperator<ReplicaConfig.Builder> tweak,
      UnaryOperator<NodeConfig.Builder> settings,
      UnaryOperator<RecordStore> wrap,
      String... names) {
    List<Member> seeds = new ArrayList<>();
    for (String n : names) {
      seeds.add(new Member(n, n + ":7000"));
    }
    for (String n : names) {
      ReplicaConfig.Builder replicaBuilder =
          ReplicaConfig.builder(n)
              .seeds(seeds)
              .pingIntervalMillis(50)
              .pumpIntervalMillis(10)
              .antiEntropyIntervalMillis(500)
              .antiEntropyJitterMillis(100)
              .sessionTimeoutMillis(1_000)
              .peerDeadTimeoutMillis(1_000)
              .ackTimeoutMillis(100);
      ReplicaConfig replica = tweak.apply(replicaBuilder).build();
      NodeConfig own = settings.apply(NodeConfig.builder(replica)).build();
      MemoryRecordStore store =
          MemoryRecordStore.open(MemoryImage.empty(), KeyHashing::keyHash64, StoreLimits.DEFAULTS);
      Replica r =
          Replica.open(
              replica, wrap.apply(store), PhysicalClock.system(), new SplittableRandom(n.hashCode()));
      ChangeTracker tracker = new ChangeTracker(store::get);
      Outbox out =
          (to, m) -> {
            ReplicaLoop target = loops.get(to);
            if (target != null && !drop.test(n, m)) {
              target.receive(n, m);
            }
          };
      CommandObserver observer =
          new CommandObserver() {
            @Override
            public void completed(Command command, Reply reply, long latencyNanos) {}

            @Override
            public void grouped(int commands) {
              groups.add(commands);
            }
          };
      loops.put(n, new ReplicaLoop(r, out, PhysicalClock.system(), own, observer, tracker));
      stores.put(n, store);
      changes.put(n, tracker);
    }
  }

  LoopCluster(String... names) {
    this(b -> b, names);
  }

  LoopCluster start() {
    loops.values().forEach(ReplicaLoop::start);
    return this;
  }

  ReplicaLoop loop(String name) {
    return loops.get(name);
  }

  Reply exec(String node, Command c) {
    return loop(node).execute(c).orTimeout(10, TimeUnit.SECONDS).join();
  }

  long counter(String node, String key) {
    return ((Reply.Int) exec(node, new Command.CounterGet(Bytes.utf8(key)))).value();
  }

  /** Polls {@code done} every 10 ms; fails after {@code maxMillis}. */
  static void await(BooleanSupplier done, long maxMillis, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + maxMillis + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    for (ReplicaLoop l : loops.values()) {
      l.stop().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }
}
