package dev.meld.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.Misbehavior;
import dev.meld.node.server.NodeConfig;
import dev.meld.node.server.NodeRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MeldNodeMainTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return MeldNodeMain.run(
        args, new PrintWriter(out, true), new PrintWriter(err, true), NodeRuntime::shutdown);
  }

  private static NodeConfig parse(String... args) {
    MeldNodeMain main = new MeldNodeMain();
    CommandLine cmd = new CommandLine(main);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.parseArgs(args);
    return main.nodeConfig();
  }

  @Test
  void helpListsTheOptionsButNotTheHiddenOne() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("--data-dir", "--seeds", "--cluster-secret-file", "--drain-timeout", "--fsync")
        .doesNotContain("misbehave");
  }

  @Test
  void aStartedNodePrintsWhereItListens() {
    int code =
        run(
            "--name", "n7",
            "--data-dir", dir.resolve("n7").toString(),
            "--client", "off",
            "--mesh", "127.0.0.1:0",
            "--admin", "127.0.0.1:0");
    assertThat(code).isZero();
    assertThat(out.toString())
        .matches(
            "(?s)meld node n7 \\(incarnation \\d+\\) client off mesh 127\\.0\\.0\\.1:\\d+ admin"
                + " 127\\.0\\.0\\.1:\\d+\\R");
  }

  @Test
  void aBadAddressIsAClearErrorWithExitCode2() {
    assertThat(run("--client", "nonsense")).isEqualTo(2);
    assertThat(err.toString())
        .contains("address: 'nonsense' (expected: host:port)")
        .contains("--help");
  }

  @Test
  void badDurationsPortsAndLevelsAreRefused() {
    assertThat(run("--drain-timeout", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("duration: 'soon'");
    assertThat(run("--mesh", "127.0.0.1:70000")).isEqualTo(2);
    assertThat(err.toString()).contains("70000 (expected: 0..65535)");
    assertThat(run("--log-level", "loud", "--mesh", "127.0.0.1:0")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-level: 'loud'");
    assertThat(run("--no-such-option")).isEqualTo(2);
  }

  @Test
  void twoSecretSourcesAreRefused() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123\n");
    assertThat(
            run("--cluster-secret", "x".repeat(20), "--cluster-secret-file", secret.toString()))
        .as(err::toString)
        .isEqualTo(2);
    assertThat(err.toString()).contains("both given (expected: one of them)");
  }

  @Test
  void theSecretFileIsReadWithoutItsNewline() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123\n");
    assertThat(parse("--cluster-secret-file", secret.toString()).clusterSecret())
        .isEqualTo("0123456789abcdef0123");
  }

  @Test
  void seedsDialsAndTheHiddenMisbehaviorsAreParsed() {
    NodeConfig c =
        parse(
            "--name", "n2",
            "--seeds", "n1=127.0.0.1:7001,n2=127.0.0.1:7002",
            "--dial", "n1=127.0.0.1:8001",
            "--ping-interval", "200ms",
            "--anti-entropy-interval", "1s",
            "--unsafe-misbehave=ack_before_durable,SKIP_ANTI_ENTROPY");
    assertThat(c.replica().seeds()).hasSize(2);
    assertThat(c.replica().seeds().get(0).address()).isEqualTo("127.0.0.1:7001");
    assertThat(c.dialOverrides().get("n1").getPort()).isEqualTo(8001);
    assertThat(c.replica().pingIntervalMillis()).isEqualTo(200);
    assertThat(c.replica().antiEntropyIntervalMillis()).isEqualTo(1_000);
    assertThat(c.replica().misbehaviors())
        .containsExactlyInAnyOrder(Misbehavior.ACK_BEFORE_DURABLE, Misbehavior.SKIP_ANTI_ENTROPY);
    assertThat(parse().replica().misbehaviors()).isEmpty();
  }

  @Test
  void aNameGivenTwiceInTheSeedsIsRefused() {
    assertThat(run("--seeds", "n1=h:1,n1=h:2")).isEqualTo(2);
    assertThat(err.toString()).contains("'n1' given twice");
  }

  @Test
  void theConfigFileSetsDefaultsAndTheCommandLineWins() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("node.properties"),
            "name=fromfile\ndrain-timeout=3s\ncluster=blue\nfsync=true\n");
    AtomicReference<NodeConfig> seen = new AtomicReference<>();
    int code =
        MeldNodeMain.run(
            new String[] {
              "--config", file.toString(),
              "--cluster", "green",
              "--data-dir", dir.resolve("d").toString(),
              "--client", "off",
              "--mesh", "127.0.0.1:0",
              "--admin", "off"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            node -> {
              seen.set(node.config());
              node.shutdown();
            });
    assertThat(code).as(err.toString()).isZero();
    assertThat(seen.get().nodeName()).isEqualTo("fromfile");
    assertThat(seen.get().drainTimeoutMillis()).isEqualTo(3_000);
    assertThat(seen.get().fsync()).isTrue();
    assertThat(seen.get().replica().clusterName()).isEqualTo("green");
  }

  @Test
  void anUnknownConfigKeyIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("node.properties"), "nmae=typo\n");
    assertThat(run("--config", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key 'nmae'");
  }

  @Test
  void durationsTakeUnits() {
    assertThat(Durations.millis("250")).isEqualTo(250);
    assertThat(Durations.millis("250ms")).isEqualTo(250);
    assertThat(Durations.millis("10s")).isEqualTo(10_000);
    assertThat(Durations.millis("2m")).isEqualTo(120_000);
  }
}
