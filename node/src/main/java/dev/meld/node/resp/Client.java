package dev.meld.node.resp;

import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    CompletableFuture<Reply> answer;
    try {
      answer = server.gateway.execute(command);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.whenCompleteAsync(
        (reply, error) -> {
          if (reply != null && reply.seq() > writeSeq) {
            writeSeq = reply.seq();
          }
        },
        loop);
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
