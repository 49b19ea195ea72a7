package dev.meld.chaos.report;

import java.util.List;

/** What every time chart of a run shares: its phases, its fault windows and how long it ran. */
record ChartFrame(List<Phase> phases, List<FaultWindow> faults, long horizonNs) {

  /** The frame of a result: the horizon is the last moment anything in it happened. */
  static ChartFrame of(ScenarioResult r, OpTimeline t) {
    long horizon = t.endNs;
    for (Phase p : r.phases()) {
      horizon = Math.max(horizon, p.endNs());
    }
    for (FaultWindow w : r.faults()) {
      horizon = Math.max(horizon, w.endNs() == null ? w.startNs() : w.endNs());
    }
    if (r.convergence() != null && r.convergence().convergedNs() != null) {
      horizon = Math.max(horizon, r.convergence().convergedNs());
    }
    return new ChartFrame(r.phases(), r.faults(), Math.max(horizon, 1));
  }
}
