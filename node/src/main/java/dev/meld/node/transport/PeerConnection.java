package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.logging.RateLimitedLog;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerProtocolException;
import dev.meld.node.tls.PeerIdentity;
import dev.meld.node.transport.Handshake.Role;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mesh connection, dialed or accepted: drives its {@link Handshake}, then translates frames. An
 * accepted connection delivers MESSAGE frames to the listener and is closed when idle; it carries
 * messages back only for a node this one does not dial (its {@link ReplyPath}). A dialed connection
 * belongs to a {@link PeerLink}, which writes the peer's messages on it; it sends a heartbeat when
 * it has nothing else to say, and delivers what the peer answers on it (the peer's replies while
 * this node is not its peer). Any protocol violation closes the connection with an ERROR frame
 * giving the reason, which is logged and counted.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
  private static final RateLimitedLog WARN = RateLimitedLog.monotonic(LOG, 10_000); // peer-driven

  private final MeshContext mesh;
  private final Role role;
  private final PeerLink link;
  private final FrameDecoder decoder;
  private final FrameSealer sealer = new FrameSealer();
  private final Handshake handshake;
  private boolean certified;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> handshakeTimeout;
  private volatile ReplicaId peer;
  private PeerCounters counters;
  private long pendingFramesIn;
  private long pendingBytesIn;
  private long pendingFramesOut;
  private long pendingBytesOut;
  private boolean established;
  private boolean closing;
  private volatile ReplyPath replies;

  private PeerConnection(MeshContext mesh, Role role, PeerLink link, FrameDecoder decoder) {
    this.mesh = mesh;
    this.role = role;
    this.link = link;
    this.decoder = decoder;
    this.handshake = mesh.handshake(role, link == null ? null : link.peer());
    this.counters = link == null ? null : link.counters();
    decoder.expect(handshake.phase(), handshake.expectedTypes());
  }

  /** Sets up {@code channel}'s pipeline for a connection in {@code role}; link iff dialing. */
  static PeerConnection install(Channel channel, MeshContext mesh, Role role, PeerLink link) {
    FrameDecoder decoder = new FrameDecoder(mesh.config.maxFrameBytes(), "", MeshFrame.HELLO);
    PeerConnection connection = new PeerConnection(mesh, role, link, decoder);
    if (mesh.config.hasTls()) {
      // First in the pipeline: everything after it, the handshake included, runs inside TLS.
      SslHandler tls =
          (role == Role.ACCEPTOR ? mesh.config.tls().server() : mesh.config.tls().client())
              .newHandler(channel.alloc());
      // The connection's own handshake timer (from channelActive) bounds TLS and the mesh
      // handshake together and counts a TIMEOUT; Netty's would count a slow peer as a TLS failure.
      tls.setHandshakeTimeoutMillis(0);
      channel.pipeline().addLast("tls", tls);
    }
    channel
        .pipeline()
        .addLast("frames", decoder)
        .addLast("sealer", connection.sealer)
        .addLast("peer", connection);
    return connection;
  }

  /** The peer, once the handshake has established it. */
  ReplicaId peer() {
    return peer;
  }

  boolean isOpen() {
    return ctx != null && ctx.channel().isOpen();
  }

  SocketAddress remoteAddress() {
    return ctx == null ? null : ctx.channel().remoteAddress();
  }

  Channel channel() {
    return ctx.channel();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeout = mesh.config.handshakeTimeoutMillis();
    handshakeTimeout =
        ctx.executor()
            .schedule(
                () ->
                    close(
                        Refusal.TIMEOUT,
                        "handshake: not complete after " + timeout + " ms (expected: sooner)"),
                timeout,
                TimeUnit.MILLISECONDS);
    write(handshake.start());
    ctx.flush();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    countIn(frame);
    if (closing) {
      return;
    }
    try {
      if (!handshake.done()) {
        if (mesh.config.hasTls() && !certified) {
          certify();
        }
        onHandshake(handshake.receive(frame));
      } else {
        onFrame(frame);
      }
    } catch (MeshFrameException e) {
      close(e.refusal(), e.getMessage());
    }
  }

  private void onHandshake(Handshake.Step step) {
    if (step instanceof Handshake.Continue c) {
      write(c.frames());
      ctx.flush();
      decoder.expect(handshake.phase(), handshake.expectedTypes());
    } else if (step instanceof Handshake.Established e) {
      onEstablished(e);
    } else {
      Handshake.Refused r = (Handshake.Refused) step;
      if (r.byPeer()) {
        closeRefusedByPeer(r.refusal(), r.reason());
      } else {
        close(r.refusal(), r.reason());
      }
    }
  }

  private void onEstablished(Handshake.Established step) {
    ReplicaId who = step.peer();
    this.peer = who;
    if (role == Role.ACCEPTOR) {
      InboundRegistry.Admission admission = mesh.inbound.admit(who, this);
      if (admission.refusal() != null) {
        close(Refusal.DUPLICATE, admission.refusal());
        return;
      }
      if (admission.replaced() != null) {
        admission.replaced().closeLater(Refusal.CLOSED, "replaced by a newer connection of " + who);
      }
      counters = mesh.attach(who.node(), c -> c.inbound.incrementAndGet());
      replies = new ReplyPath(ctx.channel(), mesh.config.queueLimitBytes(), counters);
      decoder.expect(
          "on an established inbound connection",
          MeshFrame.MESSAGE,
          MeshFrame.HEARTBEAT,
          MeshFrame.ERROR);
    } else {
      // MESSAGE: what the peer answers while this node is not its peer (see ReplyPath).
      decoder.expect("on a dialed connection", MeshFrame.MESSAGE, MeshFrame.ERROR);
    }
    handshakeTimeout.cancel(false);
    established = true;
    counters.incarnation = who.incarnation();
    counters.framesIn.add(pendingFramesIn);
    counters.bytesIn.add(pendingBytesIn);
    counters.framesOut.add(pendingFramesOut);
    counters.bytesOut.add(pendingBytesOut);
    write(step.frames());
    ctx.flush();
    if (handshake.sealsFrames()) {
      // After this side's last handshake frame: from here on, every frame each way has a MAC.
      sealer.start(handshake.sendMac());
      decoder.authenticate(handshake.receiveMac());
    }
    long idle = mesh.config.idleTimeoutMillis();
    // Inbound: a peer that says nothing for `idle` is gone. Dialed: say something every idle / 3.
    ctx.pipeline()
        .addBefore(
            "frames",
            "idle",
            role == Role.ACCEPTOR
                ? new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS)
                : new IdleStateHandler(0, idle / 3, 0, TimeUnit.MILLISECONDS));
    if (link != null) {
      link.established(this, who);
    }
  }

  private void onFrame(Frame frame) {
    if (frame.type() == MeshFrame.MESSAGE) {
      PeerMessage message;
      try {
        message = mesh.codec.decode(frame.payload());
      } catch (PeerProtocolException e) {
        // The frame was whole, so the stream is intact: drop the message, keep the connection.
        mesh.undecodable.increment();
        counters.lastError = "undecodable message: " + e.getMessage();
        WARN.warn(
            "undecodable", "mesh: dropped an undecodable message from {}: {}", peer, e.getMessage());
        return;
      }
      counters.messagesIn.increment();
      mesh.deliver(peer.node(), message);
    } else if (frame.type() == MeshFrame.ERROR) {
      HandshakeCodec.ErrorNotice notice = HandshakeCodec.decodeError(frame.payload());
      closeRefusedByPeer(notice.refusal(), "closed by the peer: " + notice.reason());
    }
    // HEARTBEAT: its arrival already reset the idle timer.
  }

  /** Tells the handshake which node names the peer's TLS certificate vouches for. */
  private void certify() {
    certified = true;
    Set<String> names;
    try {
      names = PeerIdentity.nodeNames(ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      names = Set.of();
    }
    handshake.certifiedAs(names);
  }

  /**
   * The TLS handshake failed (not TLS, no certificate, an untrusted one, a timeout): no ERROR frame
   * can reach the peer, so count it, warn at most once per interval per peer address, and close.
   */
  private void tlsFailed(Throwable cause) {
    if (closing) {
      return;
    }
    closing = true;
    if (rootCause(cause) instanceof ClosedChannelException) {
      // The peer (or a proxy in front of a peer that is down) hung up before TLS completed: a
      // closed connection like any other, not a certificate problem.
      LOG.debug("mesh: {} connection with {} closed during the TLS handshake", role, describe());
      ctx.close();
      return;
    }
    mesh.closedWith(Refusal.TLS);
    String reason = "TLS handshake failed: " + rootMessage(cause);
    noteError(Refusal.TLS + ": " + reason);
    SocketAddress remote = remoteAddress();
    String source =
        remote instanceof InetSocketAddress inet && inet.getAddress() != null
            ? inet.getAddress().getHostAddress()
            : String.valueOf(remote);
    long unlogged = mesh.tlsFailures.note(role + " " + source);
    if (unlogged >= 0) {
      LOG.warn(
          "mesh: refusing {} connection with {}: {}{}",
          role,
          describe(),
          reason,
          unlogged == 0 ? "" : " (" + unlogged + " more from " + source + " not logged)");
    } else {
      LOG.debug("mesh: refusing {} connection with {}: {}", role, describe(), reason);
    }
    ctx.close();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = rootCause(t);
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (!done.isSuccess()) {
        tlsFailed(done.cause());
      } else if (!certified) {
        certify();
      }
      ctx.fireUserEventTriggered(evt);
    } else if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
        close(
            Refusal.IDLE,
            "idle: no frame for "
                + mesh.config.idleTimeoutMillis()
                + " ms (expected: a heartbeat every "
                + mesh.config.idleTimeoutMillis() / 3
                + " ms)");
      } else if (!closing && ctx.channel().isWritable()) {
        // An unwritable channel has plenty queued already; the peer is slow, not forgotten.
        write(List.of(Frame.heartbeat()));
        ctx.flush();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /**
   * Queues a message back to the peer that dialed this connection (any thread); null on a dialed
   * connection or before the handshake.
   */
  ReplyPath replies() {
    return replies;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (link != null && ctx.channel().isWritable()) {
      link.flush();
    }
    ReplyPath r = replies;
    if (r != null && ctx.channel().isWritable()) {
      r.flush();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof MeshFrameException e) {
      cause = e;
    }
    if (!established && (cause instanceof SSLException || cause.getCause() instanceof SSLException)) {
      tlsFailed(cause);
    } else if (closing) {
      // Already closing for a reason of its own; what follows (a reset, say) is no news.
      LOG.debug(
          "mesh: after closing {} connection with {}: {}", role, describe(), cause.toString());
    } else if (cause instanceof MeshFrameException e) {
      close(e.refusal(), e.getMessage());
    } else if (cause instanceof IOException) {
      noteError(cause.toString());
      LOG.debug("mesh: connection {} with {} failed: {}", role, describe(), cause.toString());
      ctx.close();
    } else {
      noteError(cause.toString());
      LOG.warn("mesh: connection {} with {} failed", role, describe(), cause);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
    }
    if (established && role == Role.ACCEPTOR) {
      replies.clear();
      mesh.inbound.remove(peer.node(), this);
      mesh.detach(peer.node(), c -> c.inbound.decrementAndGet());
    }
    ctx.fireChannelInactive();
  }

  /** Writes and counts {@code frames} (the caller flushes). */
  private void write(List<Frame> frames) {
    for (Frame f : frames) {
      ctx.write(MeshFrame.encode(ctx.alloc(), f.type(), f.payload()), ctx.voidPromise());
      countOut(MeshFrame.HEADER_BYTES + f.payload().length);
    }
  }

  /** Closes from any thread, telling the peer why. */
  void closeLater(Refusal refusal, String reason) {
    ctx.executor().execute(() -> close(refusal, reason));
  }

  /** Tells the peer why (an ERROR frame), logs and counts the reason, and closes. */
  void close(Refusal refusal, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    mesh.closedWith(refusal);
    noteError(refusal + ": " + reason);
    if (routine(refusal)) {
      LOG.info("mesh: closing {} connection with {}: {}", role, describe(), reason);
    } else {
      WARN.warn(
          "refusing-" + refusal,
          "mesh: refusing {} connection with {}: {}",
          role,
          describe(),
          reason);
    }
    if (ctx.channel().isActive()) {
      byte[] error = HandshakeCodec.encodeError(new HandshakeCodec.ErrorNotice(refusal, reason));
      write(List.of(new Frame(MeshFrame.ERROR, error)));
      ctx.flush();
    }
    ctx.close();
  }

  private void closeRefusedByPeer(Refusal refusal, String reason) {
    closing = true;
    mesh.refusedBy(refusal);
    noteError(refusal + ": " + reason);
    if (routine(refusal)) {
      LOG.info("mesh: {} connection with {} {}", role, describe(), reason);
    } else {
      LOG.warn("mesh: {} connection with {} {}", role, describe(), reason);
    }
    ctx.close();
  }

  /** Closes that happen in a healthy cluster (restarts, peer changes), as opposed to faults. */
  private static boolean routine(Refusal refusal) {
    return refusal == Refusal.CLOSED || refusal == Refusal.TIMEOUT || refusal == Refusal.IDLE;
  }

  private void noteError(String error) {
    if (counters != null) {
      counters.lastError = error;
    }
  }

  private String describe() {
    ReplicaId who = peer;
    String name =
        who != null
            ? who.toString()
            : link != null
                ? link.peer()
                : handshake.claimedName() != null
                    ? "a peer calling itself " + handshake.claimedName()
                    : "an unidentified peer";
    return name + " (" + remoteAddress() + ")";
  }

  private void countIn(Frame frame) {
    int bytes = MeshFrame.HEADER_BYTES + frame.payload().length;
    if (counters != null) {
      counters.received(bytes);
    } else {
      pendingFramesIn++;
      pendingBytesIn += bytes;
    }
  }

  private void countOut(int bytes) {
    if (counters != null) {
      counters.sent(bytes);
    } else {
      pendingFramesOut++;
      pendingBytesOut += bytes;
    }
  }
}
