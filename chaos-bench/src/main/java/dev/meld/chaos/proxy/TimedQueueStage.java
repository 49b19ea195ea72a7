package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * A stage that releases chunks at due times, in arrival order: the shared engine of latency,
 * bandwidth and slicer. Due times never go backwards (a chunk never overtakes an earlier one), one
 * timer at most is pending (for the head of the queue), and the end of the stream leaves after the
 * last queued chunk.
 */
abstract class TimedQueueStage extends Stage {

  private static final long NONE = Long.MIN_VALUE;

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long lastDue = NONE;
  private boolean endPending;
  private boolean ended;
  private Pipe.Timer timer;

  TimedQueueStage(Pipe pipe) {
    super(pipe);
  }

  /** Whether the stream already ended here; data after the end is dropped. */
  final boolean ended() {
    return ended || endPending;
  }

  /** The due time of the last queued chunk, or {@code fallback} if nothing was queued yet. */
  final long lastDueOr(long fallback) {
    return lastDue == NONE ? fallback : lastDue;
  }

  /** Queues a chunk to leave at {@code due} (or later, to keep arrival order). */
  final void enqueue(ByteBuf chunk, long due) {
    if (ended()) {
      pipe.discard(chunk);
      return;
    }
    long at = lastDue == NONE ? due : Math.max(due, lastDue);
    lastDue = at;
    queue.add(new Pending(chunk, at));
    pump();
  }

  @Override
  public final void end() {
    if (!ended()) {
      endPending = true;
      pump();
    }
  }

  private void pump() {
    long now = pipe.nanoTime();
    while (!queue.isEmpty() && queue.peek().due - now <= 0) {
      out.data(queue.poll().chunk);
    }
    if (queue.isEmpty()) {
      if (endPending) {
        endPending = false;
        ended = true;
        out.end();
      }
    } else if (timer == null) {
      timer = pipe.schedule(this::fire, queue.peek().due - now);
    }
  }

  private void fire() {
    timer = null;
    pump();
  }

  @Override
  final void detach(boolean removed) {
    cancelTimer();
    while (!queue.isEmpty()) {
      out.data(queue.poll().chunk);
    }
    if (endPending) {
      endPending = false;
      ended = true;
      out.end();
    }
  }

  @Override
  final void dispose() {
    cancelTimer();
    while (!queue.isEmpty()) {
      queue.poll().chunk.release();
    }
  }

  private record Pending(ByteBuf chunk, long due) {}

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
