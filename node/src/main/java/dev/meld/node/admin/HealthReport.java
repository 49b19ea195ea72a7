package dev.meld.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.store.StoreRecovery;
import dev.meld.node.transport.PeerLinkStats;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin {@code /health} document: one JSON object describing the node, its clock, its members
 * and its replication backlog. Field names are listed in {@code node/README.md}; the chaos bench
 * reads {@code wallClockMillis} to check clock faults and {@code rootDigest} to check convergence.
 */
final class HealthReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The state of a node that is otherwise ok but turns new clients away. */
  static final String CLIENT_TABLE_FULL = "client table full";

  private HealthReport() {}

  /** The health document of {@code view} at wall-clock time {@code nowMillis}, as UTF-8 JSON. */
  static byte[] render(NodeView view, long nowMillis) {
    return json(tree(view, nowMillis));
  }

  /** {@code doc} as UTF-8 JSON. */
  static byte[] json(Object doc) {
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One word for the node's state: {@code ok}, {@code starting}, {@code joining}, {@code leaving},
   * {@code left}, {@code draining}, {@code drained}, {@code missing}.
   */
  static String state(ReplicaStatus s, boolean serving) {
    DrainStatus.State drain = s.drain().state();
    ReplicaStatus.MembershipState membership = s.membership();
    if (membership == ReplicaStatus.MembershipState.LEAVING
        || membership == ReplicaStatus.MembershipState.LEFT) {
      return membership.name().toLowerCase(java.util.Locale.ROOT);
    } else if (drain == DrainStatus.State.RUNNING) {
      return "draining";
    } else if (drain != DrainStatus.State.NOT_DRAINING) {
      return "drained";
    }
    if (membership == ReplicaStatus.MembershipState.JOINING) {
      return "joining";
    }
    if (membership == ReplicaStatus.MembershipState.MISSING) {
      return "missing"; // not in the member set: peers ignore it (see ReplicaStatus)
    }
    return serving && s.ready() ? "ok" : "starting";
  }

  static Map<String, Object> tree(NodeView view, long nowMillis) {
    ReplicaStatus s = view.status();
    NodeInfo info = view.info();
    Map<String, Object> doc = new LinkedHashMap<>();
    ClientTable clients = view.clients();
    String state = state(s, view.serving());
    doc.put("status", state.equals("ok") && clients.full() ? CLIENT_TABLE_FULL : state);
    doc.put("node", info.nodeName());
    doc.put("cluster", info.clusterName());
    doc.put("incarnation", s.incarnation());
    doc.put("version", info.version());
    doc.put("uptimeMillis", Math.max(0, nowMillis - info.startTimeMillis()));
    doc.put("wallClockMillis", nowMillis);
    doc.put("hlc", s.hlcLast());
    doc.put("hlcMillis", s.hlcLast() >>> 16);
    doc.put("ready", s.ready());
    doc.put("draining", s.drain().draining());
    doc.put("drain", drain(s.drain()));
    doc.put("keyCount", s.keyCount());
    doc.put("records", s.records());
    doc.put("rootDigest", s.rootDigest());
    doc.put("headSeq", s.headSeq());
    doc.put("clockClamps", s.clockClamps());
    doc.put("membership", membership(s));
    doc.put("members", members(s, view.links()));
    doc.put("log", s.log());
    doc.put("antiEntropy", s.antiEntropy());
    doc.put("writes", s.writes());
    doc.put("commands", s.commands());
    doc.put("errors", s.errors());
    doc.put("refusals", s.refusals());
    doc.put("mesh", view.meshCounters());
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("connected", clients.connected());
    table.put("max", clients.max());
    table.put("full", clients.full());
    doc.put("clients", table);
    doc.put("storage", storage(view.storeRecovery()));
    Map<String, Object> addresses = new LinkedHashMap<>();
    addresses.put("client", address(info.clientAddress()));
    addresses.put("mesh", address(info.meshAddress()));
    addresses.put("admin", address(info.adminAddress()));
    doc.put("addresses", addresses);
    return doc;
  }

  /** Where this node stands and the member names it sees: {@code {"state": ..., "members": [...]}}. */
  static Map<String, Object> membership(ReplicaStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.membership().name());
    m.put("members", s.members().stream().map(ReplicaStatus.MemberStatus::name).toList());
    return m;
  }

  /**
   * How the store opened: {@code recovery} is {@code intact}, {@code torn tail dropped} or {@code
   * recovered with loss} (for this process's life), with the sequence numbers behind the verdict.
   */
  static Map<String, Object> storage(StoreRecovery r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "recovery",
        switch (r.outcome()) {
          case INTACT -> "intact";
          case TORN_TAIL_DROPPED -> "torn tail dropped";
          case RECOVERED_WITH_LOSS -> "recovered with loss";
        });
    m.put("acknowledgedSeq", r.acknowledgedSeq());
    m.put("recoveredSeq", r.recoveredSeq());
    m.put("lostSequences", r.lostSequences());
    m.put("detail", r.outcome() == StoreRecovery.Outcome.INTACT ? "" : r.describe());
    return m;
  }

  static Map<String, Object> drain(DrainStatus d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", d.state().name());
    m.put("startedAtMillis", d.startedAtMillis());
    m.put("deadlineMillis", d.deadlineMillis());
    m.put("finishedAtMillis", d.finishedAtMillis());
    m.put("peersMissingAck", d.peersMissingAck());
    m.put("peersMissingSync", d.peersMissingSync());
    return m;
  }

  private static List<Map<String, Object>> members(
      ReplicaStatus s, Map<String, PeerLinkStats> links) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ReplicaStatus.MemberStatus m : s.members()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", m.name());
      entry.put("address", m.address());
      entry.put("state", m.state().name());
      Optional<ReplicaStatus.PeerStatus> peer = s.peer(m.name());
      peer.ifPresent(
          p -> {
            entry.put("incarnation", p.incarnation());
            entry.put("live", p.live());
            entry.put("ackedSeq", p.ackedSeq());
            entry.put("backlogEntries", p.backlogEntries());
            entry.put("backlogBytes", p.backlogBytes());
            entry.put("lagMillis", p.lagMillis());
            entry.put("lastContactMillis", p.lastContactMillis());
            entry.put("synced", p.synced());
          });
      PeerLinkStats link = links.get(m.name());
      if (link != null) {
        entry.put("link", link);
      }
      out.add(entry);
    }
    return out;
  }

  private static String address(InetSocketAddress a) {
    return a == null ? null : a.getHostString() + ":" + a.getPort();
  }
}
