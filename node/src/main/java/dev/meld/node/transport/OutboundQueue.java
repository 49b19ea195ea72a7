package dev.meld.node.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages waiting for one peer: first in, first out, bounded in bytes. Any thread may offer;
 * one event loop polls. A message that would take the queue over its limit is refused (the caller
 * counts the drop): a slow or absent peer costs at most the limit, and what it misses the replica
 * sends again from its log or repairs by anti-entropy.
 *
 * <p>Each entry is charged its frame's size plus a fixed estimate of the queue's own bookkeeping,
 * so a flood of tiny messages is bounded too.
 */
final class OutboundQueue {

  /** The queue node, array header and reference an entry costs beyond its bytes (an estimate). */
  static final int ENTRY_OVERHEAD = 64;

  private final long limitBytes;
  private final ConcurrentLinkedQueue<byte[]> entries = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong count = new AtomicLong();

  OutboundQueue(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** What a message of {@code payloadBytes} costs in a queue. */
  static long charge(int payloadBytes) {
    return (long) payloadBytes + MeshFrame.HEADER_BYTES + ENTRY_OVERHEAD;
  }

  /** Queues {@code payload} unless that would exceed the limit; returns whether it was queued. */
  boolean offer(byte[] payload) {
    long charge = charge(payload.length);
    long held;
    do {
      held = bytes.get();
      if (held + charge > limitBytes) {
        return false;
      }
    } while (!bytes.compareAndSet(held, held + charge));
    count.incrementAndGet();
    entries.add(payload);
    return true;
  }

  /** The oldest message, or {@code null}. */
  byte[] poll() {
    byte[] payload = entries.poll();
    if (payload != null) {
      count.decrementAndGet();
      bytes.addAndGet(-charge(payload.length));
    }
    return payload;
  }

  /** Drops every queued message. */
  void clear() {
    while (poll() != null) {
      // each poll releases its charge
    }
  }

  long bytes() {
    return bytes.get();
  }

  long count() {
    return count.get();
  }

  long limitBytes() {
    return limitBytes;
  }
}
