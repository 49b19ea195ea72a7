package dev.meld.node.server;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups of other threads that a thread completing a group of replies holds back until the whole
 * group is complete, then makes at once.
 *
 * <p>The replica thread completes a group commit's replies one after the other, and each reply's
 * callback hands the answer to its connection's event loop. Handing over wakes a sleeping loop (an
 * eventfd write, 5% of the replica thread under pipelined INCRs); a loop that delivered one
 * connection's answers went back to sleep before the next connection's arrived, so a group of 50
 * connections on two loops woke them up to 50 times. Holding the wake-ups while the group
 * completes makes it one per loop: the first answer for a loop asks for a wake-up, the later ones
 * find it asked for already (AnswerInbox), and the held wake-ups run once the group's last reply is
 * complete. An answer waits at most for the rest of its group's completions, microseconds.
 */
public final class GroupWakeups {
  private static final Logger log = LoggerFactory.getLogger(GroupWakeups.class);

  /** The wake-ups held by the group this thread is completing; null outside {@link #hold}. */
  private static final ThreadLocal<List<Runnable>> HELD = new ThreadLocal<>();

  private GroupWakeups() {}

  /** Runs {@code wakeup} now, or, on a thread inside {@link #hold}, once its group is complete. */
  public static void wake(Runnable wakeup) {
    List<Runnable> held = HELD.get();
    if (held == null) {
      wakeup.run();
    } else {
      held.add(wakeup);
    }
  }

  /**
   * Runs {@code completions} (a group's reply completions) holding the wake-ups they ask for, then
   * makes those in the order asked, even if {@code completions} threw. Inside another hold it only
   * runs them: the outer hold makes the wake-ups.
   */
  public static void hold(Runnable completions) {
    if (HELD.get() != null) {
      completions.run();
      return;
    }
    List<Runnable> held = new ArrayList<>();
    HELD.set(held);
    try {
      completions.run();
    } finally {
      HELD.remove();
      for (Runnable wakeup : held) {
        try {
          wakeup.run();
        } catch (RuntimeException e) {
          log.warn("a held wake-up failed", e); // one loop's failure is not the others'
        }
      }
    }
  }
}
