package dev.meld.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Nodes as separate processes from the shaded jar on loopback, on ports chosen below the ephemeral
 * range, each knowing all the others as seeds. For the integration tests.
 */
final class ProcessCluster implements AutoCloseable {

  /** One node's ports. */
  record Ports(int client, int mesh, int admin) {
    static Ports pick() {
      return new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next());
    }
  }

  /** The admin token every node is started with ({@code --admin-token-file}). */
  static final String ADMIN_TOKEN = "process-cluster-admin-token-0123456789";

  final Path root;
  final Map<String, Ports> ports = new LinkedHashMap<>();
  final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  ProcessCluster(Path root, String... names) {
    this.root = root;
    for (String n : names) {
      ports.put(n, Ports.pick());
    }
  }

  /**
   * Defines {@code names} (each with all of them as seeds and {@code --cluster-secret secret}),
   * starts them and waits up to 30 s until every one is ready.
   */
  static ProcessCluster startedReady(Path root, String secret, String... names) throws Exception {
    ProcessCluster cluster = new ProcessCluster(root, names);
    try {
      for (String n : names) {
        cluster.define(n, "--cluster-secret", secret);
      }
      for (String n : names) {
        cluster.node(n).start();
      }
      await(
          30,
          "every node ready",
          () -> {
            for (String n : names) {
              if (cluster.ready(n) != 200) {
                return false;
              }
            }
            return true;
          });
      return cluster;
    } catch (Exception | AssertionError e) {
      // The caller never gets the cluster to close: stop the nodes that did start (a port taken by
      // another process, say) rather than leave them running after the test.
      cluster.close();
      throw e;
    }
  }

  /** The counter at {@code key} as node {@code name} reads it (0 if absent). */
  long counter(String name, String key) {
    try (Jedis j = client(name)) {
      String v = j.get(key);
      return v == null ? 0 : Long.parseLong(v);
    }
  }

  /** {@code n1=127.0.0.1:port,...} over the given nodes' mesh ports. */
  String seeds() {
    StringJoiner j = new StringJoiner(",");
    ports.forEach((n, p) -> j.add(n + "=127.0.0.1:" + p.mesh()));
    return j.toString();
  }

  /** Defines node {@code name} with the cluster's seeds plus {@code extra} options. */
  NodeProcess define(String name, String... extra) {
    ports.computeIfAbsent(name, n -> Ports.pick());
    return defineWithSeeds(name, seeds(), extra);
  }

  /** Defines node {@code name} starting from {@code seeds} ({@code n1=host:port,...}). */
  NodeProcess defineWithSeeds(String name, String seeds, String... extra) {
    Ports p = ports.computeIfAbsent(name, n -> Ports.pick());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--name", name,
                "--data-dir", root.resolve(name).toString(),
                "--client", "127.0.0.1:" + p.client(),
                "--mesh", "127.0.0.1:" + p.mesh(),
                "--admin", "127.0.0.1:" + p.admin(),
                "--seeds", seeds,
                "--ping-interval", "200ms",
                "--anti-entropy-interval", "1s",
                "--drain-timeout", "10s"));
    args.addAll(List.of("--admin-token-file", adminTokenFile().toString()));
    args.addAll(List.of(extra));
    NodeProcess node = new NodeProcess(name, root.resolve(name), args);
    nodes.put(name, node);
    return node;
  }

  private Path adminTokenFile() {
    Path file = root.resolve("admin-token");
    try {
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Files.createDirectories(root);
        java.nio.file.Files.writeString(file, ADMIN_TOKEN + "\n");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  NodeProcess node(String name) {
    return nodes.get(name);
  }

  Jedis client(String name) {
    return new Jedis("127.0.0.1", ports.get(name).client(), 10_000);
  }

  /** The node's {@code /health} document. */
  JsonNode health(String name) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get(name).admin() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /**
   * {@code POST /leave} on the node's admin port, as an operator sends it (the admin token, JSON):
   * the status code and the JSON answer.
   */
  HttpResponse<String> leave(String name) throws IOException, InterruptedException {
    return post(
        name,
        "/leave",
        "Authorization",
        "Bearer " + ADMIN_TOKEN,
        "Content-Type",
        "application/json");
  }

  /** {@code POST path} with an empty body and exactly {@code headers} (name, value, ...). */
  HttpResponse<String> post(String name, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name).admin() + path))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status code of the node's {@code /ready}. */
  int ready(String name) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name).admin() + "/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Polls {@code done} every 100 ms until it holds; fails after {@code seconds}. */
  static void await(long seconds, String what, Check done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (done.holds()) {
          return;
        }
      } catch (Exception e) { // a node restarting: try again
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within " + seconds + " s: " + what, last);
  }

  /** A condition that may throw while nodes come and go. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  /**
   * Netty's leak reports ({@code LEAK:}) in any node's log, every run included; the nodes run with
   * paranoid leak detection.
   */
  List<String> leakReports() throws IOException {
    List<String> leaks = new ArrayList<>();
    try (var files = java.nio.file.Files.list(root)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        for (String line : java.nio.file.Files.readAllLines(log)) {
          if (line.contains("LEAK:")) {
            leaks.add(log.getFileName() + ": " + line);
          }
        }
      }
    }
    return leaks;
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess n : nodes.values()) {
      n.close();
    }
  }
}
