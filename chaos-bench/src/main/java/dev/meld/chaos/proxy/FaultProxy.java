package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named proxy: a listen address, an upstream, whether it accepts, its toxics, and the
 * connections it currently carries.
 *
 * <p>Threads: the API calls the mutators one at a time (the {@link ProxyRegistry} serialises them);
 * socket threads call {@link #accepted} and {@link #connectionClosed}. The monitor guards the
 * fields both sides read. A change to toxics or to the enabled state is handed to every live
 * connection while the monitor is held, so a connection that is being accepted at the same moment
 * sees either the old list plus the change, or the new list, never neither. The API then waits
 * (bounded, outside the monitor) until every connection has applied it, as Toxiproxy does.
 */
final class FaultProxy {

  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

  /** How long an API call waits for live connections to apply a change. */
  private static final long APPLY_TIMEOUT_MILLIS = 5_000;

  private final ProxyEngine engine;
  private final String name;
  private HostPort listen;
  private HostPort upstream;
  private boolean enabled;
  private List<ToxicSpec> toxics = List.of();
  private Channel listener;
  private final Set<ProxiedConnection> connections = new LinkedHashSet<>();

  FaultProxy(ProxyEngine engine, String name, HostPort listen, HostPort upstream) {
    this.engine = engine;
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
  }

  String name() {
    return name;
  }

  synchronized HostPort listen() {
    return listen;
  }

  synchronized HostPort upstream() {
    return upstream;
  }

  synchronized boolean enabled() {
    return enabled;
  }

  /** Starts listening; the listen address then reports the bound port. No-op when enabled. */
  void start() {
    HostPort address;
    synchronized (this) {
      if (enabled) {
        return;
      }
      address = listen;
    }
    Channel bound = engine.bind(address, this);
    synchronized (this) {
      listener = bound;
      InetSocketAddress local = (InetSocketAddress) bound.localAddress();
      listen = HostPort.parse("listen", HostPort.format(local));
      enabled = true;
    }
    bound.config().setAutoRead(true);
  }

  /**
   * Stops listening and closes every connection, also one still connecting upstream or accepted
   * a moment ago; new connects are refused once this returns.
   */
  void stop() {
    Channel closing;
    List<ProxiedConnection> live;
    synchronized (this) {
      if (!enabled) {
        return;
      }
      enabled = false;
      closing = listener;
      listener = null;
      live = List.copyOf(connections);
    }
    closing.close().awaitUninterruptibly(APPLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    // A connection the listener accepted just before it closed may still wait in a worker's queue
    // to be set up; it closes itself then (accepted() sees the proxy disabled), and waiting for
    // the queues makes that happen before this returns.
    List<Future<?>> closed = new ArrayList<>(engine.drainWorkers());
    live.forEach(connection -> closed.add(connection.close()));
    await(closed);
  }

  /**
   * Toxiproxy's update: a new listen address or upstream drops the proxy's connections; then the
   * enabled flag is applied. Only a new listen address gives up the listening socket: rebinding
   * an ephemeral port just released can fail, because the kernel may meanwhile have handed that
   * port to an outgoing connection (seen in {@code RelayTest.aNewUpstreamServesNewConnections}).
   */
  void update(HostPort newListen, HostPort newUpstream, boolean enable) {
    boolean relisten;
    boolean redirect;
    synchronized (this) {
      relisten = !newListen.equals(listen);
      redirect = !newUpstream.equals(upstream);
    }
    if (relisten) {
      stop();
      synchronized (this) {
        listen = newListen;
        upstream = newUpstream;
      }
    } else if (redirect) {
      List<ProxiedConnection> live;
      synchronized (this) {
        upstream = newUpstream;
        live = List.copyOf(connections);
      }
      List<Future<?>> closed = new ArrayList<>();
      live.forEach(connection -> closed.add(connection.close()));
      await(closed);
    }
    if (enable) {
      start();
    } else {
      stop();
    }
  }

  /** Runs on the socket thread of a connection just accepted by this proxy's listener. */
  void accepted(Channel client) {
    ProxiedConnection connection;
    HostPort target;
    synchronized (this) {
      if (!enabled || client.parent() != listener) {
        client.close();
        return;
      }
      connection = new ProxiedConnection(this, client, engine.newRandom(), toxics);
      connections.add(connection);
      target = upstream;
    }
    connection.connect(engine, target);
  }

  synchronized void connectionClosed(ProxiedConnection connection) {
    connections.remove(connection);
  }

  synchronized int connectionCount() {
    return connections.size();
  }

  synchronized List<ToxicSpec> toxics() {
    return toxics;
  }

  synchronized ToxicSpec toxic(String toxicName) {
    return toxics.stream()
        .filter(toxic -> toxic.name().equals(toxicName))
        .findFirst()
        .orElseThrow(ApiException::toxicNotFound);
  }

  ToxicSpec addToxic(JsonNode body) {
    ToxicSpec toxic = ToxicSpec.fromJson(body);
    List<Future<?>> applied;
    synchronized (this) {
      if (toxics.stream().anyMatch(existing -> existing.name().equals(toxic.name()))) {
        throw new ApiException(409, "toxic already exists");
      }
      List<ToxicSpec> next = new ArrayList<>(toxics);
      next.add(toxic);
      toxics = List.copyOf(next);
      applied = applyToConnections(connection -> connection.addToxic(toxic));
    }
    await(applied);
    return toxic;
  }

  ToxicSpec updateToxic(String toxicName, JsonNode body) {
    ToxicSpec updated;
    List<Future<?>> applied;
    synchronized (this) {
      updated = toxic(toxicName).updatedBy(body);
      List<ToxicSpec> next = new ArrayList<>(toxics);
      next.replaceAll(toxic -> toxic.name().equals(toxicName) ? updated : toxic);
      toxics = List.copyOf(next);
      applied = applyToConnections(connection -> connection.updateToxic(updated));
    }
    await(applied);
    return updated;
  }

  void removeToxic(String toxicName) {
    List<Future<?>> applied;
    synchronized (this) {
      ToxicSpec removed = toxic(toxicName);
      List<ToxicSpec> next = new ArrayList<>(toxics);
      next.remove(removed);
      toxics = List.copyOf(next);
      applied = applyToConnections(connection -> connection.removeToxic(removed));
    }
    await(applied);
  }

  void removeAllToxics() {
    List<Future<?>> applied;
    synchronized (this) {
      toxics = List.of();
      applied = applyToConnections(ProxiedConnection::removeAllToxics);
    }
    await(applied);
  }

  synchronized ObjectNode toJson() {
    ObjectNode json = Json.object();
    json.put("name", name);
    json.put("listen", listen.toString());
    json.put("upstream", upstream.toString());
    json.put("enabled", enabled);
    ArrayNode list = json.putArray("toxics");
    toxics.forEach(toxic -> list.add(toxic.toJson()));
    return json;
  }

  /** Must hold the monitor, so that no connection is accepted between the change and this. */
  private List<Future<?>> applyToConnections(Function<ProxiedConnection, Future<?>> change) {
    List<Future<?>> futures = new ArrayList<>(connections.size());
    connections.forEach(connection -> futures.add(change.apply(connection)));
    return futures;
  }

  private void await(List<Future<?>> futures) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_TIMEOUT_MILLIS);
    for (Future<?> future : futures) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!future.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "proxy {}: a connection did not apply a change within {} ms",
            name,
            APPLY_TIMEOUT_MILLIS);
        return;
      }
    }
  }
}
