package dev.meld.maelstrom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.Member;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Meld replica speaking Maelstrom's protocol: it takes Maelstrom messages (as parsed JSON) and
 * timer ticks, and hands the messages it sends to a sink. It touches no streams or threads; {@link
 * MaelstromMain} is the stdin/stdout shell around it.
 *
 * <p>Client requests become replica commands on one key per workload ({@link Workload}); peer
 * traffic is the replica's own {@link PeerCodec} frames, base64 in the body of a {@code meld}
 * message between nodes. The store is in memory, as Maelstrom nodes are: a process that dies
 * forgets what its peers had not yet replicated.
 *
 * <p>Not thread-safe: the shell calls it from one thread.
 */
final class MaelstromNode {

  /** The body type of peer frames between nodes. */
  static final String PEER_TYPE = "meld";

  /** How often the shell must call {@link #tick()}: the replica's pump interval. */
  static final long TICK_MILLIS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(MaelstromNode.class);

  private final ObjectMapper json;
  private final PhysicalClock clock;
  private final RandomGenerator random;
  private final Consumer<ObjectNode> sink;
  private Workload workload;
  private String self;
  private Set<String> nodeIds = Set.of();
  private Replica replica;
  private PeerCodec codec;
  private long nextMsgId = 1;
  private long peerMessagesIgnored;

  /**
   * @param workload the workload to serve, or null to learn it from the first request that names
   *     it (every Maelstrom workload sends such a request before reads matter)
   * @param sink takes each outgoing message, in order
   */
  MaelstromNode(
      ObjectMapper json,
      PhysicalClock clock,
      RandomGenerator random,
      Workload workload,
      Consumer<ObjectNode> sink) {
    this.json = json;
    this.clock = clock;
    this.random = random;
    this.workload = workload;
    this.sink = sink;
  }

  /** Handles one message: {@code {"src", "dest", "body"}}. Bad messages are answered or logged. */
  void handle(JsonNode message) {
    JsonNode body = message.path("body");
    String src = message.path("src").asText("");
    String type = body.path("type").asText("");
    if (!message.isObject() || !body.isObject() || src.isEmpty() || type.isEmpty()) {
      LOG.warn("message without src, body or body.type: {}", message);
      return;
    }
    if (type.equals(PEER_TYPE)) {
      peer(src, body);
      return;
    }
    try {
      request(src, type, body);
    } catch (RuntimeException e) {
      LOG.error("{} from {} failed", type, src, e);
      error(src, body, ErrorCode.CRASH, e.toString());
    }
  }

  /** Runs the replica's timers (pings, pumps, anti-entropy). */
  void tick() {
    if (replica != null) {
      replica.tick(outbox());
    }
  }

  /** Peer messages dropped because of their sender or their frame field. */
  long peerMessagesIgnored() {
    return peerMessagesIgnored;
  }

  private void request(String src, String type, JsonNode body) {
    if (type.equals("init")) {
      init(src, body);
      return;
    }
    if (type.equals("echo")) {
      reply(src, body, json.createObjectNode().put("type", "echo_ok").set("echo", body.path("echo")));
      return;
    }
    if (replica == null) {
      error(src, body, ErrorCode.TEMPORARILY_UNAVAILABLE, "not initialized (expected: init first)");
      return;
    }
    Optional<Workload> named = Workload.of(type, body);
    if (named.isPresent()) {
      if (workload == null) {
        workload = named.get();
      } else if (workload != named.get()) {
        error(src, body, ErrorCode.MALFORMED_REQUEST,
            type + " of " + named.get() + " (expected: a request of " + workload + ")");
        return;
      }
    }
    switch (type) {
      case "topology":
        // Meld replicates to every member and repairs by anti-entropy: the topology is not needed.
        reply(src, body, json.createObjectNode().put("type", "topology_ok"));
        return;
      case "add":
        add(src, body);
        return;
      case "broadcast":
        if (!body.has("message")) {
          error(src, body, ErrorCode.MALFORMED_REQUEST, "broadcast without message (expected: a message)");
          return;
        }
        addElement(src, body, body.get("message"), "broadcast_ok");
        return;
      case "read":
        read(src, body);
        return;
      default:
        error(src, body, ErrorCode.NOT_SUPPORTED, "type: \"" + type + "\" (expected: init, echo, add, read, broadcast or topology)");
    }
  }

