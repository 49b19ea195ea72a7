package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Maelstrom client ({@code c1}, {@code c2}, ...): sends requests with its own {@code msg_id}s
 * through the network and matches replies by {@code in_reply_to}. A reply that matches nothing
 * open (late, after a timeout, or invented) is dropped.
 */
final class MaelstromClient {

  private final String name;
  private final ObjectMapper json;
  private final MaelstromNetwork network;
  private final AtomicLong nextMsgId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<JsonNode>> open = new ConcurrentHashMap<>();

  MaelstromClient(String name, ObjectMapper json, MaelstromNetwork network) {
    this.name = name;
    this.json = json;
    this.network = network;
    network.client(name, this::receive);
  }

  String name() {
    return name;
  }

  /**
   * Sends {@code body} to {@code node} and waits for the reply's body.
   *
   * @throws TimeoutException if none arrives within {@code timeout} (the outcome is unknown)
   */
  JsonNode call(String node, ObjectNode body, Duration timeout)
      throws TimeoutException, InterruptedException {
    long id = nextMsgId.getAndIncrement();
    body.put("msg_id", id);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    open.put(id, reply);
    ObjectNode m = json.createObjectNode().put("src", name).put("dest", node);
    m.set("body", body);
    try {
      network.fromClient(m);
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      open.remove(id);
    }
  }

  private void receive(JsonNode message) {
    JsonNode inReplyTo = message.path("body").path("in_reply_to");
    if (inReplyTo.canConvertToLong()) {
      CompletableFuture<JsonNode> f = open.remove(inReplyTo.asLong());
      if (f != null) {
        f.complete(message.path("body"));
      }
    }
  }
}
