package dev.meld.chaos.cluster;

import java.util.Locale;

/** The kinds of fault a {@link Cluster} can inject, one per fault method. */
public enum FaultKind {
  KILL,
  RESTART,
  PAUSE,
  RESUME,
  TERMINATE,
  WIPE,
  BACKUP,
  RESTORE,
  PARTITION,
  HEAL,
  SLOW,
  LOSSY,
  CLOCK_OFFSET,
  JOIN,
  LEAVE;

  /**
   * The lower-case, dash-separated name used in histories and reports, e.g. {@code clock-offset}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
