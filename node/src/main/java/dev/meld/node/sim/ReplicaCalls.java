package dev.meld.node.sim;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.DrainStatus;
import dev.meld.node.Outbox;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerProtocolException;
import dev.meld.node.store.Origin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every call the simulator makes into a {@code Replica}, and the plumbing around it: processes
 * starting and dying, timers, frames in and out through the real codec, client requests executed
 * (one by one, or as a group commit when a paused node wakes to a backlog), drains and leaves.
 *
 * <p>A replica that throws has a bug: the exception becomes a {@link Violation.Kind#FAILURE} and
 * the process is treated as crashed (its store keeps what it committed), so the run goes on.
 */
final class ReplicaCalls {

  /** Frame limit: above the largest anti-entropy message and replication batch a replica sends. */
  static final int MAX_FRAME_BYTES = 16 << 20;

  private final SimCluster cluster;
  private final EventQueue queue;
  private final Trace trace;
  private final PeerCodec codec = new PeerCodec(MAX_FRAME_BYTES);

  ReplicaCalls(SimCluster cluster) {
    this.cluster = cluster;
    this.queue = cluster.queue();
    this.trace = cluster.trace();
  }

  // ------------------------------------------------------------------------ lifecycle

  void start(SimNode node) {
    long now = queue.now();
    try {
      node.start(now);
    } catch (RuntimeException e) {
      failed(node, "open", e);
      return;
    }
    ReplicaId id = node.replicaId();
    trace.event(now, "start", node.name, id.incarnation(), () -> "as " + id);
    checkIncarnation(node, id);
    long epoch = node.epoch;
    long tick = cluster.config().tickMillis();
    queue.after(1 + cluster.edgeDelay() % tick, () -> tick(node, epoch));
  }

  /**
   * A process that did not follow a clean close must act under an incarnation this node never used
   * before (ARCHITECTURE.md, the merge core: a (replica, counter) pair is never reused).
   */
  private void checkIncarnation(SimNode node, ReplicaId id) {
    boolean mayKeep =
        node.closedCleanly
            && !node.incarnations.isEmpty()
            && node.incarnations.get(node.incarnations.size() - 1) == id.incarnation();
    if (!mayKeep && node.incarnations.contains(id.incarnation())) {
      cluster.fail(
          new Violation(
              Violation.Kind.INCARNATION_REUSED,
              null,
              node.name
                  + " restarted after an unclean stop or a wipe under incarnation "
                  + id.incarnation()
                  + ", used before (expected: a new one; used: "
                  + node.incarnations
                  + ")",
              List.of()));
    }
    node.incarnations.add(id.incarnation());
    node.closedCleanly = false;
  }

  /** Kills the process: pending requests become indeterminate, memory is gone. */
  void kill(SimNode node) {
    List<ClientCall> lost = new ArrayList<>(node.pending);
    node.crash();
    trace.event(queue.now(), "crash", node.name, node.epoch, () -> lost.size() + " requests lost");
    for (ClientCall call : lost) {
      if (!call.done) {
        cluster.history().complete(call, SimOp.Type.INFO, call.op.invokeValue(), "connection lost");
      }
    }
  }

  void stopCleanly(SimNode node) {
    List<ClientCall> lost = new ArrayList<>(node.pending);
    try {
      node.stopCleanly();
    } catch (RuntimeException e) {
      failed(node, "close", e);
    }
    for (ClientCall call : lost) {
      if (!call.done) {
        cluster
            .history()
            .complete(call, SimOp.Type.INFO, call.op.invokeValue(), "connection closed");
      }
    }
  }

  void resume(SimNode node) {
    node.state = SimNode.State.UP;
    List<ClientCall> group = new ArrayList<>();
    while (!node.held.isEmpty() && node.state == SimNode.State.UP) {
      Object next = node.held.poll();
      if (next instanceof ClientCall call) {
        group.add(call);
        continue;
      }
      execute(node, group);
      group.clear();
      ((Runnable) next).run();
    }
    if (node.state == SimNode.State.UP) {
      execute(node, group);
    }
  }

  private void tick(SimNode node, long epoch) {
    if (node.epoch != epoch) {
      return; // that process is gone; its successor has its own timer
    }
    queue.after(cluster.config().tickMillis(), () -> tick(node, epoch));
    if (node.state != SimNode.State.UP) {
      return;
    }
    trace.event(queue.now(), "tick", node.name, 0, () -> "");
    guard(node, "tick", () -> node.replica.tick(outbox(node)));
    if (node.leaving != null && node.state == SimNode.State.UP) {
      finishLeave(node);
    }
  }

  // ------------------------------------------------------------------------ peers

  private Outbox outbox(SimNode from) {
    return (to, message) -> send(from, to, message);
  }

  private void send(SimNode from, String to, PeerMessage message) {
    byte[] frame;
    try {
      frame = codec.encode(message);
    } catch (RuntimeException e) {
      failed(from, "encode " + message.getClass().getSimpleName(), e);
      return;
    }
    SimNode target;
    try {
      target = cluster.node(to);
    } catch (IllegalArgumentException unknown) {
      trace.event(queue.now(), "unroutable", from.name, to.hashCode(), () -> "to " + to);
      return;
    }
    trace.event(
        queue.now(),
        "send",
        from.name + ">" + to,
        Trace.hash(frame),
        () -> describe(message, frame));
    cluster.network().send(from.name, to, frame, target.epoch);
  }

  void deliver(SimNode node, String from, byte[] frame, long epoch) {
    if (node.epoch != epoch || !node.isRunning()) {
      trace.event(
          queue.now(), "discard", from + ">" + node.name, Trace.hash(frame), () -> "no process");
      return;
    }
    if (node.state == SimNode.State.PAUSED) {
      node.held.add((Runnable) () -> deliver(node, from, frame, epoch));
      return;
    }
    PeerMessage message;
    try {
      message = codec.decode(frame);
    } catch (PeerProtocolException e) {
      cluster.fail(
          new Violation(
              Violation.Kind.FAILURE,
              null,
              "codec: a frame from "
                  + from
                  + " to "
                  + node.name
                  + " did not decode: "
                  + e.getMessage(),
              List.of()));
      return;
    }
    trace.event(
        queue.now(),
        "deliver",
        from + ">" + node.name,
        Trace.hash(frame),
        () -> describe(message, frame));
    guard(node, "receive", () -> node.replica.receive(from, message, outbox(node)));
  }

  /** A trace line's account of a message: batches summarized, small messages in full. */
  private static String describe(PeerMessage message, byte[] frame) {
    if (message instanceof PeerMessage.ReplicateBatch batch) {
      return "ReplicateBatch[origin="
          + batch.origin()
          + ", seq "
          + batch.firstSeq()
          + ".."
          + batch.lastSeq()
          + "] "
          + frame.length
          + " bytes";
    }
    if (message instanceof PeerMessage.SyncEnvelope envelope) {
      return "Sync["
          + envelope.message().getClass().getSimpleName()
          + "] "
          + frame.length
          + " bytes";
    }
    return message + " " + frame.length + " bytes";
  }

  // ------------------------------------------------------------------------ clients

  void arrive(SimNode node, ClientCall call, long epoch) {
    if (node.epoch != epoch) {
      return; // the process died; the call was completed as info then
    }
    if (node.state == SimNode.State.PAUSED) {
      node.held.add(call);
      return;
    }
    execute(node, List.of(call));
  }

  /** Executes {@code group} as one command or one group commit; replies travel back. */
  private void execute(SimNode node, List<ClientCall> group) {
    if (group.isEmpty()) {
      return;
    }
    node.pending.removeAll(group);
    List<Command> commands = new ArrayList<>();
    group.forEach(c -> commands.add(c.op.command()));
    trace.event(
        queue.now(),
        "execute",
        node.name,
        commands.hashCode(),
        () -> commands.size() == 1 ? commands.get(0).toString() : "group of " + commands.size());
    List<Reply> replies = new ArrayList<>();
    ReplicaId[] id = new ReplicaId[1];
    boolean ok =
        guard(
            node,
            "execute",
            () -> {
              id[0] = node.replica.replicaId();
              if (commands.size() == 1) {
                replies.add(node.replica.execute(commands.get(0), outbox(node)));
              } else {
                replies.addAll(node.replica.executeAll(commands, outbox(node)));
              }
            });
    if (!ok) {
      return; // the process was crashed by guard: the calls became info
    }
    Origin origin = new Origin(id[0].node(), id[0].incarnation());
    for (int i = 0; i < group.size(); i++) {
      ClientCall call = group.get(i);
      Reply reply = replies.get(i);
      if (call.op.command().isWrite() && !(reply instanceof Reply.Error)) {
        // In the ledger from now, not from when the reply arrives: a wipe in between may take it.
        cluster
            .ledger()
            .add(
                new WriteLedger.Entry(
                    call.invokeIndex, node, node.diskGeneration, origin, reply.seq()));
      }
      queue.after(cluster.edgeDelay(), () -> answer(call, reply));
    }
  }

  private void answer(ClientCall call, Reply reply) {
    if (call.done) {
      return; // the client gave up already
    }
    if (reply instanceof Reply.Error error) {
      cluster
          .history()
          .complete(
              call, SimOp.Type.FAIL, call.op.invokeValue(), error.code() + " " + error.message());
      return;
    }
    Object value;
    try {
      value = call.op.okValue(reply);
    } catch (IllegalStateException e) {
      cluster.fail(new Violation(Violation.Kind.FAILURE, call.op.key(), e.getMessage(), List.of()));
      cluster.history().complete(call, SimOp.Type.INFO, call.op.invokeValue(), "bad reply");
      return;
    }
    cluster.history().complete(call, SimOp.Type.OK, value, null);
  }

  /** A read executed directly on {@code node} (final reads); null if the replica failed. */
  Object read(SimNode node, ClientOp op) {
    node.syncClock(queue.now());
    Object[] value = new Object[1];
    guard(
        node,
        "final read",
        () -> value[0] = op.okValue(node.replica.execute(op.command(), outbox(node))));
    return value[0];
  }

  Optional<ReplicaStatus> status(SimNode node) {
    ReplicaStatus[] status = new ReplicaStatus[1];
    guard(node, "status", () -> status[0] = node.replica.status());
    return Optional.ofNullable(status[0]);
  }

  // ------------------------------------------------------------------------ leaving

  void leave(SimNode node, long timeoutMillis) {
    node.syncClock(queue.now());
    long deadline = node.replica.timerMillis() + timeoutMillis;
    if (guard(node, "leave", () -> node.replica.leave(deadline))) {
      node.leaving = deadline;
    }
  }

  /** Ends a leave once its drain is over: the node stops for good and leaves the member list. */
  private void finishLeave(SimNode node) {
    DrainStatus drain = node.replica.drainStatus();
    if (drain.state() == DrainStatus.State.RUNNING
        || drain.state() == DrainStatus.State.NOT_DRAINING) {
      return;
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("node", node.name);
    value.put("drain", drain.state().name());
    value.put("unreplicated", cluster.unreplicated(node));
    cluster
        .history()
        .nemesis("leave-done", node.name, java.util.Collections.unmodifiableMap(value));
    stopCleanly(node);
    node.state = SimNode.State.GONE;
    node.leaving = null;
    cluster.removeMember(node.name);
  }

  // ------------------------------------------------------------------------ guarding

  /** Runs a replica call at the node's clock; on an exception records a failure and crashes it. */
  private boolean guard(SimNode node, String what, Runnable call) {
    node.syncClock(queue.now());
    try {
      call.run();
      return true;
    } catch (RuntimeException e) {
      failed(node, what, e);
      if (node.isRunning()) {
        kill(node);
      }
      return false;
    }
  }

  private void failed(SimNode node, String what, RuntimeException e) {
    StringWriter stack = new StringWriter();
    e.printStackTrace(new PrintWriter(stack));
    String[] lines = stack.toString().split("\n");
    StringBuilder top = new StringBuilder();
    for (int i = 0; i < Math.min(8, lines.length); i++) {
      top.append("\n      ").append(lines[i].strip());
    }
    cluster.fail(
        new Violation(
            Violation.Kind.FAILURE,
            null,
            node.name + " threw in " + what + " at t=" + queue.now() + ": " + top,
            List.of()));
  }
}
