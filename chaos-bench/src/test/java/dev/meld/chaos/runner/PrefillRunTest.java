package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.checker.Independent;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryReader;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.workload.ClientHistory;
import dev.meld.chaos.workload.FinalReads;
import dev.meld.chaos.workload.Prefill;
import dev.meld.chaos.workload.Request;
import dev.meld.chaos.workload.Workload;
import dev.meld.chaos.workload.Workloads;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-fill against the in-memory cluster: what it sends, records, waits for and reports. */
class PrefillRunTest {

  @TempDir Path dir;

  private final StringWriter text = new StringWriter();
  private final HistoryRecorder recorder = new HistoryRecorder(text, System::nanoTime);

  /** Time that passes only when waited for, so a bounded wait ends at once. */
  private static final class ManualTime implements RunTime {
    long nanos;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public void sleep(long millis) {
      nanos += millis * 1_000_000;
    }
  }

  private final ManualTime time = new ManualTime();

  private PrefillRun.Outcome fill(FakeCluster cluster, Workload workload, int inFlight) throws Exception {
    return new PrefillRun(cluster, workload, recorder, time, inFlight, 5_000, 250).run("n1");
  }

  private static List<Op> ops(History h, String f) {
    return h.stream().filter(op -> op.f().equals(f)).toList();
  }

  @Test
  void fillsTheSetInChunksWithSeveralCommandsInFlightAndRecordsEachAsAnAcknowledgedAddAll()
      throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    Workload workload = Workloads.named("set-removes", new Prefill(10_500, 1));
    PrefillRun.Outcome o = fill(cluster, workload, 4);

    assertThat(o.complete()).as(o.errors().toString()).isTrue();
    assertThat(o.commands()).isEqualTo(11);
    assertThat(o.retries()).isZero();
    assertThat(o.sizes()).containsOnlyKeys("n1", "n2", "n3");
    assertThat(o.sizes().values()).allSatisfy(s -> assertThat(s).containsExactly(Map.entry("s0", 10_500L)));
    assertThat(o.replicatedNanos()).isNotNull();
    assertThat(cluster.saddCalls.get()).isEqualTo(11);

