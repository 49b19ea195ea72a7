package dev.meld.node.transport;

import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The way back to a node this node does not dial: messages for it travel on the connection it
 * dialed here, after its handshake. Only nodes that are not peers use it (a joiner before its
 * member record arrives, a leaver after its removal did), so that they hear the answers that let
 * them join or finish their drain. Bounded like a {@link PeerLink}: a bounded queue, drained into
 * the channel only while Netty reports it writable; what does not fit is dropped and counted.
 *
 * <p>{@link #send} runs on any thread; everything else on the channel's event loop.
 */
final class ReplyPath {

  private final Channel channel;
  private final OutboundQueue queue;
  private final PeerCounters counters;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  ReplyPath(Channel channel, long queueLimitBytes, PeerCounters counters) {
    this.channel = channel;
    this.queue = new OutboundQueue(queueLimitBytes);
    this.counters = counters;
  }

  /** Queues {@code payload} (a message's encoding) unless the queue is full or the channel shut. */
  void send(byte[] payload) {
    if (!channel.isActive() || !queue.offer(payload)) {
      counters.dropped.increment();
      return;
    }
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(this::flush);
      } catch (RejectedExecutionException shuttingDown) {
        flushScheduled.set(false);
      }
    }
  }

  /** Moves queued messages into the channel while it is writable (on the event loop). */
  void flush() {
    flushScheduled.set(false);
    if (!channel.isActive()) {
      queue.clear();
      return;
    }
    boolean wrote = false;
    while (channel.isWritable()) {
      byte[] payload = queue.poll();
      if (payload == null) {
        break;
      }
      channel.write(
          MeshFrame.encode(channel.alloc(), MeshFrame.MESSAGE, payload), channel.voidPromise());
      counters.sent(MeshFrame.HEADER_BYTES + payload.length);
      counters.messagesOut.increment();
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  PeerCounters counters() {
    return counters;
  }

  /** Drops what is queued (the connection closed). */
  void clear() {
    queue.clear();
  }
}
