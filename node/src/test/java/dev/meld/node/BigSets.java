package dev.meld.node;

import dev.meld.antientropy.SyncConfig;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * What the tests of large sets under anti-entropy share: one set {@code big}, members {@code
 * member-N}, and a configuration where a set is shipped whole only up to 2,048 members (records of
 * 64 KiB, messages of 256 KiB) and the log keeps 100 entries, so that a partition's writes are
 * soon repaired by anti-entropy alone.
 */
final class BigSets {

  static final Bytes SET = Bytes.utf8("big");

  static final UnaryOperator<ReplicaConfig.Builder> SMALL_MESSAGES =
      b ->
          b.maxRecordBytes(64 * 1024)
              .syncConfig(SyncConfig.DEFAULT.withMaxMessageBytes(256 * 1024))
              .logRetentionEntries(100);

  private BigSets() {}

  static Bytes member(int i) {
    return Bytes.utf8("member-" + i);
  }

  /** Runs {@code commands} on {@code node}, 2,000 to a batch. */
  static void run(TestCluster.Node node, List<Command> commands) {
    for (int start = 0; start < commands.size(); start += 2_000) {
      node.replica.executeAll(
          commands.subList(start, Math.min(commands.size(), start + 2_000)), node.outbox);
    }
  }

  static void add(TestCluster.Node node, int from, int to) {
    List<Command> adds = new ArrayList<>();
    for (int i = from; i < to; i++) {
      adds.add(new Command.SetAdd(SET, member(i)));
    }
    run(node, adds);
  }

  static void remove(TestCluster.Node node, int from, int to) {
    List<Command> removes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      removes.add(new Command.SetRemove(SET, member(i)));
    }
    run(node, removes);
  }

  /** A replica "a" alone on {@code store}, its set {@code big} holding members 0 to n - 1. */
  static Replica replicaHolding(MemoryRecordStore store, int n) {
    Replica replica =
        Replica.open(
            ReplicaConfig.builder("a").build(),
            store,
            new ManualClock(TestCluster.START),
            new SplittableRandom(1));
    List<Command> adds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      adds.add(new Command.SetAdd(SET, member(i)));
    }
    replica.executeAll(adds, (to, m) -> {});
    return replica;
  }

  static Set<Bytes> members(TestCluster.Node node) {
    return new HashSet<>(node.members("big"));
  }

  static Set<Bytes> range(int from, int to) {
    Set<Bytes> out = new HashSet<>();
    for (int i = from; i < to; i++) {
      out.add(member(i));
    }
    return out;
  }
}
