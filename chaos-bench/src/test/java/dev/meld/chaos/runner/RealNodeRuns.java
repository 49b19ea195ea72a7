package dev.meld.chaos.runner;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.chaos.cli.MeldChaos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@code meld-chaos run} in-process against real node processes for the integration tests:
 * the node jar comes from the reactor ({@code -Dmeld.node.jar}, set by the failsafe configuration),
 * results go to {@code target/<dir>/} where they stay to be looked at.
 */
final class RealNodeRuns {

  static final Path JAR = Path.of(System.getProperty("meld.node.jar", "../node/target/meld-node.jar"));

  /** What a run printed and returned. */
  record Run(int exitCode, String out, String err, Path dir) {

    /** Every scenario's results.json under the run's directory. */
    List<JsonNode> results() throws IOException {
      List<JsonNode> all = new ArrayList<>();
      try (Stream<Path> files = Files.walk(dir, 2)) {
        for (Path p : files.filter(f -> f.getFileName().toString().equals("results.json")).sorted().toList()) {
          all.add(new ObjectMapper().readTree(p.toFile()));
        }
      }
      return all;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + out + "\n" + err;
    }
  }

  private RealNodeRuns() {}

  /** Skips the test unless the node jar was built. */
  static void assumeNodeJar() {
    assumeTrue(
        Files.isRegularFile(JAR),
        "node jar " + JAR.toAbsolutePath() + " missing: mvn -B -q -pl node -am package -DskipTests");
  }

  /**
   * Runs {@code meld-chaos run} with {@code args}, the node jar, and {@code --out target/<dir>};
   * the previous run's directory is removed first, since the bench refuses to start nodes on
   * another run's data (a second {@code mvn verify} without {@code clean} would fail otherwise).
   */
  static Run run(String dir, String... args) throws IOException {
    Path out = Path.of("target", dir);
    deleteTree(out);
    List<String> all = new ArrayList<>(List.of("run", "--node-jar", JAR.toString(), "--out", out.toString()));
    all.addAll(List.of(args));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = MeldChaos.execute(new PrintWriter(stdout), new PrintWriter(stderr), all.toArray(String[]::new));
    return new Run(code, stdout.toString(), stderr.toString(), out);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