  private void init(String src, JsonNode body) {
    String id = body.path("node_id").asText("");
    JsonNode ids = body.path("node_ids");
    Set<String> all = new LinkedHashSet<>();
    for (JsonNode n : ids) {
      if (n.isTextual() && !n.asText().isEmpty()) {
        all.add(n.asText());
      }
    }
    if (id.isEmpty() || !ids.isArray() || all.size() != ids.size() || !all.contains(id)) {
      error(src, body, ErrorCode.MALFORMED_REQUEST,
          "init: node_id " + body.path("node_id") + ", node_ids " + ids
              + " (expected: distinct non-empty names that include node_id)");
      return;
    }
    if (replica != null) {
      if (id.equals(self) && all.equals(nodeIds)) {
        reply(src, body, json.createObjectNode().put("type", "init_ok"));
      } else {
        error(src, body, ErrorCode.MALFORMED_REQUEST,
            "init as " + id + " " + all + " (expected: the first init, " + self + " " + nodeIds + ")");
      }
      return;
    }
    List<Member> seeds = new ArrayList<>();
    all.forEach(n -> seeds.add(new Member(n, n)));
    ReplicaConfig config = replicaConfig(id, seeds);
    MemoryRecordStore store =
        MemoryRecordStore.open(MemoryImage.empty(), KeyHashing::keyHash64, StoreLimits.DEFAULTS);
    replica = Replica.open(config, store, clock, random);
    codec = new PeerCodec(config.maxPeerFrameBytes());
    self = id;
    nodeIds = Set.copyOf(all);
    LOG.info("initialized as {} of {}", id, all);
    reply(src, body, json.createObjectNode().put("type", "init_ok"));
  }

  /**
   * The simulator's fast timers (pings every 100 ms, anti-entropy every 500 ms): Maelstrom runs are
   * short and its nodes share one machine, so faster repair is worth the extra messages.
   */
  static ReplicaConfig replicaConfig(String id, List<Member> seeds) {
    return ReplicaConfig.builder(id)
        .clusterName("maelstrom")
        .address(id)
        .seeds(seeds)
        .pingIntervalMillis(100)
        .pumpIntervalMillis(TICK_MILLIS)
        .antiEntropyIntervalMillis(500)
        .antiEntropyJitterMillis(250)
        .sessionTimeoutMillis(2_000)
        .peerDeadTimeoutMillis(1_000)
        .ackTimeoutMillis(300)
        .build();
  }

  private void add(String src, JsonNode body) {
    if (workload == Workload.COUNTER) {
      JsonNode delta = body.get("delta");
      if (delta == null || !delta.canConvertToLong() || !delta.isIntegralNumber()) {
        error(src, body, ErrorCode.MALFORMED_REQUEST, "delta: " + delta + " (expected: a 64-bit integer)");
        return;
      }
      Reply r = replica.execute(new Command.Increment(Workload.COUNTER.key, delta.asLong()), outbox());
      answerWrite(src, body, r, "add_ok");
    } else if (workload == Workload.G_SET) {
      addElement(src, body, body.get("element"), "add_ok");
    } else {
      error(src, body, ErrorCode.MALFORMED_REQUEST, "add with neither delta nor element (expected: one of them)");
    }
  }

  private void addElement(String src, JsonNode body, JsonNode element, String okType) {
    Bytes bytes;
    try {
      bytes = Bytes.utf8(json.writeValueAsString(element));
    } catch (JsonProcessingException e) {
      error(src, body, ErrorCode.MALFORMED_REQUEST, "element: " + e.getOriginalMessage());
      return;
    }
    Reply r = replica.execute(new Command.SetAdd(workload.key, bytes), outbox());
    answerWrite(src, body, r, okType);
  }

