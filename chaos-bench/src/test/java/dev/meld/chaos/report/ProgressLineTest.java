package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.OpType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  private static final long MS = 1_000_000L;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong(1_000 * MS);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long count(String s, char c) {
    return s.chars().filter(x -> x == c).count();
  }

  @Test
  void onATerminalItRedrawsOneLineAtMostFourTimesASecond() {
    ProgressLine p = new ProgressLine("s", out, true, clock::get, 200);
    for (int i = 0; i < 2000; i++) {
      clock.addAndGet(MS); // 2,000 ops over 2 s
      p.opCompleted(OpType.OK, 3 * MS);
    }

    assertThat(count(printed(), '\r')).isBetween(7L, 9L);
    assertThat(printed()).doesNotContain("\n");
    p.close();
    assertThat(printed()).endsWith("\n").contains("ops 2,000 (ok 2,000 fail 0 info 0)");
  }

  @Test
  void aShorterLineBlanksWhatWasLeftOfTheLongerOne() {
    ProgressLine p = new ProgressLine("s", out, true, clock::get, 300);
    p.violation("x".repeat(50));
    bytes.reset();
    clock.addAndGet(1000 * MS);
    p.phase("heal");
    p.tick();

    String[] redraws = printed().split("\r");
    String last = redraws[redraws.length - 1];
    assertThat(last).startsWith("[s] heal").endsWith(" ");
  }

  @Test
  void withoutATerminalItPrintsPlainLinesPeriodicallyAndAtEachPhase() {
    ProgressLine p = new ProgressLine("s", out, false, clock::get, 300);
    p.phase("setup");
    p.phase("workload");
    for (int i = 0; i < 300; i++) {
      clock.addAndGet(100 * MS); // 30 s
      p.opCompleted(OpType.OK, MS);
    }
    p.close();

    String[] lines = printed().split("\n");
    assertThat(printed()).doesNotContain("\r");
    assertThat(lines[0]).startsWith("[s] setup 0.0 s");
    assertThat(lines[1]).startsWith("[s] workload 0.0 s");
    // one line when the first op completes, then one every 10 s, then the last one
    assertThat(lines).hasSizeBetween(5, 7);
    assertThat(lines[lines.length - 1]).contains("ops 300 ");
  }

  @Test
  void theLineShowsPhaseRatesFaultsAndViolations() {
    ProgressLine p = new ProgressLine("partition-halves", out, false, clock::get, 400);
    p.phase("workload");
    p.faultStarted("partition");
    p.faultStarted("kill");
    p.faultStarted("kill");
    p.faultStarted("pause");
    p.faultEnded("pause");
    p.faultEnded("never-started");
    clock.addAndGet(2000 * MS);
    for (int i = 0; i < 10; i++) {
      p.opCompleted(i < 6 ? OpType.OK : i < 8 ? OpType.FAIL : OpType.INFO, 4 * MS);
    }
    p.violation("checker set: lost 3");

    String line = p.line(clock.get() + 0);

    assertThat(line)
        .startsWith("[partition-halves] workload 2.0 s | ops 10 (ok 6 fail 2 info 2) | ")
        .contains(", mean 4.00 ms")
        .contains("| faults: kill x2, partition |")
        .endsWith("| violations 1 (last: checker set: lost 3)");
  }

  @Test
  void manyThreadsCountEveryOpAndDrawBoundedly() throws InterruptedException {
    ProgressLine p = new ProgressLine("s", out, true, System::nanoTime, 200);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 50_000; i++) {
                  p.opCompleted(i % 10 == 0 ? OpType.INFO : OpType.OK, 1000);
                }
              }));
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(30_000);
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
    p.close();

    assertThat(printed()).contains("ops 200,000 (ok 180,000 fail 0 info 20,000)");
    assertThat(count(printed(), '\r')).isLessThanOrEqualTo(4 * seconds + 2);
  }

  @Test
  void controlCharactersFromTheRunAreNotPrinted() {
    ProgressLine p = new ProgressLine("a\u001b[2Jb", out, false, clock::get, 200);
    p.phase("x\ry");
    p.close();

    assertThat(printed()).doesNotContain("\u001b").doesNotContain("\r").contains("[a?[2Jb] x?y");
  }

  @Test
  void anInvokeIsNotACompletion() {
    ProgressLine p = new ProgressLine("s", out, false, clock::get, 200);

    assertThatThrownBy(() -> p.opCompleted(OpType.INVOKE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type: invoke (expected: ok, fail or info)");
  }
}
