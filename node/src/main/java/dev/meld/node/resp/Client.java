package dev.meld.node.resp;

import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One client connection's state as its commands see it: who it is ({@code CLIENT ID}, name,
 * library), which protocol it speaks, whether it has authenticated, and the highest log sequence
 * its writes committed under (for {@code WAIT}). Touched only on the connection's event loop; the
 * gateway's answers are brought back onto that loop before anything reads them.
 */
final class Client {
  final ServerContext server;
  final long id;
  final String address;
  /** The source address without the port: what failed {@code AUTH}s are counted by. */
  final String host;
  final String localAddress;
  final long createdAtNanos;
  private final Executor loop;
  private final ScheduledExecutorService eventLoop;
  private final AnswerInbox inbox;

  private int protocol = 2;
  private boolean authenticated;
  private int authFailures;
  private String name = "";
  private String libName = "";
  private String libVersion = "";
  private long writeSeq;
  private long lastCommandNanos;
  private Supplier<CompletableFuture<Void>> earlier = () -> CompletableFuture.completedFuture(null);
  private boolean closeAfterReply;

  /* Answers on their way back to the event loop. The replica answers a whole group of commands at
   * once; handing each answer over as its own task woke the loop once per command (an eventfd
   * write on the replica thread) and ran the connection's pump once per reply. Now the first
   * answer of a group hands this client to the loop's inbox, and one delivery takes every answer
   * that has arrived by then; the connection pumps once after it (afterAnswers). */
  private record Answer(CompletableFuture<Reply> to, Reply reply, Throwable error) {}

  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean answersScheduled = new AtomicBoolean();
  private boolean delivering;
  private Runnable afterAnswers = () -> {};

  Client(
      ServerContext server,
      String address,
      String host,
      String localAddress,
      ScheduledExecutorService eventLoop) {
    this.server = server;
    this.id = server.newClientId();
    this.address = address;
    this.host = host;
    this.eventLoop = eventLoop;
    this.localAddress = localAddress;
    this.createdAtNanos = System.nanoTime();
    this.inbox = server.answerInbox(eventLoop);
    this.lastCommandNanos = createdAtNanos;
    // A future completed after the channel's loop shut down drops its continuation instead of
    // throwing into whichever thread completed it (the replica's).
    this.loop =
        task -> {
          try {
            eventLoop.execute(task);
          } catch (RejectedExecutionException closed) {
            // the connection is gone; nobody waits for this answer
          }
        };
  }

  /**
   * Runs {@code command} through the gateway; the answer arrives on the event loop, after this
   * client's write sequence has taken it into account.
   */
  CompletableFuture<Reply> execute(Command command) {
    CompletableFuture<Reply> onLoop = new CompletableFuture<>();
    try {
      server.gateway.execute(command, (reply, error) -> arrived(new Answer(onLoop, reply, error)));
    } catch (RuntimeException e) {
      arrived(new Answer(onLoop, null, e));
    }
    return onLoop;
  }

  /** Any thread: queues an answer, and schedules the task that delivers it unless one is due. */
  private void arrived(Answer answer) {
    answers.add(answer);
    if (answersScheduled.compareAndSet(false, true)) {
      inbox.add(this::deliverAnswers);
    }
  }

  /** On the event loop: completes every answer that has arrived, then tells the connection once. */
  private void deliverAnswers() {
    answersScheduled.set(false); // an answer queued from here on schedules another task
    delivering = true;
    try {
      for (Answer a; (a = answers.poll()) != null; ) {
        if (a.reply() != null && a.reply().seq() > writeSeq) {
          writeSeq = a.reply().seq();
        }
        if (a.error() != null) {
          a.to().completeExceptionally(a.error());
        } else {
          a.to().complete(a.reply());
        }
      }
    } finally {
      delivering = false;
    }
    afterAnswers.run();
  }

  /**
   * Whether answers are being delivered now: whoever waits for one may leave the work it would do
   * per answer to {@link #afterAnswers}, which runs once they all are.
   */
  boolean delivering() {
    return delivering;
  }

  /** Set once by the connection: what to do after a run of answers is delivered. */
  void afterAnswers(Runnable v) {
    afterAnswers = v;
  }

  /**
   * Redis {@code WAIT}: once every command this client sent before has been answered, how many
   * peers have acknowledged its writes.
   */
  CompletableFuture<Integer> waitForReplicas(int replicas, long timeoutMillis) {
    return earlier
        .get()
        .thenComposeAsync(
            done -> server.gateway.waitForReplicas(writeSeq, replicas, timeoutMillis), loop)
        .whenCompleteAsync((n, error) -> {}, loop);
  }

  /** The highest local log sequence a write of this client committed under, 0 if none. */
  long writeSeq() {
    return writeSeq;
  }

  /**
   * Set once by the connection: a future that completes when every command handed in before the
   * current one is answered (asked for only by the commands that need it, such as {@code WAIT}).
   */
  void earlier(Supplier<CompletableFuture<Void>> v) {
    earlier = v;
  }

  /**
   * {@code value} once {@code delayMillis} have passed, on the event loop (at once for 0). Never
   * completes if the connection's loop is gone.
   */
  <T> CompletableFuture<T> after(long delayMillis, T value) {
    if (delayMillis <= 0) {
      return CompletableFuture.completedFuture(value);
    }
    CompletableFuture<T> later = new CompletableFuture<>();
    try {
      eventLoop.schedule(() -> later.complete(value), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // the connection is gone; nobody waits for this answer
    }
    return later;
  }

  /** Counts a failed {@code AUTH}; returns the connection's failures so far. */
  int authFailed() {
    return ++authFailures;
  }

  /** Whether this connection failed {@code AUTH} so often that it may never log in. */
  boolean authLocked() {
    return authFailures >= server.config.maxAuthFailures();
  }

  /** Notes that a command arrived (for {@code CLIENT INFO}'s idle time). */
  void commandArrived() {
    lastCommandNanos = System.nanoTime();
  }

  int protocol() {
    return protocol;
  }

  void protocol(int v) {
    protocol = v;
  }

  /** Whether commands other than the {@code no_auth} ones may run. */
  boolean authenticated() {
    return authenticated || !server.config.requiresPassword();
  }

  void authenticated(boolean v) {
    authenticated = v;
  }

  String name() {
    return name;
  }

  void name(String v) {
    name = v;
  }

  String libName() {
    return libName;
  }

  void libName(String v) {
    libName = v;
  }

  String libVersion() {
    return libVersion;
  }

  void libVersion(String v) {
    libVersion = v;
  }

  long idleNanos() {
    return System.nanoTime() - lastCommandNanos;
  }

  /** Asks the connection to close once this command's reply is written ({@code QUIT}). */
  void closeAfterReply() {
    closeAfterReply = true;
  }

  /** Whether {@link #closeAfterReply()} was asked since the last call, and forgets it. */
  boolean takeCloseAfterReply() {
    boolean v = closeAfterReply;
    closeAfterReply = false;
    return v;
  }
}
