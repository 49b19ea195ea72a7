package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Pipe} on a manual clock: timers run only when the test advances time, in due order, so
 * stage behaviour is checked to the nanosecond without sleeping.
 */
final class ManualPipe implements Pipe {

  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final SplittableRandom random;
  private long now;
  private long sequence;
  long discardedBytes;
  int aborts;
  boolean reset;

  ManualPipe(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    Task scheduled = new Task(now + Math.max(0, delayNanos), sequence++, task);
    tasks.add(scheduled);
    return () -> scheduled.cancelled = true;
  }

  @Override
  public void discard(ByteBuf chunk) {
    discardedBytes += chunk.readableBytes();
    chunk.release();
  }

  @Override
  public void abort(boolean reset) {
    aborts++;
    this.reset |= reset;
  }

  @Override
  public SplittableRandom random() {
    return random;
  }

  long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(now);
  }

  void advanceMillis(long millis) {
    advance(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Moves the clock forward, running every timer that falls due on the way, in order. */
  void advance(long nanos) {
    long target = now + nanos;
    while (!tasks.isEmpty() && tasks.peek().due <= target) {
      Task task = tasks.poll();
      now = Math.max(now, task.due);
      if (!task.cancelled) {
        task.action.run();
      }
    }
    now = target;
  }

  /** Runs timers until none is left (at most {@code limit} of them). */
  void runAll(int limit) {
    for (int i = 0; i < limit && !tasks.isEmpty(); i++) {
      Task task = tasks.poll();
      now = Math.max(now, task.due);
      if (!task.cancelled) {
        task.action.run();
      }
    }
    if (tasks.stream().anyMatch(task -> !task.cancelled)) {
      throw new AssertionError("timers still pending after " + limit + " runs");
    }
  }

  boolean idle() {
    return tasks.stream().allMatch(task -> task.cancelled);
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long order;
    final Runnable action;
    boolean cancelled;

    Task(long due, long order, Runnable action) {
      this.due = due;
      this.order = order;
      this.action = action;
    }

    @Override
    public int compareTo(Task other) {
      int byDue = Long.compare(due, other.due);
      return byDue != 0 ? byDue : Long.compare(order, other.order);
    }
  }
}
