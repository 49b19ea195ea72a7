package dev.meld.node.resp;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.server.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The text of {@code INFO}: Redis' layout ({@code # Section} headers, {@code field:value} lines
 * ending in CRLF, a blank line between sections) with sections {@code server}, {@code clients},
 * {@code replication} (one {@code peerN} line per peer: acknowledged sequence, backlog, lag),
 * {@code keyspace} and {@code meld} (incarnation, root digest, readiness, anti-entropy and clock
 * counters).
 */
final class InfoReport {

  /** The sections in order, by the lower-case name a client asks for. */
  private static final Map<String, Function<InfoReport, List<String>>> SECTIONS =
      new LinkedHashMap<>();

  static {
    SECTIONS.put("server", InfoReport::server);
    SECTIONS.put("clients", InfoReport::clients);
    SECTIONS.put("replication", InfoReport::replication);
    SECTIONS.put("keyspace", InfoReport::keyspace);
    SECTIONS.put("meld", InfoReport::meld);
  }

  private final NodeInfo node;
  private final ReplicaStatus status;
  private final RespConfig config;
  private final int connectedClients;
  private final long rejectedConnections;
  private final long nowMillis;

  InfoReport(
      NodeInfo node,
      ReplicaStatus status,
      RespConfig config,
      int connectedClients,
      long rejectedConnections,
      long nowMillis) {
    this.node = node;
    this.status = status;
    this.config = config;
    this.connectedClients = connectedClients;
    this.rejectedConnections = rejectedConnections;
    this.nowMillis = nowMillis;
  }

  /**
   * The report for the sections asked for: none, {@code default}, {@code all} or {@code everything}
   * mean every section; unknown names add nothing (as in Redis).
   */
  String render(List<String> asked) {
    List<String> names = new ArrayList<>();
    boolean all = asked.isEmpty();
    for (String a : asked) {
      String name = a.toLowerCase(Locale.ROOT);
      if (name.equals("default") || name.equals("all") || name.equals("everything")) {
        all = true;
      } else if (SECTIONS.containsKey(name) && !names.contains(name)) {
        names.add(name);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Function<InfoReport, List<String>>> section : SECTIONS.entrySet()) {
      if (!all && !names.contains(section.getKey())) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("\r\n");
      }
      sb.append("# ").append(title(section.getKey())).append("\r\n");
      for (String line : section.getValue().apply(this)) {
        sb.append(line).append("\r\n");
      }
    }
    return sb.toString();
  }

  private static String title(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private List<String> server() {
    long uptimeSeconds = Math.max(0, (nowMillis - node.startTimeMillis()) / 1000);
    return List.of(
        "redis_version:" + ConnectionCommands.REDIS_VERSION,
        "meld_version:" + node.version(),
        "redis_mode:standalone",
        "arch_bits:64",
        "process_id:" + ProcessHandle.current().pid(),
        "tcp_port:" + port(node.clientAddress()),
        "server_time_usec:" + nowMillis * 1000,
        "uptime_in_seconds:" + uptimeSeconds,
        "uptime_in_days:" + uptimeSeconds / 86_400);
  }

  private List<String> clients() {
    return List.of(
        "connected_clients:" + connectedClients,
        "maxclients:" + config.maxClients(),
        "rejected_connections:" + rejectedConnections);
  }

  private List<String> replication() {
    List<String> lines = new ArrayList<>();
    lines.add("role:master");
    lines.add(
        "connected_slaves:"
            + status.peers().stream().filter(ReplicaStatus.PeerStatus::live).count());
    lines.add("master_repl_offset:" + status.headSeq());
    int i = 0;
    for (ReplicaStatus.PeerStatus p : status.peers()) {
      lines.add(
          "peer"
              + i++
              + ":name="
              + p.node()
              + ",state="
              + (p.live() ? "live" : "unreachable")
              + ",incarnation="
              + p.incarnation()
              + ",acked_seq="
              + p.ackedSeq()
              + ",backlog_entries="
              + p.backlogEntries()
              + ",backlog_bytes="
              + p.backlogBytes()
              + ",lag_ms="
              + p.lagMillis()
              + ",last_contact_ms="
              + p.lastContactMillis()
              + ",synced="
              + flag(p.synced()));
    }
    ReplicaStatus.LogStatus log = status.log();
    lines.add("log_trimmed_through:" + log.trimmedThrough());
    lines.add("log_retained_entries:" + log.retainedEntries());
    lines.add("log_retained_bytes:" + log.retainedBytes());
    lines.add("batches_sent:" + log.batchesSent());
    lines.add("batches_applied:" + log.batchesApplied());
    lines.add("entries_applied:" + log.entriesApplied());
    lines.add("gaps_reported:" + log.gapsReported());
    return lines;
  }

  private List<String> keyspace() {
    // Redis lists no database line while the database is empty.
    return status.keyCount() == 0
        ? List.of()
        : List.of("db0:keys=" + status.keyCount() + ",expires=0,avg_ttl=0");
  }

  private List<String> meld() {
    ReplicaStatus.AntiEntropyStatus ae = status.antiEntropy();
    List<String> lines = new ArrayList<>();
    lines.add("node_name:" + node.nodeName());
    lines.add("cluster_name:" + node.clusterName());
    lines.add("incarnation:" + status.incarnation());
    lines.add("ready:" + flag(status.ready()));
    lines.add("drain_state:" + status.drain().state().name().toLowerCase(Locale.ROOT));
    lines.add("root_digest:" + status.rootDigest());
    lines.add("records:" + status.records());
    lines.add("head_seq:" + status.headSeq());
    lines.add("writes:" + status.writes());
    lines.add("hlc_last:" + status.hlcLast());
    lines.add("clock_clamps:" + status.clockClamps());
    lines.add("ae_started:" + ae.started());
    lines.add("ae_responded:" + ae.responded());
    lines.add("ae_completed:" + ae.completed());
    lines.add("ae_aborted:" + ae.aborted());
    lines.add("ae_keys_repaired:" + ae.keysRepaired());
    lines.add("ae_bytes_sent:" + ae.bytesSent());
    lines.add("ae_bytes_received:" + ae.bytesReceived());
    lines.add("ae_rounds_deferred:" + ae.deferred());
    lines.add("members:" + status.members().size());
    int i = 0;
    for (ReplicaStatus.MemberStatus m : status.members()) {
      lines.add(
          "member"
              + i++
              + ":name="
              + m.name()
              + ",address="
              + m.address()
              + ",state="
              + m.state().name().toLowerCase(Locale.ROOT));
    }
    lines.add("mesh_address:" + address(node.meshAddress()));
    lines.add("admin_address:" + address(node.adminAddress()));
    lines.add("errors:" + joined(status.errors()));
    return lines;
  }

  private static String joined(Map<String, Long> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  private static int flag(boolean b) {
    return b ? 1 : 0;
  }

  private static int port(InetSocketAddress address) {
    return address == null ? 0 : address.getPort();
  }

  private static String address(InetSocketAddress address) {
    return address == null ? "" : address.getHostString() + ":" + address.getPort();
  }
}
