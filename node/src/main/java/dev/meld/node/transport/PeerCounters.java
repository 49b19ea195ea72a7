package dev.meld.node.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind one peer's {@link PeerLinkStats}; any thread may update them. */
final class PeerCounters {

  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder framesIn = new LongAdder();
  final LongAdder framesOut = new LongAdder();
  final LongAdder messagesIn = new LongAdder();
  final LongAdder messagesOut = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder connects = new LongAdder();
  final AtomicInteger inbound = new AtomicInteger();
  volatile boolean connected;
  volatile long incarnation = -1;
  volatile String lastError = "";

  /** The peer's outbound queue while this node dials it, else {@code null}. */
  volatile OutboundQueue queue;

  /** The established dialed connection, else {@code null}. */
  volatile Channel dialed;

  void received(int frameBytes) {
    framesIn.increment();
    bytesIn.add(frameBytes);
  }

  void sent(int frameBytes) {
    framesOut.increment();
    bytesOut.add(frameBytes);
  }

  private static long unflushed(Channel channel) {
    ChannelOutboundBuffer buffer = channel == null ? null : channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** Whether nothing refers to this peer any more (not dialed, no inbound connection). */
  boolean idle() {
    return queue == null && inbound.get() == 0;
  }

  PeerLinkStats snapshot() {
    OutboundQueue q = queue;
    return new PeerLinkStats(
        connected,
        incarnation,
        bytesIn.sum(),
        bytesOut.sum(),
        framesIn.sum(),
        framesOut.sum(),
        messagesIn.sum(),
        messagesOut.sum(),
        q == null ? 0 : q.count(),
        q == null ? 0 : q.bytes(),
        unflushed(dialed),
        dropped.sum(),
        connects.sum(),
        inbound.get(),
        lastError);
  }
}
