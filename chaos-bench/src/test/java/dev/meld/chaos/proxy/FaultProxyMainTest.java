package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The standalone process entry point, run in-process through picocli. */
class FaultProxyMainTest {

  private static final Pattern URL = Pattern.compile("API on (http://\\S+) \\(seed (-?\\d+)\\)");

  @TempDir Path dir;

  @Test
  void servesProxiesFromItsConfigFileUntilStopped() throws Exception {
    Path config = dir.resolve("proxies.json");
    Files.writeString(config, "[{\"name\": \"x\", \"upstream\": \"127.0.0.1:9\"}]");
    FaultProxyMain main = new FaultProxyMain();
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(main).setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> command.execute("--port", "0", "--seed", "9", "--config", config.toString()));
    ProxyHarness.eventually(
        Duration.ofSeconds(10), "the API line", () -> URL.matcher(out.toString()).find());
    Matcher line = URL.matcher(out.toString());
    assertThat(line.find()).isTrue();
    assertThat(line.group(2)).isEqualTo("9");
    URI api = URI.create(line.group(1));
    ToxiproxyClient client = new ToxiproxyClient(api.getHost(), api.getPort());
    assertThat(client.getProxy("x").getUpstream()).isEqualTo("127.0.0.1:9");
    main.stop();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void rejectsAPortOutOfRange() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new FaultProxyMain())
            .setErr(new PrintWriter(err, true))
            .execute("--port", "70000");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--port: 70000 (expected: 0..65535)");
  }

  @Test
  void reportsAnApiAddressInUse() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int exit =
          new CommandLine(new FaultProxyMain())
              .setErr(new PrintWriter(err, true))
              .execute("--port", String.valueOf(taken.getLocalPort()));
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString())
          .contains("cannot listen on")
          .contains(String.valueOf(taken.getLocalPort()));
    }
  }

  @Test
  void rejectsAnInvalidConfigFileWithTheApisMessage() throws Exception {
    Path config = dir.resolve("bad.json");
    Files.write(config, "[{\"name\": \"x\"}]".getBytes(StandardCharsets.UTF_8));
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new FaultProxyMain())
            .setErr(new PrintWriter(err, true))
            .execute("--port", "0", "--config", config.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("missing required field: upstream at proxy 1");
  }
}
