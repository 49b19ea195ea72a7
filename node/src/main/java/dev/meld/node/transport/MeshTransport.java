package dev.meld.node.transport;

import dev.meld.node.Outbox;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.transport.Handshake.Role;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's mesh: it listens for the connections peers dial, dials every peer it is given, and
 * carries {@link PeerMessage}s between them, framed as {@link MeshFrame}s after a handshake that
 * checks cluster, name, incarnation and (optionally) a shared secret.
 *
 * <p><b>Direction rule.</b> Every message this node originates for a peer travels on the connection
 * this node dialed to that peer; connections a peer dialed here carry only that peer's messages to
 * this node. So cutting the path "A to B" (e.g. in a fault proxy that A dials B through, see {@link
 * MeshConfig#dialOverrides()}) stops exactly A's messages to B.
 *
 * <p><b>The one exception: replies to a node that is not a peer.</b> A node this one does not dial
 * (not in {@link #setPeers}) but that dialed here and passed the handshake (cluster, name,
 * incarnation, shared-secret proof) gets this node's messages back on the connection it dialed.
 * Without it a joiner, which the members do not list yet, would never hear their answers (pongs,
 * acks, anti-entropy rounds), so it could never ship its member record nor learn theirs; and a
 * leaver, which the members stopped listing, could not finish its drain. Once the members list the
 * joiner, they dial it and the rule holds again. While a node is not a peer, cutting "B to A" does
 * not stop B's replies to A: they cross the link A dialed.
 *
 * <p>{@link #send} never blocks: each peer has a queue bounded in bytes, and a message that does
 * not fit (a slow, stopped or unreachable peer) is dropped and counted. The replica sends again
 * what matters (its pump retransmits from the log, anti-entropy repairs the rest).
 */
public final class MeshTransport implements Outbox, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeshTransport.class);

  private final MeshContext mesh;
  private final NettyIo io;
  private final Channel server;
  private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
  private final Map<String, InetSocketAddress> dialAddresses = new HashMap<>();
  private volatile boolean closed;

  private MeshTransport(MeshContext mesh, NettyIo io, Channel server) {
    this.mesh = mesh;
    this.io = io;
    this.server = server;
  }

  /**
   * Binds the mesh port and starts. It dials no one until {@link #setPeers}.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static MeshTransport start(MeshConfig config, MeshListener listener) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    MeshContext mesh = new MeshContext(config, listener);
    NettyIo io = new NettyIo(config.ioThreads(), config.nativeTransport(), config.nodeName());
    ChannelFuture bound =
        io.bind(
            config.bindAddress(),
            ch -> {
              mesh.accepted.increment();
              PeerConnection.install(ch, mesh, Role.ACCEPTOR, null);
            });
    if (!bound.awaitUninterruptibly(config.connectTimeoutMillis(), TimeUnit.MILLISECONDS)
        || !bound.isSuccess()) {
      bound.channel().close();
      io.close();
      throw new IllegalStateException(
          "mesh port " + config.bindAddress() + ": cannot bind (" + bound.cause() + ")",
          bound.cause());
    }
    MeshTransport transport = new MeshTransport(mesh, io, bound.channel());
    LOG.info(
        "mesh: {} listening on {} ({}, {})",
        mesh.self,
        transport.boundAddress(),
        io.epoll() ? "epoll" : "nio",
        (config.hasTls() ? "mutual TLS, " : "")
            + (config.hasSharedSecret()
                ? config.hasTls() ? "shared secret" : "shared secret, every frame MACed"
                : "no secret"));
    return transport;
  }

  /**
   * Queues {@code message} for {@code toNode}; never blocks, any thread. A message for a peer goes
   * on the connection this node dials; one for a node that is not a peer goes back on the
   * connection that node dialed here (see the class comment), if it has one. A message for a node
   * that is neither, or that does not fit in the queue, is dropped and counted.
   */
  @Override
  public void send(String toNode, PeerMessage message) {
    Objects.requireNonNull(toNode, "toNode");
    Objects.requireNonNull(message, "message");
    PeerLink link = closed ? null : links.get(toNode);
    PeerConnection inbound = link != null || closed ? null : mesh.inbound.get(toNode);
    ReplyPath replies = inbound == null ? null : inbound.replies();
    if (link == null && replies == null) {
      mesh.unroutable.increment();
      return;
    }
    byte[] payload;
    try {
      payload = mesh.codec.encode(message);
    } catch (IllegalArgumentException tooLarge) {
      PeerCounters counters = link != null ? link.counters() : replies.counters();
      counters.dropped.increment();
      counters.lastError = "message not sent: " + tooLarge.getMessage();
      LOG.warn("mesh: message to {} not sent: {}", toNode, tooLarge.getMessage());
      return;
    }
    if (link != null) {
      link.send(payload);
    } else {
      replies.send(payload);
    }
  }

  /**
   * Sets whom to dial: every node in {@code dialAddresses} (the cluster's members minus this node)
   * at its address, or at its address in {@link MeshConfig#dialOverrides()}. New peers are dialed
   * at once, peers no longer named are hung up on (their queues dropped), moved peers redialed.
   *
   * @throws IllegalArgumentException if the map names this node; nothing changes then
   */
  public synchronized void setPeers(Map<String, InetSocketAddress> dialAddresses) {
    Map<String, InetSocketAddress> wanted = new HashMap<>();
    for (Map.Entry<String, InetSocketAddress> e : dialAddresses.entrySet()) {
      String node = e.getKey();
      HandshakeCodec.checkName("peer", node);
      if (node.equals(mesh.self.node())) {
        throw new IllegalArgumentException(
            "peer: " + node + " (expected: the members other than this node)");
      }
      InetSocketAddress override = mesh.config.dialOverrides().get(node);
      wanted.put(node, override != null ? override : Objects.requireNonNull(e.getValue(), node));
    }
    if (closed) {
      return;
    }
    for (String node : List.copyOf(this.dialAddresses.keySet())) {
      if (!wanted.containsKey(node)) {
        this.dialAddresses.remove(node);
        links.remove(node).close();
      }
    }
    wanted.forEach(
        (node, address) -> {
          InetSocketAddress previous = this.dialAddresses.put(node, address);
          if (previous == null) {
            PeerLink link = new PeerLink(node, address, mesh, io);
            links.put(node, link);
            link.start();
          } else if (!previous.equals(address)) {
            links.get(node).redirect(address);
          }
        });
  }

  /** Where the mesh port listens. */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Per peer (dialed, or connected here): traffic, queue, drops, connection state. */
  public Map<String, PeerLinkStats> stats() {
    return mesh.stats();
  }

  /** Transport-wide counts: connections accepted and dialed, refusals by reason, bad messages. */
  public MeshCounters counters() {
    return mesh.counters();
  }

  /** Hangs up on every peer, stops listening and stops the I/O threads. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      links.values().forEach(PeerLink::close);
      links.clear();
      dialAddresses.clear();
    }
    server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    for (PeerConnection c : mesh.inbound.all()) {
      c.closeLater(Refusal.CLOSED, "the node is shutting down");
    }
    io.close();
    LOG.info("mesh: {} closed", mesh.self);
  }
}
