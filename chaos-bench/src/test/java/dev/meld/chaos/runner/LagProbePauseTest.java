package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lag probe is held before a step that may lose data, like the workload's clients: a restore
 * with one of its requests in flight is what the drain prevents. Before, only the clients were
 * held, and {@code BackupRestoreStepsTest} failed now and then on a loaded machine with a probe
 * read in flight at the restore.
 */
class LagProbePauseTest {

  @TempDir Path out;

  @Test
  void aPausedProbeHasNoRequestInFlightAndStartsNoneUntilResumed() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    AtomicInteger samples = new AtomicInteger();
    LagProbe probe = new LagProbe(cluster, 10, 1_000, lag -> samples.incrementAndGet());
    probe.start();
    try {
      synchronized (cluster) { // the fake serves no request meanwhile: the probe's next one waits
        long until = System.nanoTime() + 10_000_000_000L;
        while (cluster.inFlight() == 0 && System.nanoTime() < until) {
          Thread.sleep(1);
        }
        assertThat(cluster.inFlight()).as("a probe request waiting").isEqualTo(1);
        assertThat(probe.pause(Duration.ofMillis(100))).as("a round in flight").isFalse();
      }
      assertThat(probe.pause(Duration.ofSeconds(10))).as("the round ended").isTrue();
      int held = samples.get();
      Thread.sleep(300);
      assertThat(samples.get()).as("no round while paused").isEqualTo(held);
      probe.resume();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (samples.get() == held && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(samples.get()).as("rounds again once resumed").isGreaterThan(held);
    } finally {
      probe.stop();
    }
  }
}
