package dev.meld.chaos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meld-chaos run} and {@code list}, in-process: usage errors and what is listed. */
class RunCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return MeldChaos.execute(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    assertThat(run("run", "--scenario", "crash", "--out", dir.toString())).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).startsWith("meld-chaos run: scenario: \"crash\" (expected: one of crash_restart,");
  }

  @Test
  void aMissingNodeJarIsAUsageErrorThatSaysHowToBuildIt() {
    int code =
        run("run", "--scenario", "crash_restart", "--node-jar", dir.resolve("nope.jar").toString(), "--out", dir.toString());
    assertThat(code).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("nope.jar does not exist").contains("mvn -pl node -am package -DskipTests");
  }

  @Test
  void badSizesAreUsageErrorsNamingTheValue() {
    assertThat(run("run", "--nodes", "12", "--out", dir.toString())).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("nodes: 12 (expected: 1..9");
    assertThat(run("run", "--time-limit", "500ms", "--out", dir.toString())).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("time limit: 500 ms (expected: >= 1000 ms)");
    assertThat(run("run", "--time-limit", "soon")).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("duration: \"soon\"");
    assertThat(run("run", "--backend", "vm", "--out", dir.toString())).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("backend: \"vm\" (expected: local, sim, docker or maelstrom)");
    // Checked before any engine is asked, so this holds with or without Docker.
    assertThat(run("run", "--backend", "docker", "--node-jar", "nope.jar", "--out", dir.toString()))
        .isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("nope.jar does not exist (expected: the node's runnable jar, baked into the debug image");
    assertThat(run("run", "--seeds", "10", "--out", dir.toString())).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("seeds: 10 (expected: 1, or more with --backend sim)");
  }

  @Test
  void maelstromRefusesAScenarioFileInsteadOfIgnoringIt() throws Exception {
    Path file = dir.resolve("b.yaml");
    java.nio.file.Files.copy(Path.of("examples/backup_restore.yaml"), file);
    int code = run("run", "--backend", "maelstrom", "--bin", "true", "--scenario-file", file.toString(), "--out", dir.toString());

    assertThat(code).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString())
        .contains("scenario file: " + file + " with --backend maelstrom (expected: --backend local, sim or docker;");
  }

  @Test
  void listNamesScenariosSuitesNemesesAndWorkloads() {
    assertThat(run("list")).isEqualTo(0);
    assertThat(out.toString())
        .contains("scenarios:", "crash_restart", "membership_churn", "combined")
        .contains("suites:", "smoke ", "nemeses:", "partition-bridge", "backup", "restore", "workloads:", "set-removes");
  }
}
