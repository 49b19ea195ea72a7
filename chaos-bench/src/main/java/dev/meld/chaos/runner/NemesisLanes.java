package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.nemesis.Nemesis;
import dev.meld.chaos.nemesis.NemesisEvent;
import dev.meld.chaos.report.ProgressLine;
import dev.meld.chaos.scenario.NemesisCatalog;
import dev.meld.chaos.scenario.Schedule;
import dev.meld.chaos.scenario.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs a {@link Schedule} on a real cluster: one thread per lane, each step at its planned time (or
 * at once if the lane is behind), and {@link #heal} stops whatever is still in effect. Every action
 * is recorded as a nemesis invocation (before the fault is applied) and an {@code info} completion
 * carrying the nemesis' verdict ({@code verified}, {@code verify-detail}, {@code targets}), or a
 * {@code fail} if the nemesis threw.
 *
 * <p>Actions of different lanes take turns: the history has one nemesis process, which runs one
 * action at a time, and the cluster applies faults one at a time anyway.
 */
final class NemesisLanes {

  /** What a lane needs before a fault that destroys data, and after it (see {@link DataLoss}). */
  interface DataLoss {
    /** Pauses the clients and waits for replication to drain; says why not if it could not. */
    String prepare();

    /** The fault ran on {@code targets}: they lost their data; the clients may go on. */
    void done(List<String> targets);
  }

  private final Cluster cluster;
  private final Schedule schedule;
  private final List<String> spares;
  private final HistoryRecorder recorder;
  private final ProgressLine progress;
  private final DataLoss dataLoss;
  private final Object turn = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Map<String, Nemesis>> nemeses = new ArrayList<>();
  private final List<Random> randoms = new ArrayList<>();
  // Per lane: the nemesis it started and has not stopped yet, if any.
  private final Map<Integer, String> active = new HashMap<>();
  private volatile boolean aborted;

  NemesisLanes(
      Cluster cluster,
      Schedule schedule,
      List<String> spares,
      HistoryRecorder recorder,
      ProgressLine progress,
      DataLoss dataLoss) {
    this.cluster = cluster;
    this.schedule = schedule;
    this.spares = List.copyOf(spares);
    this.recorder = recorder;
    this.progress = progress;
    this.dataLoss = dataLoss;
    for (int lane = 0; lane < schedule.lanes(); lane++) {
      nemeses.add(new LinkedHashMap<>());
      randoms.add(new Random(schedule.targetSeeds().get(lane)));
    }
  }

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

  /** Stops every fault still in effect, lane by lane. */
  void heal() {
    List<Integer> lanes;
    synchronized (active) {
      lanes = new ArrayList<>(active.keySet());
    }
    lanes.sort(null);
    for (int lane : lanes) {
      String nemesis;
      synchronized (active) {
        nemesis = active.get(lane);
      }
      if (nemesis != null) {
        act(new Step(0, lane, nemesis, Step.Action.STOP));
      }
    }
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
      act(step);
    }
  }

  private void act(Step step) {
    NemesisCatalog.Entry entry = NemesisCatalog.entry(step.nemesis());
    boolean start = step.action() == Step.Action.START;
    String f = start ? entry.startF() : entry.stopF();
    Nemesis nemesis =
        nemeses.get(step.lane()).computeIfAbsent(step.nemesis(), n -> NemesisCatalog.create(n, spares));
    synchronized (turn) {
      String notReady = start && entry.destroysData() ? dataLoss.prepare() : null;
      recorder.record(OpType.INVOKE, Op.NEMESIS, f, null, Map.of());
      NemesisEvent event = null;
      try {
        if (notReady != null) {
          recorder.record(
              OpType.FAIL, Op.NEMESIS, f, null, Map.of("error", "not applied: " + notReady));
          progress.violation(step.nemesis() + " not applied: " + notReady);
          return;
        }
        event = start ? nemesis.start(cluster, randoms.get(step.lane())) : nemesis.stop(cluster);
        if (!event.f().equals(f)) {
          throw new IllegalStateException(
              "nemesis " + step.nemesis() + " recorded f \"" + event.f() + "\" (expected: \"" + f + "\")");
        }
        recorder.record(OpType.INFO, Op.NEMESIS, f, event.value(), event.historyFields());
      } catch (RuntimeException e) {
        recorder.record(OpType.FAIL, Op.NEMESIS, f, null, Map.of("error", String.valueOf(e)));
        progress.violation(step.nemesis() + ": " + e.getMessage());
      } finally {
        track(step, entry, start);
        if (start && entry.destroysData()) {
          dataLoss.done(event == null ? List.of() : event.targets());
        }
      }
      if (event != null && !event.verified()) {
        progress.violation(f + " not verified");
      }
    }
  }

  private void track(Step step, NemesisCatalog.Entry entry, boolean start) {
    if (start) {
      progress.faultStarted(step.nemesis());
      if (!entry.oneOff()) {
        synchronized (active) {
          active.put(step.lane(), step.nemesis());
        }
      } else {
        progress.faultEnded(step.nemesis());
      }
    } else {
      synchronized (active) {
        active.remove(step.lane());
      }
      progress.faultEnded(step.nemesis());
    }
  }
}
