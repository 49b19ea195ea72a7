package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process supervisor against a real child JVM: kill, pause and resume, terminate. */
class ChildProcessTest {

  @TempDir Path dir;
  private ChildProcess child;

  @AfterEach
  void killChild() throws Exception {
    if (child != null && child.alive()) {
      child.kill();
    }
  }

  @Test
  void sigkillEndsTheProcess() throws Exception {
    child = TestChildren.start(dir, Map.of());
    TestChildren.awaitBeats(dir, 1);

    assertThat(child.kill()).isTrue();

    assertThat(child.alive()).isFalse();
    assertThat(child.exitCode()).contains(137); // 128 + SIGKILL
    assertThat(Files.readString(dir.resolve("child.log"))).doesNotContain("drain completed");
  }

  @Test
  void pauseStopsTheProcessAndResumeLetsItGoOn() throws Exception {
    child = TestChildren.start(dir, Map.of());
    TestChildren.awaitBeats(dir, 1);

    assertThat(child.pause()).isTrue();
    assertThat(child.stopped()).isTrue();
    long frozen = TestChildren.read(dir)[0];
    Thread.sleep(300); // 15 beats' worth
    assertThat(TestChildren.read(dir)[0]).isEqualTo(frozen);

    assertThat(child.resume()).isTrue();
    assertThat(child.stopped()).isFalse();
    TestChildren.awaitBeats(dir, frozen + 3);
  }

  @Test
  void sigtermLetsTheProcessDrainAndExitZero() throws Exception {
    child = TestChildren.start(dir, Map.of());
    TestChildren.awaitBeats(dir, 1);

    Optional<Integer> exit = child.terminate(Duration.ofSeconds(10));

    assertThat(exit).contains(0);
    assertThat(DrainLog.result(Files.readAllLines(dir.resolve("child.log"))))
        .hasValueSatisfying(line -> assertThat(DrainLog.completed(line)).isTrue());
  }

  @Test
  void aPausedProcessCanBeKilled() throws Exception {
    child = TestChildren.start(dir, Map.of());
    TestChildren.awaitBeats(dir, 1);
    assertThat(child.pause()).isTrue();

    assertThat(child.kill()).isTrue();
    assertThat(child.alive()).isFalse();
  }

  @Test
  void theChildIsRegisteredWithTheReaperUntilKilled() throws Exception {
    long before = Reaper.alive();
    child = TestChildren.start(dir, Map.of());
    assertThat(Reaper.alive()).isEqualTo(before + 1);
    child.kill();
    assertThat(Reaper.alive()).isEqualTo(before);
  }

  @Test
  void processStateIsReadAfterTheLastParenthesis() {
    assertThat(ChildProcess.processState("4242 (java) S 1 4242")).isEqualTo('S');
    assertThat(ChildProcess.processState("4242 (a) b) (c) T 1 4242")).isEqualTo('T');
    assertThatThrownBy(() -> ChildProcess.processState("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stat: \"garbage\" (expected: pid (comm) state ...)");
  }
}
