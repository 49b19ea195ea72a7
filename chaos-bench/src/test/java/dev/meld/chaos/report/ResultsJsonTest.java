package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.history.Props;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code results.json}: the documented schema, key order and round trip. */
class ResultsJsonTest {

  private static final long MS = 1_000_000L;

  /** The small run whose results.json is pinned in {@code report/results-example.json}. */
  static ScenarioResult example() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INVOKE, 0L, "add", 1L, Map.of("node", "n1")),
                new Op(1, 2 * MS, OpType.OK, 0L, "add", 1L, Map.of("node", "n1")),
                new Op(
                    2,
                    10 * MS,
                    OpType.INFO,
                    Op.NEMESIS,
                    "start-partition",
                    Map.of("n1", List.of("n2")),
                    Map.of("verified", true)),
                new Op(3, 11 * MS, OpType.INVOKE, 1L, "add", 2L, Map.of("node", "n2")),
                new Op(
                    4,
                    511 * MS,
                    OpType.INFO,
                    1L,
                    "add",
                    2L,
                    Map.of("node", "n2", "error", "timeout")),
                new Op(5, 600 * MS, OpType.INFO, Op.NEMESIS, "stop-partition", null),
                new Op(6, 700 * MS, OpType.INVOKE, 0L, "read", null),
                new Op(7, 703 * MS, OpType.OK, 0L, "read", 3L)));
    Instant start = Instant.parse("2025-06-01T12:00:00Z");
    return ScenarioResult.builder("counter-partition")
        .seed(7)
        .backend("local")
        .nodes(List.of("n1", "n2"))
        .start(start)
        .end(start.plusMillis(750))
        .phase("workload", 0, 600 * MS)
        .phase("final-reads", 700 * MS, 703 * MS)
        .history(h)
        .check("counter", dev.meld.chaos.checker.Checkers.named("counter").check(h))
        .convergence(
            new Convergence(
                600 * MS,
                650 * MS,
                SyntheticRun.ordered("n1", "ab12", "n2", "ab12"),
                SyntheticRun.ordered("n1", 3, "n2", 3)))
        .lagSample(4 * MS)
        .lagSample(9 * MS)
        .build();
  }

  @Test
  void theExampleMatchesThePinnedSchemaKeyForKey() throws IOException {
    String golden;
    try (InputStream in = getClass().getResourceAsStream("/report/results-example.json")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String actual = ResultsJson.toJson(example());
    if (!actual.equals(golden)) {
      // Kept so a deliberate schema change can be reviewed and copied over the golden file.
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/results-example.actual.json"), actual);
    }
    assertThat(actual).isEqualTo(golden);
  }

  /** Law: writing, reading and writing again gives the same text, for any result. */
  @Test
  void roundTripIsIdentityOnTheText() {
    Props.check(
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      String json = ResultsJson.toJson(RandomResults.of(seed));
                      assertThat(ResultsJson.toJson(ResultsJson.fromJson(json))).isEqualTo(json);
                    }));
  }

  @Test
  void roundTripThroughAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(ResultsJson.FILE);
    ResultsJson.write(file, example());

    ScenarioResult back = ResultsJson.read(file);

    assertThat(back.valid()).isEqualTo(Validity.TRUE);
    assertThat(back.faults()).isEqualTo(example().faults());
    assertThat(back.ops()).isEqualTo(example().ops());
    assertThat(back.convergence()).isEqualTo(example().convergence());
    assertThat(back.replicationLag().p95Ns()).isEqualTo(9 * MS);
  }

  @Test
  void derivedKeysAreRecomputedOnReadingNotTrusted() {
    ScenarioResult invalid =
        ScenarioResult.builder("s")
            .check("set", CheckResult.of(Validity.FALSE, Map.of("lost-count", 2L)))
            .build();
    String lying =
        ResultsJson.toJson(invalid)
            .replaceFirst("\"valid\" : false", "\"valid\" : true")
            .replace("\"checker set: invalid (lost-count 2)\"", "");

    ScenarioResult back = ResultsJson.fromJson(lying);

    assertThat(back.valid()).isEqualTo(Validity.FALSE);
    assertThat(back.violations()).containsExactly("checker set: invalid (lost-count 2)");
  }

  @Test
  void convergenceViolationsNameWhatIsMissingOrDifferent() {
    ScenarioResult noDigests =
        ScenarioResult.builder("c")
            .convergence(new Convergence(1L, 2L, Map.of(), SyntheticRun.ordered("n1", 1, "n2", 2)))
            .build();

    assertThat(noDigests.violations())
        .containsExactly(
            "convergence: no root digest was read",
            "convergence: final reads differ between nodes");
    assertThat(noDigests.valid()).isEqualTo(Validity.FALSE);
  }

  @Test
  void aSetReadInAnyOrderIsTheSameFinalRead() {
    Convergence c =
        new Convergence(
            1L,
            2L,
            SyntheticRun.ordered("n1", "ab", "n2", "ab"),
            SyntheticRun.ordered("n1", List.of(3, 1, 2), "n2", List.of(1, 2, 3)));

    assertThat(c.converged()).isTrue();
  }

  @Test
  void aSkippedScenarioKeepsItsReason() {
    ScenarioResult skipped = ScenarioResult.skipped("clock-strobe", "libfaketime is not installed");

    ScenarioResult back = ResultsJson.fromJson(ResultsJson.toJson(skipped));

    assertThat(back.skipped()).isEqualTo("libfaketime is not installed");
    assertThat(back.valid()).isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void aCheckerVerdictThatIsNotJepsensIsRejectedWithTheValue() {
    String json =
        ResultsJson.toJson(example())
            .replace(
                "\"counter\" : {\n      \"valid\" : true",
                "\"counter\" : {\n      \"valid\" : \"maybe\"");
    assertThat(json).contains("\"maybe\"");

    assertThatThrownBy(() -> ResultsJson.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"maybe\"")
        .hasMessageContaining("expected true, false or \"unknown\"");
  }

  @Test
  void aBadInstantIsRejectedWithTheValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(ResultsJson.FILE);
    Files.writeString(file, ResultsJson.toJson(example()).replace("2025-06-01T12:00:00Z", "noon"));

    assertThatThrownBy(() -> ResultsJson.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ": results: ")
        .hasMessageContaining("\"noon\"")
        .hasMessageContaining("ISO-8601");
  }
}
