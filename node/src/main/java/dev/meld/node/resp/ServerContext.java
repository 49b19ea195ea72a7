package dev.meld.node.resp;

import dev.meld.node.server.CommandGateway;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one client port shares: its configuration, the gateway to the replica,
 * the command table, metrics and the client counters.
 */
final class ServerContext {
  final RespConfig config;
  final CommandGateway gateway;
  final RespMetrics metrics;
  final CommandTable commands;
  private final AtomicLong nextClientId = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();

  ServerContext(RespConfig config, CommandGateway gateway, RespMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.commands = CommandTable.standard();
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
}
