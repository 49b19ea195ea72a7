package dev.meld.node.store;

import java.util.Objects;

/**
 * What opening a store found about its write-ahead log, and what it accepted.
 *
 * @param outcome the verdict
 * @param acknowledgedSeq the highest RocksDB sequence number the previous sessions acknowledged, as
 *     far as the mark beside the database says; -1 if there was no mark
 * @param recoveredSeq the highest sequence number the open recovered
 * @param detail RocksDB's own words about the damage; empty if there was none
 */
public record StoreRecovery(Outcome outcome, long acknowledgedSeq, long recoveredSeq, String detail) {

  /** The verdict of an open. */
  public enum Outcome {
    /** Nothing was damaged: every acknowledged write is here. */
    INTACT,
    /**
     * The WAL ended in a torn record, but the mark shows every acknowledged write was recovered:
     * only the write in flight when the process died was dropped, and it was never acknowledged.
     */
    TORN_TAIL_DROPPED,
    /**
     * Acknowledged writes were lost (or might have been, with no mark to tell) and the operator
     * accepted it: the store was opened up to the last intact point of its log.
     */
    RECOVERED_WITH_LOSS
  }

  /** An open that found nothing wrong. */
  public static StoreRecovery intact(long acknowledgedSeq, long recoveredSeq) {
    return new StoreRecovery(Outcome.INTACT, acknowledgedSeq, recoveredSeq, "");
  }

  public StoreRecovery {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether acknowledged writes may be missing. */
  public boolean lost() {
    return outcome == Outcome.RECOVERED_WITH_LOSS;
  }

  /**
   * How many RocksDB sequence numbers (single puts and deletes, not batches) were acknowledged but
   * not recovered; -1 if unknown (no mark).
   */
  public long lostSequences() {
    return acknowledgedSeq < 0 ? -1 : Math.max(0, acknowledgedSeq - recoveredSeq);
  }

  /** One line for logs and {@code /health}. */
  public String describe() {
    return switch (outcome) {
      case INTACT -> "intact";
      case TORN_TAIL_DROPPED ->
          "torn WAL tail dropped (never acknowledged); recovered through sequence " + recoveredSeq;
      case RECOVERED_WITH_LOSS ->
          "recovered with loss: "
              + (acknowledgedSeq < 0
                  ? "acknowledged sequence unknown (no mark)"
                  : "acknowledged through sequence " + acknowledgedSeq)
              + ", recovered through "
              + recoveredSeq
              + (acknowledgedSeq < 0 ? "" : ", " + lostSequences() + " sequence numbers lost")
              + (detail.isEmpty() ? "" : "; " + detail);
    };
  }
}
