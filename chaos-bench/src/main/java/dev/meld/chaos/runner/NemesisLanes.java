package dev.meld.chaos.runner;

import dev.meld.chaos.scenario.Schedule;
import dev.meld.chaos.scenario.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Schedule} on real time: one thread per lane, each step at its planned time (or at
 * once if the lane is behind), carried out by {@link NemesisActions}.
 */
final class NemesisLanes {

  private final Schedule schedule;
  private final NemesisActions actions;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean aborted;

  NemesisLanes(Schedule schedule, NemesisActions actions) {
    this(schedule, actions, step -> {});
  }

  /** As above, with {@code afterStep} run after each step (the probe of every node). */
  NemesisLanes(Schedule schedule, NemesisActions actions, java.util.function.Consumer<Step> afterStep) {
    this.schedule = schedule;
    this.actions = actions;
    this.afterStep = afterStep;
  }

  private final java.util.function.Consumer<Step> afterStep;

  /** Starts every lane; {@code phaseStart} is the fault phase's start on {@link System#nanoTime}. */
  void start(long phaseStart) {
    for (int lane = 0; lane < schedule.lanes(); lane++) {
      int l = lane;
      Thread t = new Thread(() -> runLane(l, phaseStart), "nemesis-lane-" + lane);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Waits until every lane has run its last step.
   *
   * @return false if some lane was still busy after {@code millis} (it is told to stop)
   */
  boolean await(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    for (Thread t : threads) {
      t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      aborted = true;
      return false;
    }
    return true;
  }

  private void runLane(int lane, long phaseStart) {
    for (Step step : schedule.lane(lane)) {
      long due = phaseStart + step.atMillis() * 1_000_000;
      try {
        for (long left = due - System.nanoTime(); left > 0 && !aborted; left = due - System.nanoTime()) {
          Thread.sleep(Math.min(left / 1_000_000 + 1, 200));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (aborted) {
        return;
      }
      actions.act(step, () -> afterStep.accept(step));
    }
  }
}
