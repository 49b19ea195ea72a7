package dev.meld.chaos.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the node process with the same command line, admin endpoints and peer direction
 * rule, so {@link LocalCluster}'s machinery (ports, proxies, signals, health, membership) is tested
 * end to end without the real node. It speaks a line protocol on the mesh: every 100 ms it sends
 * {@code PING <self>} on a connection it dialed to each peer (through {@code --dial}), and counts a
 * peer live while its pings arrive; a line that is not its protocol makes it hang up. {@code POST
 * /leave} (with the admin token and JSON, as the node wants it) tells the peers {@code LEAVE
 * <self>}, then it drains and exits 0, as on SIGTERM. It
 * stores only its incarnation, so a wiped data directory gives a new one, and so does one marked
 * {@code RESTORED} (the mark removed, as the node removes it).
 *
 * <p>Options that make it misreport, to show the cluster's checks catch a fault that did not take
 * effect: {@code --fake-deaf} (reports every member live, whatever reaches it), {@code
 * --fake-frozen-clock} (reports a wall clock run from the monotonic clock, which libfaketime does
 * not move), {@code --fake-exit-code=N} (exits N after a drain), {@code --fake-ignore-restored}
 * (keeps its incarnation and the mark on a restored data directory).
 */
public final class FakeNode {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEAD_MILLIS = 600;

  private final Map<String, String> options = new LinkedHashMap<>();
  private final Map<String, InetSocketAddress> dial = new ConcurrentHashMap<>();
  private final Map<String, Long> heard = new ConcurrentHashMap<>();
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final Set<String> left = ConcurrentHashMap.newKeySet();
  private String name;
  private long incarnation;
  private final long startWall = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();

  private FakeNode() {}

  public static void main(String[] args) throws Exception {
    new FakeNode().run(args);
  }

  private void run(String[] args) throws Exception {
    for (String arg : args) {
      String[] kv = arg.substring(2).split("=", 2);
      if (kv[0].equals("dial")) {
        String[] peer = kv[1].split("=", 2);
        dial.put(peer[0], parse(peer[1]));
      } else {
        options.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    name = options.get("name");
    members.add(name);
    for (String seed : options.get("seeds").split(",")) {
      members.add(seed.split("=", 2)[0]);
    }
    incarnation = incarnation(Path.of(options.get("data-dir")), !options.containsKey("fake-ignore-restored"));
    ServerSocket mesh = new ServerSocket();
    mesh.bind(parse(options.get("mesh")));
    daemon(() -> acceptPeers(mesh));
    daemon(this::dialPeers);
    HttpServer admin = HttpServer.create(parse(options.get("admin")), 16);
    admin.createContext("/health", this::health);
    admin.createContext("/ready", ex -> reply(ex, 200, "ready"));
    admin.createContext("/leave", this::leave);
    admin.start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::drainAndHalt));
    System.out.println("fake node " + name + " (incarnation " + incarnation + ") up");
    Thread.sleep(Long.MAX_VALUE);
  }

  private static long incarnation(Path dataDir, boolean honourRestored) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("incarnation");
    Path restored = dataDir.resolve(dev.meld.node.store.RocksRecordStore.RESTORED_MARKER);
    if (honourRestored && Files.deleteIfExists(restored)) {
      Files.delete(file);
    }
    if (!Files.exists(file)) {
      Files.writeString(file, Long.toString(new Random().nextLong() & Long.MAX_VALUE));
    }
    return Long.parseLong(Files.readString(file).trim());
  }

  private void acceptPeers(ServerSocket mesh) {
    while (true) {
      try {
        Socket socket = mesh.accept();
        daemon(() -> readPeer(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void readPeer(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] parts = line.split(" ", 2);
        if (parts.length != 2 || !(parts[0].equals("PING") || parts[0].equals("LEAVE"))) {
          return; // not the protocol: hang up
        }
        if (parts[0].equals("LEAVE")) {
          left.add(parts[1]);
          members.remove(parts[1]);
        } else if (!left.contains(parts[1])) {
          heard.put(parts[1], System.nanoTime());
          members.add(parts[1]);
        }
      }
    } catch (IOException e) {
      // the link was cut
    }
  }

  private void dialPeers() {
    Map<String, Socket> open = new ConcurrentHashMap<>();
    while (true) {
      for (Map.Entry<String, InetSocketAddress> peer : dial.entrySet()) {
        try {
          Socket socket = open.get(peer.getKey());
          if (socket == null) {
            socket = new Socket();
            socket.connect(peer.getValue(), 200);
            open.put(peer.getKey(), socket);
          }
          socket
              .getOutputStream()
              .write(("PING " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          Socket dead = open.remove(peer.getKey());
          try {
            if (dead != null) {
              dead.close();
            }
          } catch (IOException ignored) {
            // already gone
          }
        }
      }
      sleep(100);
    }
  }

  private void health(HttpExchange ex) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String member : members) {
      Long last = heard.get(member);
      boolean live =
          options.containsKey("fake-deaf")
              || last != null && System.nanoTime() - last < DEAD_MILLIS * 1_000_000;
      String state = member.equals(name) ? "SELF" : live ? "LIVE" : "UNREACHABLE";
      list.add(Map.of("name", member, "state", state, "backlogEntries", 0));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("node", name);
    doc.put("incarnation", incarnation);
    doc.put("ready", true);
    doc.put("draining", false);
    doc.put(
        "wallClockMillis",
        options.containsKey("fake-frozen-clock")
            ? startWall + (System.nanoTime() - startNanos) / 1_000_000
            : System.currentTimeMillis());
    doc.put("members", list);
    reply(ex, 200, JSON.writeValueAsString(doc));
  }

  private void leave(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      reply(ex, 405, "POST only");
      return;
    }
    // As the real node: the admin token (when started with one), and JSON.
    String tokenFile = options.get("admin-token-file");
    if (tokenFile != null
        && !("Bearer " + Files.readString(Path.of(tokenFile)).strip())
            .equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      reply(ex, 401, "unauthorized");
      return;
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      reply(ex, 415, "content type: " + type + " (expected: application/json)");
      return;
    }
    for (InetSocketAddress peer : dial.values()) {
      try (Socket socket = new Socket()) {
        socket.connect(peer, 200);
        socket
            .getOutputStream()
            .write(("LEAVE " + name + "\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // a peer that cannot hear it will not list us for long anyway
      }
    }
    reply(ex, 202, "leaving");
    daemon(() -> System.exit(0)); // runs the shutdown hook: drain, exit 0
  }

  private void drainAndHalt() {
    System.out.println("fake node " + name + ": drain completed in 0 ms");
    System.out.flush();
    Runtime.getRuntime().halt(Integer.parseInt(options.getOrDefault("fake-exit-code", "0")));
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
