package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.Member;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.tls.ClientTls;
import dev.meld.node.tls.DevCertificates;
import dev.meld.node.tls.NodeTls;
import dev.meld.node.tls.TlsFiles;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node runtimes on loopback with mesh TLS and a TLS client port, their certificates made by
 * {@link DevCertificates} (what {@code meld-node certs} writes): three nodes replicate over mutual
 * TLS; Lettuce (trusting the dev CA) and {@code redis-cli --tls} run commands on the TLS port, with
 * and without client certificates as {@code --tls-auth-clients} asks.
 */
class TlsClusterTest {

  @TempDir static Path certs;
  @TempDir Path data;

  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    new DevCertificates(Instant.now(), Duration.ofDays(1))
        .write(certs, List.of("n1", "n2", "n3"), List.of("127.0.0.1", "localhost"));
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static TlsFiles files(String node, TlsFiles.Flags flags) {
    return new TlsFiles(
        certs.resolve(node + ".pem"), certs.resolve(node + "-key.pem"), certs.resolve("ca.pem"), flags);
  }

  private NodeRuntime start(String name, List<Member> seeds, ClientTls.AuthClients auth) {
    return start(name, seeds, auth, null, 10_000);
  }

  private NodeRuntime start(
      String name,
      List<Member> seeds,
      ClientTls.AuthClients auth,
      InetSocketAddress plainClient,
      int maxClients) {
    NodeConfig config =
        NodeConfig.builder(ReplicaConfig.builder(name).seeds(seeds).pingIntervalMillis(200).build())
            .dataDir(data.resolve(name))
            .clientBind(plainClient)
            .maxClients(maxClients)
            .meshBind(Addresses.parse(seeds.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().address()))
            .adminBind(null)
            .drainTimeoutMillis(1_000)
            .tls(
                new NodeTls(
                    files(name, TlsFiles.Flags.MESH),
                    new InetSocketAddress("127.0.0.1", 0),
                    files(name, TlsFiles.Flags.CLIENT),
                    auth))
            .build();
    NodeRuntime node = NodeRuntime.start(config);
    open.add(node);
    return node;
  }

