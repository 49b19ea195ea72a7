package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.ReplicaConfig;
import dev.meld.node.server.CommandGateway;
import dev.meld.node.server.NodeConfig;
import dev.meld.node.server.NodeRuntime;
import dev.meld.node.testing.NoLeaks;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts Debian's {@code redis-cli} (package {@code redis-tools}) against a {@link RespServer} in
 * front of a real replica: one-shot commands, formatted and JSON output in RESP2 and RESP3 ({@code
 * -3}), a session on standard input (which starts, as an interactive one does, by loading help from
 * {@code COMMAND DOCS}), mass insertion with {@code --pipe} (also into a real node it outruns),
 * and a password. Skips when {@code
 * redis-cli} is not on the PATH.
 */
@ExtendWith(NoLeaks.class)
class RedisCliTest {
  private static String redisCli;

  private final Map<String, Long> commands = new ConcurrentHashMap<>();
  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  private ReplicaGateway replica;
  private RespServer server;
  private NodeRuntime node;

  @BeforeAll
  static void findRedisCli() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-cli");
      if (f.canExecute()) {
        redisCli = f.getPath();
      }
    }
    Assumptions.assumeTrue(
        redisCli != null,
        "redis-cli is not on the PATH (Debian: apt-get install redis-tools); skipping");
  }

  @BeforeEach
  void start() {
    replica = ReplicaGateway.solo();
    server = start(RespConfig.builder());
  }

  private RespServer start(RespConfig.Builder config) {
    return start(config, replica);
  }

  private RespServer start(RespConfig.Builder config, CommandGateway gateway) {
    RespMetrics metrics =
        new RespMetrics() {
          @Override
          public void commandCompleted(String command, long nanos, boolean error) {
            commands.merge(command, 1L, Long::sum);
            if (error) {
              errors.merge(command, 1L, Long::sum);
            }
          }
        };
    return RespServer.start(
        config.bindAddress(new InetSocketAddress("127.0.0.1", 0)).ioThreads(1).build(),
        gateway,
        metrics);
  }

  @AfterEach
  void stop() {
    server.close();
    replica.close();
    if (node != null) {
      node.close();
    }
  }

  /** Runs redis-cli against the server with {@code stdin}; its standard output. */
  private String cli(String stdin, String... args) throws Exception {
    return cli(20, stdin, args);
  }

  private String cli(int timeoutSeconds, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(redisCli);
    command.add("-h");
    command.add("127.0.0.1");
    command.add("-p");
    command.add(String.valueOf(server.boundAddress().getPort()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        .as("redis-cli %s finished", List.of(args))
        .isTrue();
    assertThat(p.exitValue())
        .as("redis-cli %s exit code; stderr: %s", List.of(args), err.get())
        .isZero();
    return out.get(5, TimeUnit.SECONDS);
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String run(String... args) throws Exception {
    return cli("", args);
  }

  @Test
  void oneShotCommandsPrintAsAgainstRedis() throws Exception {
    assertThat(run("PING")).isEqualTo("PONG\n");
    assertThat(run("SET", "greeting", "hello world")).isEqualTo("OK\n");
    assertThat(run("GET", "greeting")).isEqualTo("hello world\n");
    assertThat(run("GET", "missing")).isEqualTo("\n");
    assertThat(run("INCRBY", "visits", "41")).isEqualTo("41\n");
    assertThat(run("INCR", "visits")).isEqualTo("42\n");
    assertThat(run("DECRBY", "visits", "2")).isEqualTo("40\n");
    assertThat(run("GET", "visits")).isEqualTo("40\n");
    assertThat(run("SADD", "tags", "b", "a")).isEqualTo("2\n");
    assertThat(run("SMEMBERS", "tags")).isEqualTo("a\nb\n");
    assertThat(run("SISMEMBER", "tags", "a")).isEqualTo("1\n");
    assertThat(run("SCARD", "tags")).isEqualTo("2\n");
    assertThat(run("SREM", "tags", "a")).isEqualTo("1\n");
    assertThat(run("TYPE", "tags")).isEqualTo("set\n");
    assertThat(run("EXISTS", "greeting", "tags", "nope")).isEqualTo("2\n");
    assertThat(run("DBSIZE")).isEqualTo("3\n");
    assertThat(run("DEL", "greeting", "nope")).isEqualTo("1\n");
    assertThat(run("WAIT", "0", "0")).isEqualTo("0\n");
    assertThat(run("ECHO", "hi")).isEqualTo("hi\n");
    assertThat(run("CLIENT", "SETNAME", "cli")).isEqualTo("OK\n");
    assertThat(run("SELECT", "0")).isEqualTo("OK\n");
    assertThat(run("COMMAND", "COUNT")).isEqualTo(server.context().commands.all().size() + "\n");
    assertThat(run("GET", "tags"))
        .isEqualTo("WRONGTYPE Operation against a key holding the wrong kind of value\n\n");
    assertThat(run("SELECT", "1")).isEqualTo("ERR DB index is out of range\n\n");
    assertThat(run("FOO", "bar"))
        .isEqualTo("ERR unknown command 'FOO', with args beginning with: 'bar' \n\n");
    assertThat(run("INFO", "keyspace"))
        .isEqualTo("# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n");
  }

  @Test
  void formattedRepliesInResp2AndResp3() throws Exception {
    run("SADD", "s", "x", "y");
    assertThat(run("--no-raw", "SMEMBERS", "s")).isEqualTo("1) \"x\"\n2) \"y\"\n");
    assertThat(run("--no-raw", "-3", "SMEMBERS", "s")).isEqualTo("1~ \"x\"\n2~ \"y\"\n");
    assertThat(run("--no-raw", "GET", "nope")).isEqualTo("(nil)\n");
    assertThat(run("--no-raw", "-3", "GET", "nope")).isEqualTo("(nil)\n");
    assertThat(run("--no-raw", "INCR", "n")).isEqualTo("(integer) 1\n");
    assertThat(run("--no-raw", "GET", "s"))
        .isEqualTo("(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
    assertThat(run("--no-raw", "-3", "HELLO", "3"))
        .matches(
            "1# \"server\" => \"redis\"\n2# \"version\" => \"7\\.2\\.0\"\n"
                + "3# \"proto\" => \\(integer\\) 3\n4# \"id\" => \\(integer\\) \\d+\n"
                + "5# \"mode\" => \"standalone\"\n6# \"role\" => \"master\"\n"
                + "7# \"modules\" => \\(empty array\\)\n");
    assertThat(run("--no-raw", "-3", "INFO", "keyspace"))
        .isEqualTo("# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n");
  }

  @Test
  void jsonOutputReadsTheResp3Types() throws Exception {
    run("SADD", "s", "y", "x");
    assertThat(run("-3", "--json", "SMEMBERS", "s")).isEqualTo("[\"x\",\"y\"]\n");
    assertThat(run("-3", "--json", "GET", "nope")).isEqualTo("null\n");
    assertThat(run("-3", "--json", "INCR", "n")).isEqualTo("1\n");
  }

  @Test
  void aSessionOnStandardInputLoadsHelpFromCommandDocs() throws Exception {
    String out = cli("SET a 1\nGET a\nINCR n\nSMEMBERS nothing\nHELP GET\nQUIT\n");
    assertThat(out).startsWith("OK\n1\n1\n\n");
    String help = out.replaceAll("\u001b\\[[0-9;]*m", "");
    assertThat(help).contains("  GET key\r\n").contains("summary: Get the value of a key");
    assertThat(commands).containsKey("command");
    assertThat(errors).isEmpty();
  }

  @Test
  void massInsertionWithPipe() throws Exception {
    StringBuilder protocol = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      protocol.append(RespTestChannel.command("SET", "key:" + i, "value-" + i));
    }
    String out = cli(protocol.toString(), "--pipe");
    assertThat(out).contains("errors: 0, replies: 1000");
    assertThat(run("DBSIZE")).isEqualTo("1000\n");
    assertThat(run("GET", "key:999")).isEqualTo("value-999\n");
  }

  /**
   * Regression: {@code redis-cli --pipe} (Redis' documented way to load data) against a node that
   * fell behind got {@code ERR too many pipelined commands: 10001 waiting (expected: <= 10000)},
   * the connection closed and part of the load was never applied. Here a real node (replica
   * thread, group commit, RocksDB) sits behind a port allowing only 16 commands waiting (one read
   * of redis-cli's stream carries thousands), so the client outruns it all the time; every command
   * is applied and answered.
   */
  @Test
  void massInsertionOutrunningARealNodeIsSlowedDownNotRefused(@TempDir Path dir) throws Exception {
    server.close();
    node =
        NodeRuntime.start(
            NodeConfig.builder(ReplicaConfig.builder("n1").build())
                .dataDir(dir)
                .clientBind(null)
                .meshBind(new InetSocketAddress("127.0.0.1", 0))
                .adminBind(null)
                .build());
    server = start(RespConfig.builder().maxPipelinedCommands(16), node);
    StringBuilder protocol = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      protocol.append(
          i % 3 == 2
              ? RespTestChannel.command("SADD", "set:" + (i % 10), "member-" + i)
              : RespTestChannel.command("INCR", "counter:" + (i % 100)));
    }
    // About a minute on 2 loaded cores: the paranoid leak detector records every buffer.
    String out = cli(300, protocol.toString(), "--pipe");
    assertThat(out).contains("errors: 0, replies: 60000");
    StringBuilder reads = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int k = 0; k < 100; k++) {
      reads.append("GET counter:").append(k).append('\n');
      expected.append("400\n");
    }
    for (int k = 0; k < 10; k++) {
      reads.append("SCARD set:").append(k).append('\n');
      expected.append("2000\n");
    }
    assertThat(cli(reads.toString())).isEqualTo(expected.toString());
    assertThat(errors).isEmpty();
  }

  @Test
  void aPasswordIsAskedFor() throws Exception {
    server.close();
    server = start(RespConfig.builder().password("pw"));
    assertThat(run("GET", "k")).isEqualTo("NOAUTH Authentication required.\n\n");
    assertThat(run("--no-auth-warning", "-a", "pw", "SET", "k", "v")).isEqualTo("OK\n");
    assertThat(run("--no-auth-warning", "-a", "pw", "-3", "GET", "k")).isEqualTo("v\n");
    assertThat(run("--no-auth-warning", "-a", "wrong", "GET", "k"))
        .isEqualTo("NOAUTH Authentication required.\n\n");
  }
}