  private void answerWrite(String src, JsonNode body, Reply r, String okType) {
    if (r instanceof Reply.Error e) {
      refused(src, body, e);
    } else {
      reply(src, body, json.createObjectNode().put("type", okType));
    }
  }

  private void read(String src, JsonNode body) {
    Workload w = workload != null ? workload : stored().orElse(null);
    if (w == null) {
      error(src, body, ErrorCode.TEMPORARILY_UNAVAILABLE,
          "no workload known yet (expected: an add or broadcast first, or --workload)");
      return;
    }
    ObjectNode out = json.createObjectNode().put("type", "read_ok");
    if (w == Workload.COUNTER) {
      Reply r = replica.execute(new Command.CounterGet(w.key), outbox());
      if (r instanceof Reply.Error e) {
        refused(src, body, e);
        return;
      }
      out.put("value", ((Reply.Int) r).value());
    } else {
      Reply r = replica.execute(new Command.SetMembers(w.key), outbox());
      if (r instanceof Reply.Error e) {
        refused(src, body, e);
        return;
      }
      ArrayNode values = json.createArrayNode();
      for (Bytes b : ((Reply.Elements) r).elements()) {
        try {
          values.add(json.readTree(new String(b.toByteArray(), StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("stored element is not JSON: " + b, e);
        }
      }
      out.set(w == Workload.BROADCAST ? "messages" : "value", values);
    }
    reply(src, body, out);
  }

  /** The workload whose key holds data here (replicated from a peer that learned it). */
  private Optional<Workload> stored() {
    for (Workload w : Workload.values()) {
      Reply r = replica.execute(new Command.Exists(w.key), outbox());
      if (r instanceof Reply.Int i && i.value() > 0) {
        workload = w;
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  private void refused(String src, JsonNode body, Reply.Error e) {
    ErrorCode code;
    switch (e.code()) {
      case READONLY:
      case NOT_READY:
        code = ErrorCode.TEMPORARILY_UNAVAILABLE;
        break;
      case OVERFLOW:
        code = ErrorCode.ABORT;
        break;
      default:
        code = ErrorCode.MALFORMED_REQUEST;
    }
    error(src, body, code, e.code() + " " + e.message());
  }

  private void peer(String src, JsonNode body) {
    if (replica == null || src.equals(self) || !nodeIds.contains(src)) {
      peerMessagesIgnored++;
      LOG.debug("peer message from {} ignored (expected: another node of {})", src, nodeIds);
      return;
    }
    String frame = body.path("frame").asText("");
    long maxEncoded = 4L * ((codec.maxFrameBytes() + 2) / 3);
    if (frame.length() > maxEncoded) {
      peerMessagesIgnored++;
      LOG.warn("peer frame from {}: {} base64 chars (expected: <= {})", src, frame.length(), maxEncoded);
      return;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(frame);
    } catch (IllegalArgumentException e) {
      peerMessagesIgnored++;
      LOG.warn("peer frame from {} is not base64: {}", src, e.getMessage());
      return;
    }
    replica.receiveFrame(src, bytes, outbox());
  }

  private Outbox outbox() {
    return (to, message) -> {
      ObjectNode body = json.createObjectNode().put("type", PEER_TYPE);
      body.put("frame", Base64.getEncoder().encodeToString(codec.encode(message)));
      send(to, body);
    };
  }

  private void reply(String dest, JsonNode request, ObjectNode body) {
    if (request.has("msg_id")) {
      body.set("in_reply_to", request.get("msg_id"));
    }
    send(dest, body);
  }

  private void error(String dest, JsonNode request, ErrorCode code, String text) {
    ObjectNode body = json.createObjectNode().put("type", "error").put("code", code.code).put("text", text);
    reply(dest, request, body);
  }

  private void send(String dest, ObjectNode body) {
    body.put("msg_id", nextMsgId++);
    ObjectNode message = json.createObjectNode();
    message.put("src", self == null ? "" : self);
    message.put("dest", dest);
    message.set("body", body);
    sink.accept(message);
  }
}
