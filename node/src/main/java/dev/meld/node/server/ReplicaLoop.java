package dev.meld.node.server;

import dev.meld.hlc.PhysicalClock;
import dev.meld.node.DrainStatus;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's replica thread: the one thread on which every call into the {@link Replica} happens
 * after it opened. Client commands, peer messages and control tasks arrive on queues from any
 * thread; the loop drains them, group-commits queued commands through one {@code executeAll}, ticks
 * the replica on a fixed period, completes Redis {@code WAIT}s and refreshes the status snapshot
 * that other threads read.
 *
 * <p>No turn of the loop holds the thread for long: a group of commands and a run of peer messages
 * each stop once they have taken {@link #turnBudgetNanos} (checked between commands and between
 * messages), and what is left waits for the next turn, in order. Without that bound a group of
 * pipelined writes once held the thread for seconds, the pings of peers waited behind it, and
 * peers declared each other dead under load (ReplicaLoopTest,
 * aLongGroupOfCommandsDoesNotStarveTicksOrPeerMessages).
 */
final class ReplicaLoop {

  private static final Logger log = LoggerFactory.getLogger(ReplicaLoop.class);

  /** "No timeout" for a wait, far enough that {@code nanoTime} differences cannot overflow. */
  private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

  /** Peer messages handled per loop turn before commands get their turn again. */
  private static final int INBOUND_PER_TURN = 256;

  /** Longest a turn's group of commands, or its run of peer messages, may take. */
  static final long MAX_TURN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** A peer is declared dead after this many turn budgets without word from it, at least. */
  private static final int BUDGETS_PER_DEAD_TIMEOUT = 5;

  /** A queued command and what to call with its reply (or failure) on the replica thread. */
  private record Pending(
      Command command, BiConsumer<? super Reply, ? super Throwable> then, long queuedNanos) {

    /* Called on the replica thread, for every command of a group: a callback that throws must not
     * take the thread down (a future's dependents cannot; this is a plain call). */
    void answer(Reply reply, Throwable failure) {
      try {
        then.accept(reply, failure);
      } catch (RuntimeException e) {
        log.warn("handing back the reply to {} failed", command.name(), e);
      }
    }
  }

  private record Inbound(String from, PeerMessage message) {}

  private final Replica replica;
  private final Outbox outbox;
  private final PhysicalClock clock;
  private final CommandObserver observer;
  private final ChangeTracker changes;
  private final long tickNanos;
  private final long statusNanos;
  private final int groupMax;
  private final long turnBudgetNanos;
  private final ArrayBlockingQueue<Pending> commands;
  private final List<Pending> group = new ArrayList<>(); // the next group; replica thread only
  private final ArrayBlockingQueue<Inbound> inbound;
  private final Queue<Runnable> controls = new ConcurrentLinkedQueue<>();
  private final ReplicaWaiters waiters = new ReplicaWaiters();
  private final AtomicLong droppedInbound = new AtomicLong();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Thread thread;

  private volatile boolean running = true;
  private volatile boolean parked;
  private volatile ReplicaStatus status;

  private volatile Consumer<ReplicaStatus> statusListener = s -> {};
  private CompletableFuture<DrainStatus> drain;
  private long drainDeadlineMillis;

  ReplicaLoop(
      Replica replica,
      Outbox outbox,
      PhysicalClock clock,
      NodeConfig config,
      CommandObserver observer,
      ChangeTracker changes) {
    this.replica = Objects.requireNonNull(replica, "replica");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.tickNanos = TimeUnit.MILLISECONDS.toNanos(config.tickMillis());
    this.statusNanos = TimeUnit.MILLISECONDS.toNanos(config.statusRefreshMillis());
    this.groupMax = config.groupCommitMax();
    this.turnBudgetNanos = turnBudgetNanos(config.replica().peerDeadTimeoutMillis());
    this.commands = new ArrayBlockingQueue<>(config.commandQueueLimit());
    this.inbound = new ArrayBlockingQueue<>(config.inboundQueueLimit());
    this.status = replica.status();
    this.thread = new Thread(this::run, "meld-replica-" + config.nodeName());
  }