    // The history reads back (one op at a time per process, as the reader demands).
    History h = new HistoryReader().read(new StringReader(text.toString()), "history");
    List<Op> invokes = ops(h, PrefillRun.ADD_ALL).stream().filter(Op::isInvoke).toList();
    assertThat(invokes).hasSize(11).allSatisfy(op -> assertThat(op.extra("node")).isEqualTo("n1"));
    // Four lanes share the chunks, each its own process (a lane may find the queue empty).
    assertThat(invokes.stream().map(op -> (Long) op.process()))
        .allSatisfy(p -> assertThat(p).isBetween(PrefillRun.FIRST_PROCESS, PrefillRun.FIRST_PROCESS + 3));
    Set<Object> elements = new HashSet<>();
    for (Op op : invokes) {
      assertThat(h.completion(op)).hasValueSatisfying(c -> assertThat(c.isOk()).isTrue());
      elements.addAll((List<?>) ((List<?>) op.value()).get(1));
    }
    assertThat(elements).hasSize(10_500);
    Op check = ops(h, "check-prefill").get(0);
    assertThat(check.process()).isEqualTo(Op.NEMESIS);
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) check.value();
    assertThat(v).containsEntry("node", "n1").containsEntry("commands", 11L).containsEntry("complete", true);
  }

  @Test
  void theSetCheckersCountEveryPrefilledMemberAsAnAcknowledgedAddAndCatchOneThatGoesMissing()
      throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    Workload workload = Workloads.named("set-removes", new Prefill(3_000, 1));
    assertThat(fill(cluster, workload, 2).complete()).isTrue();
    ClientHistory history = new ClientHistory(recorder);
    FinalReads.record(cluster, cluster.nodes(), workload, history, 100);

    History h = recorder.history();
    CheckResult removes = Independent.of(Checkers.named("set-removes")).check(h);
    CheckResult kept = Independent.of(Checkers.named("set-full-kept")).check(h);
    // s1 and s2 were never written: set-full calls them unknown; s0 is what the pre-fill filled.
    assertThat(removes.valid()).isEqualTo(Validity.TRUE);
    assertThat(result(kept, "s0").valid()).isEqualTo(Validity.TRUE);
    assertThat(result(removes, "s0").get("acknowledged-count")).isEqualTo(3_000);
    assertThat(result(kept, "s0").get("stable-count")).isEqualTo(3_000);

    // A member acknowledged by the pre-fill that a node no longer holds is lost, to both.
    try (var client = cluster.client("n2")) {
      client.srem("s0", "1234");
    }
    FinalReads.record(cluster, cluster.nodes(), workload, history, 200);
    History after = recorder.history();
    assertThat(result(Independent.of(Checkers.named("set-removes")).check(after), "s0").get("lost"))
        .isEqualTo(List.of(1234L));
    assertThat(result(Independent.of(Checkers.named("set-full-kept")).check(after), "s0").get("lost"))
        .isEqualTo(List.of(1234L));
  }

  @SuppressWarnings("unchecked")
  private static CheckResult result(CheckResult independent, String key) {
    return ((Map<String, CheckResult>) independent.get("results")).get(key);
  }

  @Test
  void aCommandThatTimedOutIsSentAgainAsANewOperationOfANewProcess() throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    cluster.failSaddAll.set(2);
    Workload workload = Workloads.named("set-removes", new Prefill(2_000, 1));
    PrefillRun.Outcome o = fill(cluster, workload, 1);

    assertThat(o.complete()).as(o.errors().toString()).isTrue();
    assertThat(o.commands()).isEqualTo(4);
    assertThat(o.retries()).isEqualTo(2);
    History h = recorder.history();
    List<Op> completions = ops(h, PrefillRun.ADD_ALL).stream().filter(op -> !op.isInvoke()).toList();
    assertThat(completions).extracting(op -> op.type().name()).containsExactly("INFO", "INFO", "OK", "OK");
    assertThat(completions.get(0).extra("error")).isEqualTo("n1: SADD s0: Read timed out");
    // After an info the process may still have its command in flight: the retry is another process.
    assertThat(completions).extracting(Op::process)
        .containsExactly(PrefillRun.FIRST_PROCESS, PrefillRun.FIRST_PROCESS + 1, PrefillRun.FIRST_PROCESS + 2,
            PrefillRun.FIRST_PROCESS + 2);
  }

  @Test
  void aChunkThatNeverSucceedsStopsThePrefillWithWhatFailedWhereAndNothingIsAwaited() throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    cluster.failSaddAll.set(PrefillRun.ATTEMPTS);
    Workload workload = Workloads.named("set-removes", new Prefill(5_000, 1));
    PrefillRun.Outcome o = fill(cluster, workload, 1);

    assertThat(o.complete()).isFalse();
    assertThat(o.errors())
        .containsExactly("pre-fill: SADD of s0 members 0..999 on n1 did not succeed in 3 attempts; last: n1: SADD s0: Read timed out");
    assertThat(o.commands()).isEqualTo(3);
    assertThat(o.replicatedNanos()).isNull();
    assertThat(time.nanos).as("no replication wait").isZero();
  }

  @Test
  void aNodeThatNeverHoldsTheWholeSetEndsTheWaitAtItsBoundNamingIt() throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    cluster.lagging = "n3";
    Workload workload = Workloads.named("set", new Prefill(1_000, 2));
    PrefillRun.Outcome o = fill(cluster, workload, 2);

    assertThat(o.complete()).isFalse();
    assertThat(o.errors())
        .containsExactly("pre-fill: not every node holds the pre-filled sets 5 s after the last SADD was"
            + " acknowledged: n3 s0 999 of 1000, n3 s1 999 of 1000");
    assertThat(o.sizes().get("n3")).containsExactly(Map.entry("s0", 999L), Map.entry("s1", 999L));
    assertThat(time.nanos).isBetween(4_750_000_000L, 5_000_000_000L);
  }

  @Test
  void aWorkloadWithoutAPrefillAndBadSettingsAreRefused() {
    FakeCluster cluster = new FakeCluster(3, dir);
    assertThatThrownBy(() -> fill(cluster, Workloads.named("set"), 1))
        .hasMessage("workload set: no prefill (expected: a set workload with a prefill)");
    assertThatThrownBy(() -> new PrefillRun(cluster, Workloads.named("set"), recorder, time, 0, 1, 1))
        .hasMessage("inFlight: 0 (expected: 1..64)");
    assertThatThrownBy(() -> new PrefillRun(cluster, Workloads.named("set"), recorder, time, 1, -1, 1))
        .hasMessage("replicationLimitMillis: -1, pollMillis: 1 (expected: >= 0 and >= 1)");
    assertThat(text.toString()).isEmpty();
  }

  @Test
  void prefilledMembersBecomeRemovableThroughTheNodeThatAcknowledgedThem() throws Exception {
    FakeCluster cluster = new FakeCluster(3, dir);
    Workload workload = Workloads.named("set-removes", new Prefill(1_000, 1));
    fill(cluster, workload, 1);
    Random random = new Random(1);
    boolean removedPrefilled = false;
    for (int i = 0; i < 200 && !removedPrefilled; i++) {
      Request r = workload.next("n1", random);
      removedPrefilled = r.kind() == Request.Kind.SET_REMOVE && r.argument() < 1_000;
    }
    assertThat(removedPrefilled).isTrue();
  }
}
