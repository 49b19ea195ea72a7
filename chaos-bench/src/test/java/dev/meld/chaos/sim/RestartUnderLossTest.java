package dev.meld.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.scenario.Scenarios;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept seed from the 2,800-run sweep of issue 15 (finding 6): {@code combined} seed 1078. n4 is
 * killed at 2.3 s and restarted while every link drops a quarter of its messages; it was still
 * "not ready in time" ten seconds later. Readiness waits for a completed anti-entropy session with
 * every live peer, and a session did not resend a lost message: each loss stalled it until the
 * session timeout (2 s) aborted it, and n4 lost every session with n3 (19 aborted). Sessions now
 * resend their last message on silence ({@code AntiEntropy}), and the restart is ready.
 */
class RestartUnderLossTest {

  @TempDir Path out;

  @Test
  void combinedSeed1078AMemberRestartedWhileEveryLinkLosesAQuarterOfItsMessagesIsReady()
      throws Exception {
    SimRunner runner = new SimRunner(RunSettings.defaults(), List.of(), b -> b, true);
    ScenarioResult r = runner.run(Scenarios.named("combined"), 1078, out);
    assertThat(r.faults())
        .filteredOn(f -> f.kind().equals("kill"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.targets()).containsExactly("n4");
              assertThat(f.verified()).as(f.detail()).isTrue(); // the restart was ready in time
            });
    assertThat(r.violations()).isEmpty();
    assertThat(r.valid()).isEqualTo(Validity.TRUE);
  }
}
