package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.chaos.nemesis.Grudge;
import dev.meld.chaos.nemesis.Grudges;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bench's network between Maelstrom nodes and clients: every message a node prints comes here
 * and is delivered (or not) by the faults in force. Between nodes a {@link Grudge} cuts links one
 * way, a loss probability drops messages, and a latency (with up to as much jitter again) delays
 * them; clients are never cut, as in Maelstrom, but see the latency. Nodes are untrusted: a message
 * whose {@code src} is not the node that printed it, or whose {@code dest} is unknown, is dropped
 * and counted.
 */
final class MaelstromNetwork implements AutoCloseable {

  private final ObjectMapper json;
  private final Random random;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "maelstrom-network");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Consumer<String>> nodes = new ConcurrentHashMap<>();
  private final Map<String, Consumer<JsonNode>> clients = new ConcurrentHashMap<>();
  private volatile Grudge<String> grudge = Grudges.complete(List.of());
  private volatile long latencyMillis;
  private volatile double loss;

  /** Node-to-node messages the nodes sent, and how many of those were delivered. */
  final AtomicLong serverSent = new AtomicLong();
  final AtomicLong serverDelivered = new AtomicLong();
  /** Messages between clients and nodes, both ways. */
  final AtomicLong clientMessages = new AtomicLong();
  /** Lines dropped as not a message, with a false {@code src}, or to an unknown {@code dest}. */
  final AtomicLong rejected = new AtomicLong();

  MaelstromNetwork(ObjectMapper json, long seed) {
    this.json = json;
    this.random = new Random(seed);
  }

  /** Where messages to node {@code id} go (its stdin), from now on. */
  void node(String id, Consumer<String> stdin) {
    nodes.put(id, stdin);
  }

  void client(String id, Consumer<JsonNode> inbox) {
    clients.put(id, inbox);
  }

  void grudge(Grudge<String> g) {
    grudge = g;
  }

  void latency(long millis) {
    latencyMillis = millis;
  }

  void loss(double p) {
    loss = p;
  }

  /** A line node {@code from} printed on stdout. */
  void fromNode(String from, String line) {
    JsonNode m;
    try {
      m = json.readTree(line);
    } catch (JsonProcessingException e) {
      rejected.incrementAndGet();
      return;
    }
    String src = m.path("src").asText("");
    String dest = m.path("dest").asText("");
    if (!src.equals(from) || !m.path("body").isObject()) {
      rejected.incrementAndGet();
      return;
    }
    if (nodes.containsKey(dest)) {
      serverSent.incrementAndGet();
      synchronized (random) {
        if (!grudge.delivers(src, dest) || (loss > 0 && random.nextDouble() < loss)) {
          return;
        }
      }
      serverDelivered.incrementAndGet();
      deliver(() -> nodes.get(dest).accept(line));
    } else if (clients.containsKey(dest)) {
      clientMessages.incrementAndGet();
      deliver(() -> clients.get(dest).accept(m));
    } else {
      rejected.incrementAndGet();
    }
  }

  /** A message from a client to a node. */
  void fromClient(JsonNode message) {
    String dest = message.path("dest").asText("");
    Consumer<String> node = nodes.get(dest);
    if (node == null) {
      throw new IllegalArgumentException("dest: \"" + dest + "\" (expected: one of " + nodes.keySet() + ")");
    }
    clientMessages.incrementAndGet();
    String line = message.toString();
    deliver(() -> node.accept(line));
  }

  private void deliver(Runnable delivery) {
    long base = latencyMillis;
    long delay;
    synchronized (random) {
      delay = base <= 0 ? 0 : base + (long) (random.nextDouble() * base);
    }
    if (timer.isShutdown()) {
      return;
    }
    try {
      timer.schedule(delivery, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the run is over: nothing waits for this message
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
