package dev.meld.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.server.NodeRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The node command against a damaged store (issue 15): a data directory whose {@code CURRENT} was
 * deleted fails every start with the store's message and exit code 1, and no start changes the
 * directory; {@code --accept-data-loss} reaches the node's configuration.
 */
class StoreDamageStartTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int start(Path data) {
    return MeldNodeMain.run(
        new String[] {
          "--name", "n1",
          "--data-dir", data.toString(),
          "--client", "off",
          "--mesh", "127.0.0.1:0",
          "--admin", "127.0.0.1:0"
        },
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        NodeRuntime::shutdown);
  }

  private static Set<String> listing(Path data) throws IOException {
    try (Stream<Path> files = Files.list(data)) {
      Set<String> names = new TreeSet<>();
      files.forEach(p -> names.add(p.getFileName().toString()));
      return names;
    }
  }

  @Test
  void aDataDirectoryWithoutCurrentFailsEveryStartAndStaysAsItWas() throws IOException {
    Path data = dir.resolve("n1");
    assertThat(start(data)).isZero();
    Files.delete(data.resolve("CURRENT"));
    Set<String> before = listing(data);
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThat(start(data)).as("start %d", attempt).isEqualTo(1);
      assertThat(err.toString())
          .contains("meld-node: cannot start: store directory " + data)
          .contains("no CURRENT");
      assertThat(listing(data)).as("listing after start %d", attempt).isEqualTo(before);
    }
  }

  @Test
  void acceptDataLossIsOffUnlessGiven() {
    MeldNodeMain plain = new MeldNodeMain();
    new CommandLine(plain).parseArgs("--name", "n1");
    assertThat(plain.nodeConfig().acceptDataLoss()).isFalse();
    MeldNodeMain accepting = new MeldNodeMain();
    new CommandLine(accepting).parseArgs("--name", "n1", "--accept-data-loss");
    assertThat(accepting.nodeConfig().acceptDataLoss()).isTrue();
  }
}
