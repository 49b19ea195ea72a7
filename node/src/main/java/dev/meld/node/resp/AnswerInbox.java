package dev.meld.node.resp;

import dev.meld.node.server.GroupWakeups;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the replica's answers for the connections of one event loop wait for it. The replica
 * answers a group commit's commands in one go, for many connections; each hand-off to the loop
 * wakes it (an eventfd write, on the replica thread) when it sleeps. Through one inbox per loop, a
 * group's answers for all of that loop's connections take one task, and a wake-up only when the
 * loop has emptied the inbox since. While the replica completes a group, the wake-up waits for the
 * group's last answer ({@link GroupWakeups}), so the loop does not empty the inbox for one
 * connection and go back to sleep before the next one's answers arrive.
 */
final class AnswerInbox {
  private static final Logger log = LoggerFactory.getLogger(AnswerInbox.class);

  private final Executor loop;
  private final ConcurrentLinkedQueue<Runnable> deliveries = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  AnswerInbox(Executor loop) {
    this.loop = loop;
  }

  /** Any thread: runs {@code delivery} on the loop, with whatever else is waiting. */
  void add(Runnable delivery) {
    deliveries.add(delivery);
    if (scheduled.compareAndSet(false, true)) {
      GroupWakeups.wake(this::schedule); // once per group commit, not per connection
    }
  }

  private void schedule() {
    try {
      loop.execute(this::deliver);
    } catch (RejectedExecutionException closed) {
      // the loop is gone, and its connections with it
    }
  }

  private void deliver() {
    scheduled.set(false); // a delivery added from here on schedules another task
    for (Runnable r; (r = deliveries.poll()) != null; ) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("delivering answers failed", e); // one connection's failure is not the others'
      }
    }
  }
}
