package dev.meld.node.resp;

import dev.meld.node.server.CommandGateway;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one client port shares: its configuration, the gateway to the replica,
 * the command table, metrics, the client counters, the node-wide budget of unfinished requests and
 * the failed-{@code AUTH} counts per address.
 */
final class ServerContext {
  final RespConfig config;
  final CommandGateway gateway;
  final RespMetrics metrics;
  final CommandTable commands;
  private final AtomicLong nextClientId = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong unfinishedBytes = new AtomicLong();
  final AddressThrottle authThrottle;
  private final Map<Executor, AnswerInbox> inboxes = new ConcurrentHashMap<>();

  ServerContext(RespConfig config, CommandGateway gateway, RespMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.commands = CommandTable.standard();
    this.authThrottle =
        new AddressThrottle(config.authFailuresPerAddress(), RespConfig.AUTH_WINDOW_MILLIS);
  }

  /** The inbox for answers to the connections of event loop {@code loop}. */
  AnswerInbox answerInbox(Executor loop) {
    return inboxes.computeIfAbsent(loop, AnswerInbox::new);
  }

  long newClientId() {
    return nextClientId.incrementAndGet();
  }

  /** Counts a new connection in; false (and nothing counted) if the port is full. */
  boolean admit() {
    while (true) {
      int now = connected.get();
      if (now >= config.maxClients()) {
        rejected.incrementAndGet();
        return false;
      }
      if (connected.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    connected.decrementAndGet();
  }

  int connectedClients() {
    return connected.get();
  }

  long rejectedConnections() {
    return rejected.get();
  }

  /** Whether a new client would be turned away now. */
  boolean full() {
    return connected.get() >= config.maxClients();
  }

  /**
   * Takes {@code bytes} from the node-wide budget of unfinished requests; false (and nothing taken)
   * if they would take it over {@link RespConfig#maxUnfinishedRequestBytes()}.
   */
  boolean reserveUnfinished(long bytes) {
    while (true) {
      long now = unfinishedBytes.get();
      if (now + bytes > config.maxUnfinishedRequestBytes()) {
        return false;
      }
      if (unfinishedBytes.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void releaseUnfinished(long bytes) {
    unfinishedBytes.addAndGet(-bytes);
  }

  /** Bytes unfinished requests hold of the budget now. */
  long unfinishedBytes() {
    return unfinishedBytes.get();
  }
}
