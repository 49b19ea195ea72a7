package dev.meld.node.admin;

import dev.meld.antientropy.KeyHashing;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.DrainStatus;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreLimits;
import dev.meld.node.transport.MeshCounters;
import dev.meld.node.transport.PeerLinkStats;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A node view over a real in-memory replica's status, with the parts tests change settable. */
final class FakeView implements NodeView {

  final ReplicaStatus base;
  volatile boolean serving = true;
  volatile DrainStatus drain = DrainStatus.NOT_DRAINING;
  volatile ReplicaStatus.MembershipState membership = ReplicaStatus.MembershipState.MEMBER;
  /** What {@link #leave()} fails with, if not null. */
  volatile RuntimeException leaveFailure;
  final AtomicInteger leaves = new AtomicInteger();
  volatile ClientTable clients = new ClientTable(0, 10);

  FakeView() {
    Replica r =
        Replica.open(
            ReplicaConfig.builder("n1").address("127.0.0.1:7379").build(),
            MemoryRecordStore.open(MemoryImage.empty(), KeyHashing::keyHash64, StoreLimits.DEFAULTS),
            PhysicalClock.system(),
            new SplittableRandom(1));
    base = r.status();
    r.close();
  }

  @Override
  public ClientTable clients() {
    return clients;
  }

  @Override
  public ReplicaStatus status() {
    ReplicaStatus s = base;
    return new ReplicaStatus(
        s.node(),
        s.incarnation(),
        s.ready(),
        drain,
        s.keyCount(),
        s.records(),
        s.rootDigest(),
        s.hlcLast(),
        s.clockClamps(),
        s.headSeq(),
        s.log(),
        s.peers(),
        s.antiEntropy(),
        s.members(),
        membership,
        s.commands(),
        s.writes(),
        s.errors(),
        s.refusals());
  }

  @Override
  public NodeInfo info() {
    return new NodeInfo(
        "n1",
        "meld",
        base.incarnation(),
        "test",
        System.currentTimeMillis() - 1_000,
        null,
        new InetSocketAddress("127.0.0.1", 7379),
        null);
  }

  @Override
  public boolean serving() {
    return serving;
  }

  @Override
  public long droppedInbound() {
    return 3;
  }

  @Override
  public int queuedCommands() {
    return 0;
  }

  @Override
  public long storeBytes() {
    return 4096;
  }

  @Override
  public Map<String, PeerLinkStats> links() {
    return Map.of();
  }

  @Override
  public MeshCounters meshCounters() {
    return new MeshCounters(0, 0, Map.of("AUTH", 2L), Map.of(), 0, 0);
  }

  /** Like the runtime: the first leave starts (leaving, draining), later ones are refused. */
  @Override
  public synchronized CompletableFuture<LeaveOutcome> leave() {
    leaves.incrementAndGet();
    if (leaveFailure != null) {
      return CompletableFuture.failedFuture(leaveFailure);
    }
    if (drain.draining()) {
      return CompletableFuture.completedFuture(
          LeaveOutcome.refused("node n1 is already leaving (expected: one leave)"));
    }
    membership = ReplicaStatus.MembershipState.LEAVING;
    drain = new DrainStatus(DrainStatus.State.RUNNING, 1, 10_001, -1, List.of("n2"), List.of());
    return CompletableFuture.completedFuture(LeaveOutcome.begun());
  }
}