  /** Calls {@code listener} on the replica thread with every refreshed status snapshot. */
  void onStatus(Consumer<ReplicaStatus> listener) {
    statusListener = Objects.requireNonNull(listener, "listener");
    listener.accept(status);
  }

  /**
   * The time a turn may take: 200 ms, or less where peers are declared dead sooner, so that pings
   * are handled several times within the dead timeout whatever the load.
   */
  static long turnBudgetNanos(long peerDeadTimeoutMillis) {
    long share = TimeUnit.MILLISECONDS.toNanos(peerDeadTimeoutMillis) / BUDGETS_PER_DEAD_TIMEOUT;
    return Math.max(1, Math.min(MAX_TURN_BUDGET_NANOS, share));
  }

  /** Starts the thread; before this, work only queues up. */
  synchronized void start() {
    if (!terminated.isDone()) {
      thread.start();
    }
  }

  /** Queues a client command. */
  CompletableFuture<Reply> execute(Command command) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    execute(
        command,
        (r, error) -> {
          if (error != null) {
            reply.completeExceptionally(error);
          } else {
            reply.complete(r);
          }
        });
    return reply;
  }

  /**
   * Queues a client command; {@code then} gets its reply, or why it failed, on the replica thread,
   * or at once on this thread if it is refused. See {@link CommandGateway#execute(Command,
   * BiConsumer)}.
   */
  void execute(Command command, BiConsumer<? super Reply, ? super Throwable> then) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(then, "then");
    Pending pending = new Pending(command, then, System.nanoTime());
    if (!running) {
      pending.answer(null, stopping());
    } else if (!commands.offer(pending)) {
      pending.answer(
          null,
          new RejectedExecutionException(
              "queued commands: "
                  + commands.size()
                  + " (expected: < "
                  + (commands.size() + commands.remainingCapacity())
                  + "); the node is overloaded"));
    } else if (!running && commands.remove(pending)) {
      pending.answer(null, stopping()); // queued after the replica thread's last drain
    } else {
      wake();
    }
  }

  /** Hands a peer message to the replica thread; drops it (safely) if the queue is full. */
  void receive(String from, PeerMessage message) {
    if (!running) {
      return;
    }
    if (inbound.offer(new Inbound(from, message))) {
      wake();
    } else {
      droppedInbound.incrementAndGet();
    }
  }

  /** See {@link CommandGateway#waitForReplicas}. */
  CompletableFuture<Integer> waitForReplicas(long localSeq, int replicas, long timeoutMillis) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    if (timeoutMillis < 0) {
      result.completeExceptionally(
          new IllegalArgumentException("timeout: " + timeoutMillis + " ms (expected: >= 0)"));
      return result;
    }
    long timeout = timeoutMillis == 0 ? FOREVER_NANOS : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    control(
        () ->
            waiters.add(
                localSeq, replicas, System.nanoTime() + timeout, result, refreshStatus()),
        result);
    return result;
  }

  /**
   * Begins a drain ending at {@code timeoutMillis} from now (node clock) and completes with its
   * final status once it completed or timed out. A second call returns the first drain's result.
   */
  CompletableFuture<DrainStatus> drain(long timeoutMillis) {
    CompletableFuture<DrainStatus> result = new CompletableFuture<>();
    control(
        () -> {
          begin(timeoutMillis, false);
          drain.whenComplete((s, e) -> complete(result, s, e));
        },
        result);
    return result;
  }

  /**
   * Starts leaving the cluster ({@link Replica#leave}: the node removes itself from the member set,
   * then drains until {@code timeoutMillis} from now) unless a drain, for a leave or a stop, is
   * already under way. Completes with whether this call started it; {@link #drain} then completes
   * with the leave's drain.
   */
  CompletableFuture<Boolean> leave(long timeoutMillis) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    control(() -> result.complete(begin(timeoutMillis, true)), result);
    return result;
  }

  /** Begins the node's one drain, as a leave or a plain stop; false if one was under way. */
  private boolean begin(long timeoutMillis, boolean leave) {
    if (drain != null) {
      return false;
    }
    drain = new CompletableFuture<>();
    drainDeadlineMillis = replica.timerMillis() + timeoutMillis;
    if (leave) {
      replica.leave(drainDeadlineMillis);
    } else {
      replica.beginDrain(drainDeadlineMillis);
    }
    refreshStatus();
    return true;
  }

  /** Runs {@code task} on the replica thread (tests and one-off reads). */
  <T> CompletableFuture<T> call(Function<Replica, T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    control(() -> result.complete(task.apply(replica)), result);
    return result;
  }

  /** The latest status snapshot. */
  ReplicaStatus status() {
    return status;
  }

  /** Peer messages dropped because the replica thread had too many queued. */
  long droppedInbound() {
    return droppedInbound.get();
  }

  /** Client commands waiting for the replica thread. */
  int queuedCommands() {
    return commands.size();
  }

  /**
   * Stops the thread: queued work is refused, the replica is closed on its thread. Completes when
   * the thread has ended. Idempotent.
   */
  CompletableFuture<Void> stop() {
    running = false;
    LockSupport.unpark(thread);
    synchronized (this) {
      if (thread.getState() == Thread.State.NEW && !terminated.isDone()) {
        shutDown(); // never started: nothing else touches the replica, so this thread may
      }
    }
    return terminated;
  }

  private void control(Runnable task, CompletableFuture<?> result) {
    if (!running) {
      result.completeExceptionally(stopping());
      return;
    }
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        };
    controls.add(guarded);
    if (!running && controls.remove(guarded)) {
      result.completeExceptionally(stopping()); // queued after the replica thread's last drain
    } else {
      wake();
    }
  }

  private void wake() {
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    List<Command> batch = new ArrayList<>(groupMax);
    long nextTick = System.nanoTime();
    long nextStatus = nextTick + statusNanos;
    try {
      while (running) {
        boolean worked = runControls();
        boolean heard = receiveInbound();
        worked |= heard;
        worked |= executeCommands(batch);
        long now = System.nanoTime();
        boolean ticked = false;
        if (now - nextTick >= 0) {
          tick();
          ticked = true;
          nextTick = now + tickNanos;
        }
        if (!waiters.isEmpty() && (heard || ticked || waiters.anyExpired(now))) {
          waiters.check(refreshStatus(), now);
        }
        if (drain != null && !drain.isDone() && ticked) {
          checkDrain();
        }
        if (now - nextStatus >= 0) {
          refreshStatus();
          nextStatus = now + statusNanos;
        }
        if (!worked) {
          parkUntil(nextTick);
        }
      }
    } catch (Throwable t) {
      log.error("the replica thread failed; the node stops serving", t);
      running = false;
    } finally {
      shutDown();
    }
  }

  private boolean runControls() {
    boolean any = false;
    for (Runnable r; (r = controls.poll()) != null; ) {
      r.run();
      any = true;
    }
    return any;
  }

  private boolean receiveInbound() {
    int n = 0;
    long deadline = System.nanoTime() + turnBudgetNanos;
    for (Inbound in;
        n < INBOUND_PER_TURN
            && (n == 0 || System.nanoTime() - deadline < 0)
            && (in = inbound.poll()) != null;
        n++) {
      boolean tracking = changes.active();
      if (tracking) {
        changes.beforeMessage(in.message());
      }
      try {
        replica.receive(in.from(), in.message(), outbox);
      } catch (RuntimeException e) {
        // The replica rejects bad messages itself; anything thrown here is a bug or a store
        // failure, and one message must not take the node down.
        log.error("receiving {} from {} failed", in.message().getClass().getSimpleName(), in.from(), e);
      }
      if (tracking) {
        changes.publish();
      }
    }
    return n > 0;
  }

  /**
   * Executes the next group: what the last turn left over, then queued commands, up to {@code
   * groupMax}, for at most the turn budget; what is left stays at the head of {@code group}.
   */
  private boolean executeCommands(List<Command> batch) {
    if (group.size() < groupMax) {
      commands.drainTo(group, groupMax - group.size());
    }
    if (group.isEmpty()) {
      return false;
    }
    for (Pending p : group) {
      batch.add(p.command());
    }
    boolean tracking = changes.active();
    if (tracking) {
      changes.beforeCommands(batch);
    }
    List<Reply> replies = null;
    RuntimeException failure = null;
    long deadline = System.nanoTime() + turnBudgetNanos;
    try {
      replies = replica.executeAll(batch, outbox, () -> System.nanoTime() - deadline >= 0);
    } catch (RuntimeException e) {
      log.error("executing {} commands failed", batch.size(), e);
      failure = e;
    }
    if (tracking) {
      changes.publish(); // before the replies, so a writer's listener has been told when it returns
    }
    int ran = replies == null ? group.size() : replies.size();
    observer.grouped(ran);
    complete(ran, replies, failure);
    group.subList(0, ran).clear();
    batch.clear();
    return true;
  }

  /**
   * Completes the first {@code ran} commands of the group with their replies (or {@code failure}),
   * waking the threads that wait for them once for the group, not once per reply (GroupWakeups).
   */
  private void complete(int ran, List<Reply> replies, RuntimeException failure) {
    long done = System.nanoTime();
    GroupWakeups.hold(
        () -> {
          for (int i = 0; i < ran; i++) {
            Pending p = group.get(i);
            Reply r = replies == null ? null : replies.get(i);
            observer.completed(p.command(), r, done - p.queuedNanos());
            p.answer(r, r != null ? null : failure);
          }
        });
  }

  private void tick() {
    try {
      replica.tick(outbox);
    } catch (RuntimeException e) {
      log.error("tick failed", e);
    }
  }

  private void checkDrain() {
    DrainStatus s = replica.drainStatus();
    boolean over = replica.timerMillis() > drainDeadlineMillis + 1_000;
    if (s.state() == DrainStatus.State.COMPLETED
        || s.state() == DrainStatus.State.TIMED_OUT
        || over) {
      refreshStatus();
      drain.complete(s);
    }
  }

  private ReplicaStatus refreshStatus() {
    ReplicaStatus s = replica.status();
    status = s;
    try {
      statusListener.accept(s);
    } catch (RuntimeException e) {
      log.warn("a status listener failed", e);
    }
    return s;
  }

  private void parkUntil(long deadlineNanos) {
    parked = true;
    try {
      if (controls.isEmpty() && inbound.isEmpty() && commands.isEmpty() && running) {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
    } finally {
      parked = false;
    }
  }

  private void shutDown() {
    RuntimeException cause = stopping();
    group.forEach(p -> p.answer(null, cause)); // left by a turn that ran long
    group.clear();
    for (Pending p; (p = commands.poll()) != null; ) {
      p.answer(null, cause);
    }
    runControls(); // those queued before the stop still see the open replica
    inbound.clear();
    waiters.failAll(cause);
    if (drain != null && !drain.isDone()) {
      drain.complete(replica.drainStatus());
    }
    closeReplica();
    terminated.complete(null);
  }

  private void closeReplica() {
    try {
      replica.close();
    } catch (RuntimeException e) {
      log.error("closing the replica failed", e);
    }
  }

  private static RejectedExecutionException stopping() {
    return new RejectedExecutionException("the node is shutting down");
  }

  private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
    if (error != null) {
      f.completeExceptionally(error);
    } else {
      f.complete(value);
    }
  }
}
