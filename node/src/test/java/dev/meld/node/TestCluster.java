package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerProtocolException;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A few replicas wired by an in-test message loop: in-memory stores, one shared {@link
 * ManualClock}, and a network that delivers in order unless a test drops, holds or duplicates
 * messages. Every message goes through {@link PeerCodec} on its way, so the codec is exercised by
 * every scenario. Not the simulator (that is {@code dev.meld.node.sim}): a fixture for focused
 * situations, stepped by hand.
 */
final class TestCluster {

  /** A message on the wire. */
  record Envelope(String from, String to, PeerMessage message) {}

  static final long START = 1_700_000_000_000L;

  final ManualClock clock = new ManualClock(START);
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final ArrayDeque<Envelope> network = new ArrayDeque<>();
  final List<Envelope> delivered = new ArrayList<>();
  private final long seed;

  /** Drops every message it accepts (a partition, a lossy link). */
  Predicate<Envelope> drop = e -> false;

  /** Percent of messages delivered twice, and held back to a later step (reordering). */
  int duplicatePercent;

  int delayPercent;

  private final SplittableRandom chaos;
  private final List<Envelope> held = new ArrayList<>();

  /** A cluster of {@code names}, each seeded with all of them, default timers shortened. */
  static TestCluster of(String... names) {
    return of(b -> b, names);
  }

  static TestCluster of(UnaryOperator<ReplicaConfig.Builder> tweak, String... names) {
    return new TestCluster(42, tweak, names);
  }

  TestCluster(long seed, UnaryOperator<ReplicaConfig.Builder> tweak, String... names) {
    this.seed = seed;
    this.chaos = new SplittableRandom(seed);
    List<Member> seeds = new ArrayList<>();
    for (String n : names) {
      seeds.add(new Member(n, n + ":7000"));
    }
    for (String n : names) {
      ReplicaConfig.Builder b =
          ReplicaConfig.builder(n)
              .seeds(seeds)
              .pingIntervalMillis(100)
              .pumpIntervalMillis(10)
              .antiEntropyIntervalMillis(1_000)
              .antiEntropyJitterMillis(200)
              .sessionTimeoutMillis(1_000)
              .peerDeadTimeoutMillis(500)
              .ackTimeoutMillis(300);
      nodes.put(n, new Node(tweak.apply(b).build()));
    }
    nodes.values().forEach(Node::start);
  }

  Node node(String name) {
    return nodes.get(name);
  }

  /** One replica and its disk. */
  final class Node {
    ReplicaConfig config;
    MemoryImage image = MemoryImage.empty();
    MemoryRecordStore store;
    Replica replica;
    final Outbox outbox;
    private final SplittableRandom random;

    Node(ReplicaConfig config) {
      this.config = config;
      this.random = new SplittableRandom(seed ^ config.nodeName().hashCode());
      this.outbox = (to, m) -> network.add(new Envelope(config.nodeName(), to, m));
    }

    String name() {
      return config.nodeName();
    }

    boolean up() {
      return replica != null;
    }

    void start() {
      store = MemoryRecordStore.open(image, KeyHashing::keyHash64, StoreLimits.DEFAULTS);
      replica = Replica.open(config, store, clock, random);
    }

    /** Killed: only what was committed survives. */
    void crash() {
      image = store.image();
      replica = null;
      store = null;
    }

    /** Stopped cleanly. */
    void stop() {
      replica.close();
      image = store.image();
      replica = null;
      store = null;
    }

    /** The disk is lost (call while down). */
    void wipe() {
      image = MemoryImage.empty();
    }

    Reply exec(Command c) {
      return replica.execute(c, outbox);
    }

    long counter(String key) {
      return ((Reply.Int) exec(new Command.CounterGet(Bytes.utf8(key)))).value();
    }

    List<Bytes> members(String key) {
      return ((Reply.Elements) exec(new Command.SetMembers(Bytes.utf8(key)))).elements();
    }

    ReplicaStatus status() {
      return replica.status();
    }

    String root() {
      return status().rootDigest();
    }
  }

  /** Delivers queued messages (and what they cause) until the network is quiet. */
  void deliver() {
    PeerCodec codec = new PeerCodec(1 << 24);
    for (int steps = 0; !network.isEmpty(); steps++) {
      if (steps > 1_000_000) {
        throw new AssertionError("network never went quiet");
      }
      Envelope e = network.poll();
      Node to = nodes.get(e.to());
      if (to == null || !to.up() || drop.test(e)) {
        continue;
      }
      if (delayPercent > 0 && chaos.nextInt(100) < delayPercent) {
        held.add(e);
        continue;
      }
      if (duplicatePercent > 0 && chaos.nextInt(100) < duplicatePercent) {
        held.add(e);
      }
      PeerMessage decoded;
      try {
        decoded = codec.decode(codec.encode(e.message()));
      } catch (PeerProtocolException ex) {
        throw new AssertionError("codec round trip failed for " + e.message(), ex);
      }
      assertThat(decoded).isEqualTo(e.message());
      delivered.add(e);
      to.replica.receive(e.from(), decoded, to.outbox);
    }
  }

  /** Advances the clock by {@code step} and ticks every running node, then delivers. */
  void step(long step) {
    network.addAll(held);
    held.clear();
    clock.advance(step);
    for (Node n : nodes.values()) {
      if (n.up()) {
        n.replica.tick(n.outbox);
      }
    }
    deliver();
  }

  /** Steps for {@code millis} in steps of 10 ms. */
  void run(long millis) {
    for (long t = 0; t < millis; t += 10) {
      step(10);
    }
  }

  /** Steps until {@code done} holds; fails after {@code maxMillis}. */
  void runUntil(BooleanSupplier done, long maxMillis, String what) {
    for (long t = 0; t < maxMillis; t += 10) {
      if (done.getAsBoolean()) {
        return;
      }
      step(10);
    }
    assertThat(done.getAsBoolean()).as(what + " within " + maxMillis + " ms").isTrue();
  }

  /** Whether every running node has the same anti-entropy root. */
  boolean converged() {
    return nodes.values().stream().filter(Node::up).map(Node::root).distinct().count() == 1;
  }

  long messages(Class<? extends PeerMessage> type) {
    return delivered.stream().filter(e -> type.isInstance(e.message())).count();
  }
}
