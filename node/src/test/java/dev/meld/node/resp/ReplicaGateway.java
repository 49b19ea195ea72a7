package dev.meld.node.resp;

import dev.meld.antientropy.KeyHashing;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.RecordStore;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A real single-node {@link Replica} over a {@link MemoryRecordStore} behind the simplest gateway:
 * every call runs the replica at once, under a lock, on the caller's thread. Enough for the shell
 * tests and the real-client tests; the node runtime's gateway adds the replica thread and group
 * commit.
 */
final class ReplicaGateway implements CommandGateway, AutoCloseable {
  private final Replica replica;
  private final PhysicalClock clock;
  private final long startedAt;

  ReplicaGateway(ReplicaConfig config, PhysicalClock clock) {
    this(config, clock, MemoryRecordStore.create(KeyHashing::keyHash64));
  }

  ReplicaGateway(ReplicaConfig config, PhysicalClock clock, RecordStore store) {
    this.clock = clock;
    this.startedAt = clock.currentTimeMillis();
    this.replica = Replica.open(config, store, clock, new SplittableRandom(7));
  }

  /** A node named {@code solo}, alone in its cluster, on the system clock. */
  static ReplicaGateway solo() {
    return new ReplicaGateway(ReplicaConfig.builder("solo").build(), PhysicalClock.system());
  }

  @Override
  public synchronized CompletableFuture<Reply> execute(Command command) {
    return CompletableFuture.completedFuture(replica.execute(command, (to, message) -> {}));
  }

  @Override
  public synchronized CompletableFuture<Integer> waitForReplicas(
      long localSeq, int replicas, long timeoutMillis) {
    return CompletableFuture.completedFuture(replica.peersAcked(localSeq));
  }

  @Override
  public synchronized ReplicaStatus status() {
    return replica.status();
  }

  @Override
  public synchronized NodeInfo info() {
    return new NodeInfo(
        replica.replicaId().node(),
        "meld",
        replica.replicaId().incarnation(),
        "test",
        startedAt,
        null,
        null,
        null);
  }

  @Override
  public synchronized void close() {
    replica.close();
  }
}
