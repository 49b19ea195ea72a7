package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.FaultReceipt.Status;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster that applies nothing: it records each fault call as a line ({@code "kill n2"}) and
 * answers with a receipt of the status the test chose. For testing nemeses' choices and pairing.
 */
final class RecordingCluster implements Cluster {

  final List<String> calls = new ArrayList<>();
  final List<String> members = new ArrayList<>();
  Status status = Status.VERIFIED;

  RecordingCluster(String... nodes) {
    members.addAll(List.of(nodes));
  }

  private FaultReceipt record(FaultKind kind, String call, String... targets) {
    calls.add(call);
    Instant now = Instant.now();
    return new FaultReceipt(kind, List.of(targets), now, now, status, call);
  }

  @Override
  public String backend() {
    return "recording";
  }

  @Override
  public List<String> nodes() {
    return List.copyOf(members);
  }

  @Override
  public void start() {}

  @Override
  public NodeClient client(String node) {
    throw new UnsupportedOperationException("no clients");
  }

  @Override
  public NodeClient client(String node, Duration timeout) {
    throw new UnsupportedOperationException("no clients");
  }

  @Override
  public NodeHealth health(String node) {
    throw new UnsupportedOperationException("no health");
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    return Optional.empty();
  }

  @Override
  public FaultReceipt kill(String node) {
    return record(FaultKind.KILL, "kill " + node, node);
  }

  @Override
  public FaultReceipt restart(String node) {
    return record(FaultKind.RESTART, "restart " + node, node);
  }

  @Override
  public FaultReceipt pause(String node) {
    return record(FaultKind.PAUSE, "pause " + node, node);
  }

  @Override
  public FaultReceipt resume(String node) {
    return record(FaultKind.RESUME, "resume " + node, node);
  }

  @Override
  public FaultReceipt terminate(String node) {
    return record(FaultKind.TERMINATE, "terminate " + node, node);
  }

  @Override
  public FaultReceipt wipe(String node) {
    return record(FaultKind.WIPE, "wipe " + node, node);
  }

  @Override
  public FaultReceipt backup(String node, String copy) {
    return record(FaultKind.BACKUP, "backup " + node + " " + copy, node);
  }

  @Override
  public FaultReceipt restore(String node, String copy) {
    return record(FaultKind.RESTORE, "restore " + node + " " + copy, node);
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    return record(FaultKind.PARTITION, "partition " + grudge);
  }

  @Override
  public FaultReceipt heal() {
    return record(FaultKind.HEAL, "heal");
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    return record(FaultKind.SLOW, "slow " + from + "->" + to + " " + latency.toMillis(), from, to);
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    return record(FaultKind.LOSSY, "lossy " + from + "->" + to + " " + probability, from, to);
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    return record(FaultKind.CLOCK_OFFSET, "clock " + node + " " + offset.toMillis(), node);
  }

  @Override
  public FaultReceipt join(String node) {
    members.add(node);
    return record(FaultKind.JOIN, "join " + node, node);
  }

  @Override
  public FaultReceipt leave(String node) {
    members.remove(node);
    return record(FaultKind.LEAVE, "leave " + node, node);
  }

  @Override
  public Path logDir() {
    return Path.of(".");
  }

  @Override
  public void close() {}
}
