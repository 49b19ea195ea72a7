package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import org.junit.jupiter.api.Test;

/**
 * Periodic anti-entropy rounds wait while the log is delivering writes, and what only anti-entropy
 * can repair is still repaired meanwhile. Found by scripts/bench-node: loading a 1M-member set into
 * three nodes took 89 s with 123.7 MiB of anti-entropy, because rounds compared replicas the log
 * was still filling, found the set lopsided and shipped it whole, and the shipments starved the
 * replicas' log apply (AntiEntropy#maxDeferralMillis).
 */
class AntiEntropyWhileTheLogStreamsTest {

  private static final Bytes HOT = Bytes.utf8("hot");

  @Test
  void periodicRoundsWaitWhileTheLogStreams() {
    // A round every 200 ms (jitter 50): a backstop round at least every 6 s while the log streams.
    TestCluster c =
        TestCluster.of(
            b -> b.antiEntropyIntervalMillis(200).antiEntropyJitterMillis(50), "a", "b", "c");
    c.runUntil(() -> ready(c, "a", "b", "c"), 10_000, "ready");
    long startedBefore = started(c, "b") + started(c, "c");

    // 15 s of writes on a, one per 10-ms step: the log streams to b and c the whole time. Without
    // the wait, b and c would start about 75 sessions each.
    for (int step = 0; step < 1_500; step++) {
      c.node("a").exec(new Command.Increment(HOT, 1));
      c.step(10);
    }
    long startedWhileStreaming = started(c, "b") + started(c, "c") - startedBefore;
    assertThat(startedWhileStreaming)
        .as("sessions b and c started while a's log streamed to them")
        .isBetween(2L, 8L); // the backstop: one per 6 s each, at least one
    assertThat(c.node("b").status().antiEntropy().deferred()).isGreaterThan(30);
    assertThat(c.node("c").status().antiEntropy().deferred()).isGreaterThan(30);

    // The stream stops: rounds come back at their interval.
    long startedAfterStream = started(c, "b") + started(c, "c");
    c.run(5_000);
    assertThat(started(c, "b") + started(c, "c") - startedAfterStream)
        .as("sessions b and c started in the 5 s after the stream stopped")
        .isGreaterThanOrEqualTo(30);
    assertThat(c.converged()).isTrue();
    assertThat(c.node("c").counter("hot")).isEqualTo(1_500);
  }

  @Test
  void aReplicaBehindTheRetainedLogIsRepairedWhileTheLogStreams() {
    TestCluster c = TestCluster.of(b -> b.logRetentionEntries(100), "a", "b", "c");
    c.runUntil(() -> ready(c, "a", "b", "c"), 10_000, "ready");
    c.node("c").stop();
    for (int i = 0; i < 1_000; i++) {
      c.node("a").exec(new Command.Increment(Bytes.utf8("k" + i), 1));
      c.step(10);
    }
    c.node("c").start();
    // a keeps writing: c is behind a's retained log, so only a session can bring it the 1,000
    // keys, and that session must not wait for the stream to stop.
    int step = 0;
    for (; step < 3_000 && !allKeysOn(c.node("c")); step++) {
      c.node("a").exec(new Command.Increment(HOT, 1));
      c.step(10);
    }
    assertThat(allKeysOn(c.node("c")))
        .as("c holds every key written while it was down, after %d ms of streaming", step * 10)
        .isTrue();
    assertThat(step * 10L).as("ms until repaired").isLessThan(10_000);
  }

  private static boolean allKeysOn(TestCluster.Node node) {
    for (int i = 0; i < 1_000; i++) {
      if (node.counter("k" + i) != 1) {
        return false;
      }
    }
    return true;
  }

  private static long started(TestCluster c, String node) {
    return c.node(node).status().antiEntropy().started();
  }

  private static boolean ready(TestCluster c, String... nodes) {
    for (String n : nodes) {
      if (!c.node(n).status().ready()) {
        return false;
      }
    }
    return true;
  }
}
