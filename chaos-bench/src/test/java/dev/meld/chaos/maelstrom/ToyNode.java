package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small Maelstrom node for the backend's tests, with deliberate bugs: a g-set or pn-counter that
 * gossips its whole state to every peer every 100 ms. {@code --drop-every K} acknowledges every
 * K-th add without keeping it (a g-set that loses adds); {@code --double-every K} counts the K-th
 * add twice when it is an increment (a pn-counter that over-counts). Without a flag it is correct, which shows the failures
 * come from the bugs and not from the backend.
 *
 * <p>Usage: {@code java -cp ... dev.meld.chaos.maelstrom.ToyNode g-set|pn-counter [--drop-every K]
 * [--double-every K]}.
 */
public final class ToyNode {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean counter;
  private final int dropEvery;
  private final int doubleEvery;
  private String self = "";
  private final List<String> peers = new CopyOnWriteArrayList<>();
  private final Set<String> elements = new TreeSet<>();
  /** Per node: [sum of increments, sum of decrements], merged by max. */
  private final Map<String, long[]> counts = new TreeMap<>();
  private long adds;
  private long msgId;

  private ToyNode(boolean counter, int dropEvery, int doubleEvery) {
    this.counter = counter;
    this.dropEvery = dropEvery;
    this.doubleEvery = doubleEvery;
  }

  public static void main(String[] args) throws Exception {
    int drop = 0;
    int dbl = 0;
    for (int i = 1; i < args.length; i += 2) {
      if (args[i].equals("--drop-every")) {
        drop = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--double-every")) {
        dbl = Integer.parseInt(args[i + 1]);
      } else {
        throw new IllegalArgumentException("argument: " + args[i] + " (expected: --drop-every or --double-every)");
      }
    }
    ToyNode node = new ToyNode(args[0].equals("pn-counter"), drop, dbl);
    Thread gossip =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
                node.gossip();
              }
            });
    gossip.setDaemon(true);
    gossip.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      node.handle(JSON.readTree(line));
    }
  }

  private synchronized void handle(JsonNode m) throws Exception {
    JsonNode body = m.path("body");
    String src = m.path("src").asText();
    switch (body.path("type").asText()) {
      case "init":
        self = body.path("node_id").asText();
        body.path("node_ids").forEach(n -> {
          if (!n.asText().equals(self)) {
            peers.add(n.asText());
          }
        });
        reply(src, body, JSON.createObjectNode().put("type", "init_ok"));
        break;
      case "add":
        adds++;
        if (counter) {
          long delta = body.path("delta").asLong();
          long times = doubleEvery > 0 && delta > 0 && adds % doubleEvery == 0 ? 2 : 1;
          long[] mine = counts.computeIfAbsent(self, k -> new long[2]);
          mine[delta >= 0 ? 0 : 1] += Math.abs(delta) * times;
        } else if (dropEvery == 0 || adds % dropEvery != 0) {
          elements.add(JSON.writeValueAsString(body.path("element")));
        }
        reply(src, body, JSON.createObjectNode().put("type", "add_ok"));
        break;
      case "read":
        ObjectNode ok = JSON.createObjectNode().put("type", "read_ok");
        if (counter) {
          long v = 0;
          for (long[] pn : counts.values()) {
            v += pn[0] - pn[1];
          }
          ok.put("value", v);
        } else {
          var arr = ok.putArray("value");
          for (String e : elements) {
            arr.add(JSON.readTree(e));
          }
        }
        reply(src, body, ok);
        break;
      case "gossip":
        body.path("elements").forEach(e -> elements.add(e.asText()));
        body.path("counts").fields().forEachRemaining(e -> {
          long[] have = counts.computeIfAbsent(e.getKey(), k -> new long[2]);
          have[0] = Math.max(have[0], e.getValue().path(0).asLong());
          have[1] = Math.max(have[1], e.getValue().path(1).asLong());
        });
        break;
      default:
        reply(src, body, JSON.createObjectNode().put("type", "error").put("code", 10).put("text", "not supported"));
    }
  }

  private synchronized void gossip() {
    if (self.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("type", "gossip");
    var arr = body.putArray("elements");
    elements.forEach(arr::add);
    ObjectNode c = body.putObject("counts");
    counts.forEach((k, v) -> c.putArray(k).add(v[0]).add(v[1]));
    for (String p : peers) {
      send(p, body.deepCopy());
    }
  }

  private void reply(String dest, JsonNode request, ObjectNode body) {
    body.set("in_reply_to", request.path("msg_id"));
    send(dest, body);
  }

  private void send(String dest, ObjectNode body) {
    body.put("msg_id", ++msgId);
    ObjectNode m = JSON.createObjectNode().put("src", self).put("dest", dest);
    m.set("body", body);
    System.out.println(m);
    System.out.flush();
  }
}
