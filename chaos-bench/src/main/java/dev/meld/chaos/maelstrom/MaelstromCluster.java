package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.chaos.nemesis.Grudge;
import dev.meld.chaos.nemesis.Grudges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * N processes of a Maelstrom node binary on the bench's {@link MaelstromNetwork}, and the faults on
 * them: partitions (grudges), latency and loss between nodes, SIGKILL with a restart (and a new
 * {@code init}), SIGSTOP and SIGCONT. The admin client {@code c0} sends {@code init} and {@code
 * topology}.
 */
final class MaelstromCluster implements AutoCloseable {

  private final String bin;
  private final Path logs;
  private final Duration startTimeout;
  private final ObjectMapper json;
  final MaelstromNetwork network;
  final List<String> ids = new ArrayList<>();
  private final Map<String, NodeProcess> processes = new ConcurrentHashMap<>();
  private final MaelstromClient admin;

  MaelstromCluster(ObjectMapper json, MaelstromSettings s, Path logs) {
    this.bin = s.bin();
    this.logs = logs;
    this.startTimeout = s.startTimeout();
    this.json = json;
    this.network = new MaelstromNetwork(json, s.seed());
    for (int i = 1; i <= s.nodes(); i++) {
      String id = "n" + i;
      ids.add(id);
      network.node(
          id,
          line -> {
            NodeProcess p = processes.get(id);
            if (p != null) {
              p.send(line);
            }
          });
    }
    this.admin = new MaelstromClient("c0", json, network);
  }

  /** Starts every node and initializes it; throws naming the node that did not answer. */
  void start() throws IOException, InterruptedException {
    Files.createDirectories(logs);
    for (String id : ids) {
      launch(id);
    }
    for (String id : ids) {
      init(id);
    }
  }

  private void launch(String id) throws IOException {
    NodeProcess p =
        NodeProcess.start(
            id,
            bin,
            logs.resolve(id + ".log"),
            line -> network.fromNode(id, line),
            network.rejected::incrementAndGet);
    processes.put(id, p);
  }

  private void init(String id) throws InterruptedException {
    ObjectNode body = json.createObjectNode().put("type", "init").put("node_id", id);
    body.set("node_ids", json.valueToTree(ids));
    JsonNode reply;
    try {
      reply = admin.call(id, body, startTimeout);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          id + ": no init_ok within " + startTimeout.toMillis() + " ms (expected: init_ok; stderr in "
              + logs.resolve(id + ".log") + ")");
    }
    if (!reply.path("type").asText().equals("init_ok")) {
      throw new IllegalStateException(id + ": init answered " + reply + " (expected: init_ok)");
    }
  }

  /** Sends Maelstrom's broadcast {@code topology}: each node's neighbours on a ring. */
  void topology() throws InterruptedException, TimeoutException {
    ObjectNode topology = json.createObjectNode();
    for (int i = 0; i < ids.size(); i++) {
      List<String> neighbours = new ArrayList<>();
      if (ids.size() > 1) {
        neighbours.add(ids.get((i + ids.size() - 1) % ids.size()));
        if (ids.size() > 2) {
          neighbours.add(ids.get((i + 1) % ids.size()));
        }
      }
      topology.set(ids.get(i), json.valueToTree(neighbours));
    }
    for (String id : ids) {
      ObjectNode body = json.createObjectNode().put("type", "topology");
      body.set("topology", topology);
      JsonNode reply = admin.call(id, body, startTimeout);
      if (!reply.path("type").asText().equals("topology_ok")) {
        throw new IllegalStateException(id + ": topology answered " + reply + " (expected: topology_ok)");
      }
    }
  }

  MaelstromClient admin() {
    return admin;
  }

  /** Cuts links as {@code g} says; an empty grudge heals. */
  void partition(Grudge<String> g) {
    network.grudge(g);
  }

  void kill(String id) throws InterruptedException {
    processes.get(id).kill();
  }

  /** Starts a killed node again and initializes it: a fresh process, as after a crash. */
  void restart(String id) throws IOException, InterruptedException {
    NodeProcess p = processes.get(id);
    if (p != null && p.isAlive()) {
      return;
    }
    launch(id);
    init(id);
  }

  void pause(String id) throws IOException, InterruptedException {
    processes.get(id).signal(true);
  }

  void resume(String id) throws IOException, InterruptedException {
    NodeProcess p = processes.get(id);
    if (p.isPaused()) {
      p.signal(false);
    }
  }

  /** Ends every fault: links whole, no latency or loss, paused nodes resumed, killed restarted. */
  Map<String, Object> healAll() throws IOException, InterruptedException {
    Map<String, Object> done = new LinkedHashMap<>();
    network.grudge(Grudges.complete(List.of()));
    network.latency(0);
    network.loss(0);
    for (String id : ids) {
      NodeProcess p = processes.get(id);
      if (p.isPaused()) {
        resume(id);
        done.put(id, "resumed");
      } else if (!p.isAlive()) {
        restart(id);
        done.put(id, "restarted");
      }
    }
    return done;
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess p : processes.values()) {
      p.stop();
    }
    network.close();
  }
}
