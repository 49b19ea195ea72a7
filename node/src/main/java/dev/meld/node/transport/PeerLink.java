package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.transport.Handshake.Role;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's way to one peer: the connection it dials (the only one it sends that peer anything
 * on), redialed with jittered backoff whenever it fails, and the bounded queue of messages waiting
 * for it. Messages move from the queue into the connection only while the connection is writable,
 * so a peer that reads slowly, or not at all, holds at most the queue's limit plus Netty's high
 * water mark; past that, new messages are dropped and counted.
 *
 * <p>Everything but {@link #send} runs on the link's own event loop, so the link's state needs no
 * locks; {@code send} only touches the queue and schedules a flush.
 */
final class PeerLink {

  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  private final String peer;
  private final MeshContext mesh;
  private final NettyIo io;
  private final EventLoop loop;
  private final OutboundQueue queue;
  private final PeerCounters counters;
  private final Backoff backoff;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private volatile boolean closed;

  // Confined to the loop:
  private InetSocketAddress address;
  private Channel channel;
  private PeerConnection connection;
  private ScheduledFuture<?> redial;

  PeerLink(String peer, InetSocketAddress address, MeshContext mesh, NettyIo io) {
    this.peer = peer;
    this.address = address;
    this.mesh = mesh;
    this.io = io;
    this.loop = io.loopFor(peer);
    this.queue = new OutboundQueue(mesh.config.queueLimitBytes());
    this.counters = mesh.attach(peer, c -> c.queue = queue);
    this.backoff =
        new Backoff(
            mesh.config.backoffMinMillis(), mesh.config.backoffMaxMillis(), new SplittableRandom());
  }

  String peer() {
    return peer;
  }

  PeerCounters counters() {
    return counters;
  }

  /** Starts dialing. */
  void start() {
    loop.execute(this::dial);
  }

  /** Queues {@code payload} (a message's encoding) unless the queue is full; any thread. */
  void send(byte[] payload) {
    if (closed || !queue.offer(payload)) {
      counters.dropped.increment();
      return;
    }
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this::flush);
      } catch (RejectedExecutionException shuttingDown) {
        flushScheduled.set(false);
      }
    }
  }

  /** Moves queued messages into the connection while it is established and writable. */
  void flush() {
    flushScheduled.set(false);
    PeerConnection established = connection;
    if (established == null) {
      return;
    }
    Channel ch = established.channel();
    boolean wrote = false;
    while (ch.isWritable()) {
      byte[] payload = queue.poll();
      if (payload == null) {
        break;
      }
      ch.write(MeshFrame.encode(ch.alloc(), MeshFrame.MESSAGE, payload), ch.voidPromise());
      counters.sent(MeshFrame.HEADER_BYTES + payload.length);
      counters.messagesOut.increment();
      wrote = true;
    }
    if (wrote) {
      ch.flush();
    }
  }

  /** Called by the dialed connection when its handshake completes. */
  void established(PeerConnection c, ReplicaId who) {
    connection = c;
    backoff.reset();
    counters.incarnation = who.incarnation();
    counters.dialed = c.channel();
    counters.connected = true;
    counters.connects.increment();
    LOG.info("mesh: connected to {} at {}", who, address);
    mesh.peerConnected(peer, who.incarnation());
    flush();
  }

  /** Dials {@code to} from now on, dropping the current connection if it goes elsewhere. */
  void redirect(InetSocketAddress to) {
    loop.execute(
        () -> {
          if (closed || to.equals(address)) {
            return;
          }
          address = to;
          if (channel != null) {
            closeConnection("the peer's dial address changed to " + to);
          } else if (redial != null) {
            redial.cancel(false);
            dial();
          }
        });
  }

  /** Stops dialing, closes the connection and drops what is queued. */
  void close() {
    closed = true;
    loop.execute(
        () -> {
          if (redial != null) {
            redial.cancel(false);
          }
          if (channel != null) {
            closeConnection("no longer a peer of this node");
          }
          queue.clear();
          mesh.detach(
              peer,
              c -> {
                // A link re-added for the same peer may have attached its own queue already.
                if (c.queue == queue) {
                  c.queue = null;
                }
              });
        });
  }

  private void dial() {
    redial = null;
    if (closed || channel != null) {
      return;
    }
    mesh.dialAttempts.increment();
    InetSocketAddress target = address;
    ChannelFuture connecting =
        io.connect(
            loop,
            target,
            mesh.config.connectTimeoutMillis(),
            ch -> PeerConnection.install(ch, mesh, Role.DIALER, this));
    Channel ch = connecting.channel();
    channel = ch;
    connecting.addListener(
        done -> {
          if (!done.isSuccess()) {
            counters.lastError = "connect to " + target + ": " + done.cause();
            LOG.debug("mesh: cannot reach {} at {}: {}", peer, target, done.cause().toString());
          }
        });
    ch.closeFuture().addListener(done -> onClosed(ch));
  }

  private void onClosed(Channel ch) {
    if (ch != channel) {
      return;
    }
    channel = null;
    if (connection != null) {
      connection = null;
      if (counters.dialed == ch) {
        counters.connected = false;
        counters.dialed = null;
      }
      LOG.info("mesh: disconnected from {}", peer);
      mesh.peerDisconnected(peer);
    }
    if (!closed) {
      redial = loop.schedule(this::dial, backoff.next(), TimeUnit.MILLISECONDS);
    }
  }

  private void closeConnection(String reason) {
    PeerConnection c = channel.pipeline().get(PeerConnection.class);
    if (c != null && channel.isActive()) {
      c.close(Refusal.CLOSED, reason);
    } else {
      channel.close();
    }
  }
}
