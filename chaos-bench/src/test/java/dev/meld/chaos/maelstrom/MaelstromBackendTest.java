package dev.meld.chaos.maelstrom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Maelstrom backend on real processes: Meld's Maelstrom node passes all four workloads under
 * partitions, two deliberately broken nodes are caught, and a g-set written in JavaScript passes
 * unchanged. Short runs (4 s of clients, a partition every 0.8 s) keep each test to seconds.
 */
class MaelstromBackendTest {

  @TempDir Path out;

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private static String java(String mainClass, String args) {
    return quote(JAVA) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx128m -cp "
        + quote(System.getProperty("java.class.path")) + " " + mainClass + " " + args;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static final String MELD = java("dev.meld.maelstrom.MaelstromMain", "");

  private MaelstromResult run(String bin, String workload) throws Exception {
    MaelstromSettings s =
        MaelstromSettings.defaults(bin, workload)
            .withShape(3, 3, 30, Duration.ofSeconds(4))
            .withNemeses(List.of("partition"), Duration.ofMillis(800))
            .withQuiesceLimit(Duration.ofSeconds(20))
            .withSeed(7);
    MaelstromResult r = new MaelstromRunner(s).run(out.resolve(workload));
    System.out.print(r.summary());
    return r;
  }

  private static void assertPassedUnderPartitions(MaelstromResult r) {
    assertThat(r.valid()).as(r.summary()).isEqualTo(Validity.TRUE);
    assertThat(r.faults()).as("partitions injected").isNotEmpty();
    assertThat(r.history().stream().filter(o -> o.f().equals("start-partition")).count()).isPositive();
    assertThat(r.convergenceMillis()).isNotNull();
    assertThat(r.outcomes().get("ok")).isGreaterThan(20);
    assertThat(r.history().stream().filter(o -> o.f().equals("final-read") && o.isOk()).count()).isEqualTo(3);
    assertThat(r.messagesPerOp()).isPositive();
  }

  @Test
  void meldPassesGCounterUnderPartitions() throws Exception {
    assertPassedUnderPartitions(run(MELD, "g-counter"));
  }

  @Test
  void meldPassesPnCounterUnderPartitions() throws Exception {
    assertPassedUnderPartitions(run(MELD, "pn-counter"));
  }

  @Test
  void meldPassesGSetUnderPartitions() throws Exception {
    assertPassedUnderPartitions(run(MELD, "g-set"));
  }

  @Test
  void meldPassesBroadcastUnderPartitions() throws Exception {
    MaelstromResult r = run(MELD, "broadcast");
    assertPassedUnderPartitions(r);
    assertThat(r.history().stream().filter(o -> o.f().equals("broadcast") && o.isOk()).count()).isPositive();
  }

  @Test
  void aGSetThatDropsEveryFifthAddIsCaughtLosingThem() throws Exception {
    MaelstromResult r = run(java(ToyNode.class.getName(), "g-set --drop-every 5"), "g-set");
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    CheckResult set = (CheckResult) r.check().get("set");
    assertThat(set.valid()).isEqualTo(Validity.FALSE);
    assertThat(((Number) set.get("lost-count")).intValue()).isPositive();
    assertThat(((CheckResult) r.check().get("set-full")).valid()).isEqualTo(Validity.FALSE);
  }

  @Test
  void aPnCounterThatCountsSomeIncrementsTwiceIsCaughtByItsFinalReads() throws Exception {
    MaelstromResult r = run(java(ToyNode.class.getName(), "pn-counter --double-every 4"), "pn-counter");
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.check().valid()).isEqualTo(Validity.FALSE);
    assertThat((List<?>) r.check().get("errors")).isNotEmpty();
  }

  @Test
  void theToyNodeWithoutItsBugsPassesSoTheFailuresAboveAreTheBugs() throws Exception {
    assertPassedUnderPartitions(run(java(ToyNode.class.getName(), "pn-counter"), "pn-counter"));
  }

  @Test
  void aGSetWrittenInJavaScriptPassesUnchanged() throws Exception {
    Path script = Path.of(MaelstromBackendTest.class.getResource("/maelstrom/gset.js").toURI());
    MaelstromResult r = run("node " + quote(script.toString()), "g-set");
    assertPassedUnderPartitions(r);
    assertThat(r.rejectedLines()).isZero();
    assertThat(r.history().stream().filter(Op::isClient).map(Op::f)).contains("add", "read");
  }
}
