package dev.meld.node.sim;

import java.util.PriorityQueue;

/**
 * The simulator's agenda: actions due at a virtual time (milliseconds), run in order of (time,
 * sequence). The sequence is the order of scheduling, so two actions due at the same millisecond
 * run in the order they were scheduled and a run never depends on anything but its inputs.
 *
 * <p>Not thread-safe; the simulation is single-threaded by design.
 */
final class EventQueue {

  private record Scheduled(long time, long seq, Runnable action) implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }

  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
  private long now;
  private long nextSeq;
  private long executed;

  /** The current virtual time: the due time of the action running or last run. */
  long now() {
    return now;
  }

  /** How many actions have run. */
  long executed() {
    return executed;
  }

  /** How many actions are waiting. */
  int pending() {
    return queue.size();
  }

  /**
   * Schedules {@code action} at virtual time {@code time}.
   *
   * @throws IllegalArgumentException if {@code time} is before {@link #now()}: the past is done
   */
  void at(long time, Runnable action) {
    if (time < now) {
      throw new IllegalArgumentException("time: " + time + " (expected: >= now, " + now + ")");
    }
    queue.add(new Scheduled(time, nextSeq++, action));
  }

  /** Schedules {@code action} {@code delay} milliseconds from now. */
  void after(long delay, Runnable action) {
    if (delay < 0) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    at(now + delay, action);
  }

  /**
   * Runs every action due up to and including {@code time}, including those they schedule within
   * that bound, then sets the time to {@code time}.
   *
   * @throws IllegalArgumentException if {@code time} is before {@link #now()}
   */
  void runUntil(long time) {
    if (time < now) {
      throw new IllegalArgumentException("time: " + time + " (expected: >= now, " + now + ")");
    }
    while (!queue.isEmpty() && queue.peek().time() <= time) {
      Scheduled next = queue.poll();
      now = next.time();
      executed++;
      next.action().run();
    }
    now = time;
  }
}
