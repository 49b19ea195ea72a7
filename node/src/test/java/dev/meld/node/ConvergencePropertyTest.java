package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.Props;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Three replicas under a random schedule of writes, lossy/duplicating/reordering links, crashes and
 * clean restarts. Each example is a whole cluster run, so this property runs {@code
 * meld.props.examples / 20} examples (50 by default). The deterministic simulator explores far more
 * schedules; this is the core's own check.
 */
class ConvergencePropertyTest {

  private static final List<String> NAMES = List.of("a", "b", "c");

  /**
   * Law: after the faults heal, all replicas converge (equal digests and equal reads), no
   * acknowledged write is lost, and every replication backlog drains to zero.
   */
  @Test
  void replicasConvergeAndKeepEveryAcknowledgedWrite() {
    Props.check(
        "ConvergencePropertyTest#replicasConvergeAndKeepEveryAcknowledgedWrite",
        qt ->
            qt.withExamples(Math.max(1, Props.examples() / 20))
                .forAll(longs().all())
                .checkAssert(ConvergencePropertyTest::schedule));
  }

  static void schedule(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    TestCluster c = new TestCluster(seed, b -> b, NAMES.toArray(String[]::new));
    int dropPercent = r.nextInt(31);
    SplittableRandom lossy = r.split();
    c.drop = e -> lossy.nextInt(100) < dropPercent;
    c.duplicatePercent = r.nextInt(11);
    c.delayPercent = r.nextInt(21);
    c.run(300);
    Map<String, Long> counters = new HashMap<>();
    TreeSet<Bytes> added = new TreeSet<>();
    int actions = 20 + r.nextInt(40);
    for (int i = 0; i < actions; i++) {
      TestCluster.Node n = c.node(NAMES.get(r.nextInt(NAMES.size())));
      int roll = r.nextInt(100);
      if (!n.up()) {
        n.start();
      } else if (roll < 45) {
        String key = "k" + r.nextInt(3);
        long amount = 1 + r.nextInt(5);
        Reply reply = n.exec(new Command.Increment(Bytes.utf8(key), amount));
        assertThat(reply).isInstanceOf(Reply.Int.class);
        counters.merge(key, amount, Long::sum);
      } else if (roll < 85) {
        Bytes element = Bytes.utf8("e" + i);
        n.exec(new Command.SetAdd(Bytes.utf8("s"), element));
        added.add(element);
      } else if (roll < 93) {
        n.crash();
      } else {
        n.stop();
      }
      c.step(10 + r.nextInt(90));
    }
    c.drop = e -> false;
    c.duplicatePercent = 0;
    c.delayPercent = 0;
    c.nodes.values().stream().filter(n -> !n.up()).forEach(TestCluster.Node::start);
    c.runUntil(() -> c.converged() && drained(c), 30_000, "convergence (seed " + seed + ")");
    for (TestCluster.Node n : c.nodes.values()) {
      for (Map.Entry<String, Long> e : counters.entrySet()) {
        assertThat(n.counter(e.getKey())).as(n.name() + " " + e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(n.members("s")).as(n.name()).containsExactlyElementsOf(added);
    }
  }

  private static boolean drained(TestCluster c) {
    return c.nodes.values().stream()
        .flatMap(n -> n.status().peers().stream())
        .allMatch(p -> p.backlogEntries() == 0);
  }
}
