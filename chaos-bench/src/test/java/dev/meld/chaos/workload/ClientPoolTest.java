package dev.meld.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.report.ProgressLine;
import dev.meld.chaos.runner.FakeCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ClientPoolTest {

  private static ProgressLine silent() {
    return new ProgressLine("t", new PrintStream(OutputStream.nullOutputStream()), false, System::nanoTime);
  }

  @Test
  void aProcessWhoseRequestEndedInfoContinuesAsANewProcess() throws Exception {
    FakeCluster cluster = new FakeCluster(2, Path.of("unused"));
    HistoryRecorder recorder = new HistoryRecorder(new StringWriter(), System::nanoTime);
    ClientPool pool =
        new ClientPool(
            cluster, cluster.nodes(), 2, 500, 10_000, Workloads.named("counter"), new ClientHistory(recorder), silent(), 1);
    pool.start(Duration.ofSeconds(20));
    awaitCount(recorder, Op::isOk, 50);
    cluster.kill("n1"); // n1's requests are refused: info
    awaitCount(recorder, Op::isInfo, 5);
    cluster.restart("n1");
    assertThat(pool.stop(Duration.ofSeconds(5))).isTrue();

    History h = recorder.history();
    Map<Object, Long> endedInfoAt = new HashMap<>();
    for (Op op : h) {
      if (op.isInvoke()) {
        assertThat(endedInfoAt).as("process %s invokes after its info", op.process()).doesNotContainKey(op.process());
      } else if (op.isInfo()) {
        endedInfoAt.put(op.process(), op.index());
      }
    }
    assertThat(endedInfoAt).isNotEmpty();
    assertThat(pool.processesUsed()).isGreaterThan(4);
  }

  /** Waits (at most 10 s) until the history holds {@code n} ops matching {@code which}. */
  private static void awaitCount(HistoryRecorder recorder, Predicate<Op> which, int n)
      throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (recorder.history().stream().filter(which).count() < n) {
      assertThat(System.nanoTime()).as("%d matching ops within 10 s", n).isLessThan(end);
      Thread.sleep(10);
    }
  }

  @Test
  void requestsStopAtTheBudget() throws Exception {
    Cluster cluster = new FakeCluster(3, Path.of("unused"));
    HistoryRecorder recorder = new HistoryRecorder(new StringWriter(), System::nanoTime);
    ClientPool pool =
        new ClientPool(
            cluster, List.of("n1", "n2", "n3"), 3, 2_000, 50, Workloads.named("set"), new ClientHistory(recorder), silent(), 2);
    pool.start(Duration.ofSeconds(10));
    assertThat(pool.stop(Duration.ofSeconds(1))).isTrue();
    long started = System.nanoTime();
    assertThat(recorder.history().stream().filter(Op::isInvoke).count()).isLessThanOrEqualTo(50);
    assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
  }

  @Test
  void pauseWaitsUntilNothingIsInFlightAndResumeLetsClientsGoOn() throws Exception {
    FakeCluster cluster = new FakeCluster(2, Path.of("unused"));
    HistoryRecorder recorder = new HistoryRecorder(new StringWriter(), System::nanoTime);
    ClientPool pool =
        new ClientPool(
            cluster, cluster.nodes(), 2, 1_000, 100_000, Workloads.named("counter"), new ClientHistory(recorder), silent(), 3);
    pool.start(Duration.ofSeconds(20));
    awaitCount(recorder, Op::isOk, 10);
    assertThat(pool.pause(Duration.ofSeconds(2))).isTrue();
    int during = recorder.history().size();
    Thread.sleep(300);
    assertThat(recorder.history().size()).isEqualTo(during);
    pool.resume();
    awaitCount(recorder, op -> op.index() > during, 1);
    assertThat(pool.stop(Duration.ofSeconds(5))).isTrue();
  }
}
