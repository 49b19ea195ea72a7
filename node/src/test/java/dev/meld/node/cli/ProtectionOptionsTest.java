package dev.meld.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.server.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of issue 15: client limits, the admin token, and the insecure admin opt-in. */
class ProtectionOptionsTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return MeldNodeMain.run(
        args,
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        node -> node.shutdown());
  }

  private static NodeConfig parse(String... args) {
    MeldNodeMain main = new MeldNodeMain();
    new CommandLine(main).parseArgs(args);
    return main.nodeConfig();
  }

  @Test
  void theIdleTimeoutIsOnByDefaultAndAPlainNumberIsSecondsAsInRedis() {
    assertThat(parse().clientIdleTimeoutMillis()).isEqualTo(300_000);
    assertThat(parse("--timeout", "60").clientIdleTimeoutMillis()).isEqualTo(60_000);
    assertThat(parse("--timeout", "500ms").clientIdleTimeoutMillis()).isEqualTo(500);
    assertThat(parse("--timeout", "0").clientIdleTimeoutMillis()).isZero();
    NodeConfig c = parse("--maxclients", "5", "--client-request-budget", "100000000");
    assertThat(c.maxClients()).isEqualTo(5);
    assertThat(c.clientRequestBudgetBytes()).isEqualTo(100_000_000);
    assertThat(run("--client-request-budget", "1000", "--mesh", "127.0.0.1:0")).isEqualTo(2);
    assertThat(err.toString()).contains("clientRequestBudgetBytes: 1000 (expected: >= 67108864)");
  }

  @Test
  void theAdminTokenComesFromItsFileElseFromThePassword() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "0123456789abcdef-token\n");
    assertThat(parse("--admin-token-file", file.toString()).effectiveAdminToken())
        .isEqualTo("0123456789abcdef-token");
    assertThat(parse("--password", "pw").effectiveAdminToken()).isEqualTo("pw");
    assertThat(
            parse("--password", "pw", "--admin-token-file", file.toString()).effectiveAdminToken())
        .isEqualTo("0123456789abcdef-token");
    assertThat(parse().effectiveAdminToken()).isNull();
  }

  @Test
  void aShortAdminTokenIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "short\n");
    assertThat(run("--admin-token-file", file.toString(), "--mesh", "127.0.0.1:0")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--admin-token-file: " + file + " holds a token of 5 bytes (expected: >= 16)");
  }

  @Test
  void anUnresolvedLoopbackLiteralCountsAsLoopback() {
    // The CLI's addresses are unresolved; 127.0.0.1:9379 was taken for a remote address.
    assertThat(
            dev.meld.node.admin.AdminConfig.isLoopback(
                java.net.InetSocketAddress.createUnresolved("127.0.0.1", 9379)))
        .isTrue();
    assertThat(
            dev.meld.node.admin.AdminConfig.isLoopback(
                java.net.InetSocketAddress.createUnresolved("::1", 9379)))
        .isTrue();
    assertThat(
            dev.meld.node.admin.AdminConfig.isLoopback(
                java.net.InetSocketAddress.createUnresolved("0.0.0.0", 9379)))
        .isFalse();
    assertThat(
            dev.meld.node.admin.AdminConfig.isLoopback(
                java.net.InetSocketAddress.createUnresolved("admin.example", 9379)))
        .as("a host name is not looked up")
        .isFalse();
  }

  @Test
  void adminInsecureOffLoopbackIsAUsageError() {
    assertThat(
            run("--admin-insecure", "--admin", "0.0.0.0:0", "--mesh", "127.0.0.1:0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--admin-insecure: the admin port 0.0.0.0:0 is not loopback");
    assertThat(parse("--admin-insecure").adminInsecure()).isTrue();
  }
}
