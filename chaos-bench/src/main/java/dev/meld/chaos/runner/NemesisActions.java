package dev.meld.chaos.runner;

import dev.meld.chaos.checker.CheckResult;
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
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Carries out a schedule's steps on a cluster, whoever calls them (lane threads on real nodes, the
 * simulation's driver in virtual time), and {@link #heal} stops whatever is still in effect. Every
 * action is recorded as a nemesis invocation (before the fault is applied) and an {@code info}
 * completion carrying the nemesis' verdict ({@code verified}, {@code verify-detail}, {@code
 * targets}), or a {@code fail} if the nemesis threw or could not be applied.
 *
 * <p>One action runs at a time: the history has one nemesis process, and a cluster applies faults
 * one at a time anyway.
 */
public final class NemesisActions {

  /** What is needed before a fault that destroys data, and after it ({@link DrainBeforeDataLoss}). */
  public interface DataLoss {
    /** Pauses the clients and waits for replication to drain; says why not if it could not. */
    String prepare();

    /** The fault ran on {@code targets}: they lost their data; the clients may go on. */
    void done(List<String> targets);
  }

  private final Cluster cluster;
  private final List<String> spares;
  private final HistoryRecorder recorder;
  private final ProgressLine progress;
  private final DataLoss dataLoss;
  private final BiFunction<String, List<String>, Nemesis> nemeses;
  private final IncarnationWatch incarnations;
  private final List<Map<String, Nemesis>> byLane = new ArrayList<>();
  private final List<Random> randoms = new ArrayList<>();
  // Per lane: the nemesis it started and has not stopped yet, if any.
  private final Map<Integer, String> active = new HashMap<>();

  /**
   * @param nemeses makes the nemesis of a name, given the spare node names ({@link
   *     NemesisCatalog#create} on real nodes)
   */
  public NemesisActions(
      Cluster cluster,
      Schedule schedule,
      List<String> spares,
      HistoryRecorder recorder,
      ProgressLine progress,
      DataLoss dataLoss,
      BiFunction<String, List<String>, Nemesis> nemeses) {
    this.cluster = cluster;
    this.spares = List.copyOf(spares);
    this.recorder = recorder;
    this.progress = progress;
    this.dataLoss = dataLoss;
    this.nemeses = nemeses;
    this.incarnations = new IncarnationWatch(cluster);
    for (int lane = 0; lane < schedule.lanes(); lane++) {
      byLane.add(new LinkedHashMap<>());
      randoms.add(new Random(schedule.targetSeeds().get(lane)));
    }
  }

  /** Whether crashed, wiped and restored nodes came back under new incarnations, if any did. */
  public Optional<CheckResult> incarnations() {
    return incarnations.result();
  }

  /** Stops every fault still in effect, lane by lane. */
  public synchronized void heal() {
    for (Map.Entry<Integer, String> e : new TreeMap<>(active).entrySet()) {
      act(new Step(0, e.getKey(), e.getValue(), Step.Action.STOP));
    }
  }

  /**
   * Runs {@code probe} between actions, never during one: the history has one nemesis process, so
   * a probe recorded while another lane's action has its op open would not pair (the recorder
   * refuses it, and the lane's thread died with the rest of its steps).
   */
  public synchronized void between(Runnable probe) {
    probe.run();
  }

  /**
   * Carries out one step, then {@code after} (its probe) before any other lane's step: a probe
   * taken once the lock was let go could see a step another lane had waiting meanwhile (after a
   * backup that took seconds, the partition begun in its wake).
   */
  public synchronized void act(Step step, Runnable after) {
    act(step);
    after.run();
  }

  /** Carries out one step and records it. */
  public synchronized void act(Step step) {
    NemesisCatalog.Entry entry = NemesisCatalog.entry(step.nemesis());
    boolean start = step.action() == Step.Action.START;
    String f = start ? entry.startF() : entry.stopF();
    String notReady = start && entry.destroysData() ? dataLoss.prepare() : null;
    if (start && entry.newIncarnation()) {
      incarnations.note();
    }
    recorder.record(OpType.INVOKE, Op.NEMESIS, f, null, Map.of());
    NemesisEvent event = null;
    try {
      if (notReady != null) {
        recorder.record(OpType.FAIL, Op.NEMESIS, f, null, Map.of("error", "not applied: " + notReady));
        progress.violation(step.nemesis() + " not applied: " + notReady);
        return;
      }
      // Made inside the try: a step aimed at a nemesis this backend cannot aim fails as a record.
      Nemesis nemesis =
          byLane
              .get(step.lane())
              .computeIfAbsent(
                  step.nemesis(), n -> NemesisCatalog.aim(nemeses.apply(n, spares), step.aim()));
      event = start ? nemesis.start(cluster, randoms.get(step.lane())) : nemesis.stop(cluster);
      if (!event.f().equals(f)) {
        throw new IllegalStateException(
            "nemesis " + step.nemesis() + " recorded f \"" + event.f() + "\" (expected: \"" + f + "\")");
      }
      recorder.record(OpType.INFO, Op.NEMESIS, f, event.value(), event.historyFields());
      if (entry.newIncarnation() && (entry.oneOff() || !start)) {
        incarnations.expectNew(event.targets(), step.nemesis());
      }
      if (!event.verified()) {
        progress.violation(f + " not verified");
      }
    } catch (RuntimeException e) {
      recorder.record(OpType.FAIL, Op.NEMESIS, f, null, Map.of("error", String.valueOf(e)));
      progress.violation(step.nemesis() + ": " + e.getMessage());
    } finally {
      track(step, entry, start);
      if (start && entry.destroysData()) {
        dataLoss.done(event == null ? List.of() : event.targets());
      }
    }
  }

  private void track(Step step, NemesisCatalog.Entry entry, boolean start) {
    if (start && !entry.oneOff()) {
      progress.faultStarted(step.nemesis());
      active.put(step.lane(), step.nemesis());
    } else if (!start) {
      active.remove(step.lane());
      progress.faultEnded(step.nemesis());
    }
  }
}
