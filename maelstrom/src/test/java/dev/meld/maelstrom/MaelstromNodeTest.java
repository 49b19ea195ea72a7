package dev.meld.maelstrom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.hlc.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Three {@link MaelstromNode}s wired in memory on a manual clock: the protocol and replication. */
class MaelstromNodeTest {

  private final ObjectMapper json = new ObjectMapper();
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final Map<String, MaelstromNode> nodes = new LinkedHashMap<>();
  private final ArrayDeque<ObjectNode> wire = new ArrayDeque<>();
  private final List<ObjectNode> toClients = new ArrayList<>();
  private Predicate<ObjectNode> drop = m -> false;

  private void start(Workload pinned, String... ids) {
    for (String id : ids) {
      nodes.put(id, new MaelstromNode(json, clock, new SplittableRandom(id.hashCode()), pinned, wire::add));
    }
    for (String id : ids) {
      ObjectNode body = json.createObjectNode().put("type", "init").put("msg_id", 1).put("node_id", id);
      body.set("node_ids", json.valueToTree(List.of(ids)));
      JsonNode reply = request("c0", id, body);
      assertThat(reply.path("body").path("type").asText()).isEqualTo("init_ok");
      assertThat(reply.path("body").path("in_reply_to").asLong()).isEqualTo(1);
      assertThat(reply.path("src").asText()).isEqualTo(id);
    }
  }

  private ObjectNode message(String src, String dest, ObjectNode body) {
    ObjectNode m = json.createObjectNode().put("src", src).put("dest", dest);
    m.set("body", body);
    return m;
  }

  /** Sends a client request and runs the network until its reply comes back. */
  private JsonNode request(String client, String node, ObjectNode body) {
    int before = toClients.size();
    nodes.get(node).handle(message(client, node, body));
    run(0);
    assertThat(toClients.size()).isGreaterThan(before);
    return toClients.get(toClients.size() - 1);
  }

  /** Delivers everything on the wire, then ticks for {@code millis} of manual time. */
  private void run(long millis) {
    long end = clock.monotonicMillis() + millis;
    do {
      while (!wire.isEmpty()) {
        ObjectNode m = wire.poll();
        String dest = m.path("dest").asText();
        if (!nodes.containsKey(dest)) {
          toClients.add(m);
        } else if (!drop.test(m)) {
          nodes.get(dest).handle(m);
        }
      }
      if (clock.monotonicMillis() >= end) {
        return;
      }
      clock.advance(MaelstromNode.TICK_MILLIS);
      nodes.values().forEach(MaelstromNode::tick);
    } while (true);
  }

  private ObjectNode body(String type, long msgId) {
    return json.createObjectNode().put("type", type).put("msg_id", msgId);
  }

  @Test
  void pnCounterAddsOnEveryNodeAreReadOnEveryNodeAfterReplication() {
    start(null, "n1", "n2", "n3");
    long id = 10;
    long sum = 0;
    for (String n : nodes.keySet()) {
      for (int d = -2; d <= 4; d++) {
        JsonNode r = request("c1", n, body("add", id++).put("delta", d));
        assertThat(r.path("body").path("type").asText()).isEqualTo("add_ok");
        sum += d;
      }
    }
    run(3_000);
    for (String n : nodes.keySet()) {
      JsonNode r = request("c1", n, body("read", id++));
      assertThat(r.path("body").path("type").asText()).isEqualTo("read_ok");
      assertThat(r.path("body").path("value").asLong()).as(n).isEqualTo(sum);
    }
  }

  @Test
  void gSetElementsComeBackAsTheJsonTheClientSent() {
    start(null, "n1", "n2");
    request("c1", "n1", body("add", 2).put("element", 7));
    ObjectNode obj = body("add", 3);
    obj.set("element", json.createObjectNode().put("k", "v"));
    request("c1", "n2", obj);
    run(3_000);
    JsonNode r = request("c2", "n2", body("read", 4));
    assertThat(r.path("body").path("value").toString()).contains("7").contains("{\"k\":\"v\"}");
    assertThat(r.path("body").path("value").size()).isEqualTo(2);
  }

  @Test
  void broadcastMessagesReachANodePartitionedDuringTheBroadcastsOnceHealed() {
    start(null, "n1", "n2", "n3");
    ObjectNode topology = body("topology", 2);
    topology.set("topology", json.createObjectNode());
    assertThat(request("c1", "n1", topology).path("body").path("type").asText()).isEqualTo("topology_ok");
    drop = m -> m.path("dest").asText().equals("n3") || m.path("src").asText().equals("n3");
    for (int i = 0; i < 20; i++) {
      JsonNode r = request("c1", i % 2 == 0 ? "n1" : "n2", body("broadcast", 10 + i).put("message", i));
      assertThat(r.path("body").path("type").asText()).isEqualTo("broadcast_ok");
    }
    run(2_000);
    assertThat(request("c2", "n3", body("read", 50)).path("body").path("messages").size()).isZero();
    drop = m -> false;
    run(5_000);
    JsonNode r = request("c2", "n3", body("read", 51));
    assertThat(r.path("body").path("messages").size()).isEqualTo(20);
  }

  @Test
  void requestsBeforeInitAreDefinitelyRefusedWithTemporarilyUnavailable() {
    nodes.put("n1", new MaelstromNode(json, clock, new SplittableRandom(1), null, wire::add));
    JsonNode r = request("c1", "n1", body("read", 5));
    assertThat(r.path("body").path("type").asText()).isEqualTo("error");
    assertThat(r.path("body").path("code").asInt()).isEqualTo(11);
    assertThat(r.path("body").path("in_reply_to").asLong()).isEqualTo(5);
  }

  @Test
  void malformedRequestsAreAnsweredWithCode12AndChangeNothing() {
    start(null, "n1");
    JsonNode r = request("c1", "n1", body("add", 2).put("delta", "three"));
    assertThat(r.path("body").path("code").asInt()).isEqualTo(12);
    assertThat(r.path("body").path("text").asText()).contains("delta: \"three\"");
    assertThat(request("c1", "n1", body("frobnicate", 3)).path("body").path("code").asInt()).isEqualTo(10);
    request("c1", "n1", body("add", 4).put("delta", 1));
    assertThat(request("c1", "n1", body("read", 5)).path("body").path("value").asLong()).isEqualTo(1);
  }

  @Test
  void aReadBeforeAnyAddIsRefusedUntilTheWorkloadIsKnownUnlessPinned() {
    start(null, "n1");
    assertThat(request("c1", "n1", body("read", 2)).path("body").path("code").asInt()).isEqualTo(11);
    nodes.clear();
    start(Workload.COUNTER, "n9");
    assertThat(request("c1", "n9", body("read", 2)).path("body").path("value").asLong()).isZero();
  }

  @Test
  void peerFramesFromStrangersAreIgnored() {
    start(null, "n1", "n2");
    ObjectNode fake = json.createObjectNode().put("type", MaelstromNode.PEER_TYPE).put("frame", "AAAA");
    nodes.get("n1").handle(message("n7", "n1", fake));
    nodes.get("n1").handle(message("n2", "n1", json.createObjectNode().put("type", "meld").put("frame", "%%%")));
    assertThat(nodes.get("n1").peerMessagesIgnored()).isEqualTo(2);
    assertThat(toClients).noneMatch(m -> m.path("dest").asText().equals("n7"));
  }
}
