package dev.meld.node.admin;

import dev.meld.node.resp.RespMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RESP port's metrics in Micrometer: {@code meld_connections{kind="client"}}, rejected
 * connections, per-command latency from a request's arrival to its reply, and protocol failures.
 * Thread-safe; called on the port's event loops.
 */
public final class RespMeters implements RespMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter rejected;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();

  public RespMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("meld.connections", connections, AtomicInteger::get)
        .description("open connections: clients on the RESP port, peers this node dialed")
        .tag("kind", "client")
        .register(registry);
    this.rejected =
        Counter.builder("meld.resp.connections.rejected")
            .description("clients turned away at the connection limit")
            .register(registry);
  }

  @Override
  public void connectionOpened() {
    connections.incrementAndGet();
  }

  @Override
  public void connectionClosed() {
    connections.decrementAndGet();
  }

  @Override
  public void connectionRejected() {
    rejected.increment();
  }

  @Override
  public void commandCompleted(String command, long nanos, boolean error) {
    String outcome = error ? "error" : "ok";
    timers
        .computeIfAbsent(
            command + '/' + outcome,
            k ->
                Timer.builder("meld.resp.command.duration")
                    .description("RESP requests from arrival to reply, by command and outcome")
                    .tags("command", command, "outcome", outcome)
                    .serviceLevelObjectives(NodeMetrics.LATENCY_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionFailed(String reason) {
    failures
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("meld.resp.connection.failures")
                    .description("client connections closed for breaking the protocol or a limit")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  @Override
  public void authFailed(String reason) {
    authFailures
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("meld.resp.auth.failures")
                    .description("failed AUTH attempts: wrong password, or refused by address")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }
}
