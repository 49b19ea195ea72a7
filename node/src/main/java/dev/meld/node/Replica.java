package dev.meld.node;

import dev.meld.hlc.PhysicalClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.RecordStore;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a Meld node does, with no I/O of its own (behaviour lands in the next commits).
 */
public final class Replica implements AutoCloseable {

  private Replica() {}

  public static Replica open(
      ReplicaConfig config, RecordStore store, PhysicalClock clock, RandomGenerator random) {
    throw new UnsupportedOperationException("not yet");
  }

  public Reply execute(Command command, Outbox out) {
    throw new UnsupportedOperationException("not yet");
  }

  public List<Reply> executeAll(List<Command> commands, Outbox out) {
    throw new UnsupportedOperationException("not yet");
  }

  public void receive(String fromNode, PeerMessage message, Outbox out) {
    throw new UnsupportedOperationException("not yet");
  }

  public void tick(Outbox out) {
    throw new UnsupportedOperationException("not yet");
  }

  public void beginDrain(long deadlineMillis) {
    throw new UnsupportedOperationException("not yet");
  }

  public void leave(long deadlineMillis) {
    throw new UnsupportedOperationException("not yet");
  }

  public DrainStatus drainStatus() {
    throw new UnsupportedOperationException("not yet");
  }

  public ReplicaStatus status() {
    throw new UnsupportedOperationException("not yet");
  }

  public dev.meld.crdt.ReplicaId replicaId() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("not yet");
  }
}