  private RedisClient lettuce(NodeRuntime node, boolean withCertificate) {
    SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().trustManager(certs.resolve("ca.pem").toFile());
    if (withCertificate) {
      ssl.keyManager(
          certs.resolve("client.pem").toFile(), certs.resolve("client-key.pem").toFile(), null);
    }
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(node.tlsClientAddress().getPort())
                .withSsl(true)
                .withTimeout(Duration.ofSeconds(10))
                .build());
    client.setOptions(ClientOptions.builder().sslOptions(ssl.build()).build());
    open.add(client::shutdown);
    return client;
  }

  @Test
  void threeNodesReplicateOverMutualTlsAndLettuceSpeaksTlsToEach() throws Exception {
    List<Member> seeds = new ArrayList<>();
    for (String n : List.of("n1", "n2", "n3")) {
      seeds.add(new Member(n, "127.0.0.1:" + FreePorts.next()));
    }
    List<NodeRuntime> nodes = new ArrayList<>();
    for (String n : List.of("n1", "n2", "n3")) {
      nodes.add(start(n, seeds, ClientTls.AuthClients.OPTIONAL));
    }
    try (StatefulRedisConnection<String, String> n1 = lettuce(nodes.get(0), false).connect()) {
      assertThat(n1.sync().incrby("visits", 5)).isEqualTo(5);
      assertThat(n1.sync().sadd("tags", "a", "b")).isEqualTo(2);
    }
    for (NodeRuntime other : nodes.subList(1, 3)) {
      try (StatefulRedisConnection<String, String> c = lettuce(other, false).connect()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"5".equals(c.sync().get("visits")) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(c.sync().get("visits")).as("replicated to %s", other.info().nodeName()).isEqualTo("5");
        assertThat(c.sync().smembers("tags")).containsExactlyInAnyOrder("a", "b");
      }
    }
  }

  /**
   * The TLS port was once a second client port with a client table and a budget of unfinished
   * requests of its own, so a node with {@code --maxclients 2} took two plain and two TLS clients.
   */
  @Test
  void thePlainAndTheTlsPortShareOneClientTable() throws Exception {
    NodeRuntime node =
        start(
            "n1",
            List.of(new Member("n1", "127.0.0.1:" + FreePorts.next())),
            ClientTls.AuthClients.OPTIONAL,
            new InetSocketAddress("127.0.0.1", 0),
            2);
    try (redis.clients.jedis.Jedis plain =
            new redis.clients.jedis.Jedis("127.0.0.1", node.info().clientAddress().getPort());
        StatefulRedisConnection<String, String> tls = lettuce(node, false).connect()) {
      assertThat(plain.ping()).isEqualTo("PONG");
      assertThat(tls.sync().ping()).isEqualTo("PONG");
      try (redis.clients.jedis.Jedis third =
          new redis.clients.jedis.Jedis("127.0.0.1", node.info().clientAddress().getPort())) {
        assertThatThrownBy(third::ping).hasMessageContaining("max number of clients reached");
      }
      assertThatThrownBy(() -> lettuce(node, false).connect().sync().ping())
          .as("a TLS client beyond the shared table")
          .isInstanceOf(io.lettuce.core.RedisException.class);
    }
  }

  @Test
  void aPlainClientOnTheTlsPortGetsNoReply() throws Exception {
    NodeRuntime node = start("n1", List.of(new Member("n1", "127.0.0.1:" + FreePorts.next())), ClientTls.AuthClients.OPTIONAL);
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.tlsClientAddress().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      byte[] reply = s.getInputStream().readAllBytes(); // until the node closes
      assertThat(new String(reply, StandardCharsets.ISO_8859_1)).doesNotContain("PONG");
    }
  }

  @Test
  void withAuthClientsYesAClientNeedsACertificateFromTheCa() {
    NodeRuntime node = start("n1", List.of(new Member("n1", "127.0.0.1:" + FreePorts.next())), ClientTls.AuthClients.YES);
    assertThatThrownBy(() -> lettuce(node, false).connect().sync().ping())
        .as("no client certificate")
        .isInstanceOf(io.lettuce.core.RedisException.class);
    try (StatefulRedisConnection<String, String> c = lettuce(node, true).connect()) {
      assertThat(c.sync().ping()).isEqualTo("PONG");
    }
  }

  @Test
  void redisCliSpeaksTlsToTheClientPort() throws Exception {
    String redisCli = redisCli();
    NodeRuntime optional = start("n1", List.of(new Member("n1", "127.0.0.1:" + FreePorts.next())), ClientTls.AuthClients.OPTIONAL);
    String ca = certs.resolve("ca.pem").toString();
    assertThat(cli(redisCli, optional, "--tls", "--cacert", ca, "SET", "greeting", "hello")).isEqualTo("OK\n");
    assertThat(cli(redisCli, optional, "--tls", "--cacert", ca, "GET", "greeting")).isEqualTo("hello\n");
    NodeRuntime required = start("n2", List.of(new Member("n2", "127.0.0.1:" + FreePorts.next())), ClientTls.AuthClients.YES);
    assertThat(
            cli(
                redisCli,
                required,
                "--tls",
                "--cacert",
                ca,
                "--cert",
                certs.resolve("client.pem").toString(),
                "--key",
                certs.resolve("client-key.pem").toString(),
                "INCRBY",
                "k",
                "3"))
        .isEqualTo("3\n");
  }

  private static String redisCli() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-cli");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    Assumptions.assumeTrue(false, "redis-cli is not on the PATH (Debian: apt-get install redis-tools); skipping");
    return null;
  }

  private static String cli(String redisCli, NodeRuntime node, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(redisCli, "-h", "127.0.0.1", "-p", String.valueOf(node.tlsClientAddress().getPort())));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
    assertThat(p.exitValue()).as("redis-cli exit code; stderr: %s", err.get()).isZero();
    return out.get(5, TimeUnit.SECONDS);
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
