package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meld.chaos.history.Values;
import java.util.List;

/**
 * One fault as the history shows it: from the nemesis op that started it to the one that ended it,
 * in nanoseconds since the start of the run. {@link FaultWindows} derives them and documents the
 * pairing rule.
 *
 * @param kind what was done: {@code partition}, {@code kill}, {@code pause}, {@code clock}, the
 *     {@code X} of a {@code start-X}/{@code stop-X} pair, or the {@code f} of a one-off fault
 * @param startF the {@code f} that started it
 * @param stopF the {@code f} that ended it; null if nothing ended it, or for a one-off fault
 * @param startIndex the history index of the op that started it
 * @param startNs when the nemesis began to inject it
 * @param endNs when the nemesis finished ending it; null if still active when the history ended
 * @param targets the nodes it named, in the scenario's node order
 * @param value the start op's value (a grudge, a node list, a clock offset ...)
 * @param verified whether the nemesis confirmed it took effect (and, for a pair, that it ended):
 *     false fails the run, null means not checked
 * @param detail what the nemesis said about it (an error, a verification message), or null
 */
public record FaultWindow(
    String kind,
    @JsonProperty("start-f") String startF,
    @JsonProperty("stop-f") String stopF,
    @JsonProperty("start-index") long startIndex,
    @JsonProperty("start-ns") long startNs,
    @JsonProperty("end-ns") Long endNs,
    List<String> targets,
    @JsonInclude(JsonInclude.Include.ALWAYS) Object value,
    Boolean verified,
    String detail) {

  public FaultWindow {
    if (kind == null || kind.isEmpty() || startF == null || startF.isEmpty()) {
      throw new IllegalArgumentException(
          "fault: kind " + kind + ", start-f " + startF + " (expected: non-empty strings)");
    }
    if (startNs < 0) {
      throw new IllegalArgumentException(
          "fault " + kind + ": start-ns: " + startNs + " (expected: >= 0)");
    }
    if (endNs != null && endNs < startNs) {
      throw new IllegalArgumentException(
          "fault " + kind + ": end-ns: " + endNs + " (expected: >= start-ns " + startNs + ")");
    }
    targets = targets == null ? List.of() : List.copyOf(targets);
    value = Values.canonical(value);
  }

  /** The end, or {@code horizonNs} for a fault still active when the history ended. */
  public long endOr(long horizonNs) {
    return endNs == null ? Math.max(horizonNs, startNs) : endNs;
  }

  /** True if the nemesis reported that this fault did not take effect (or did not end). */
  public boolean failedVerification() {
    return Boolean.FALSE.equals(verified);
  }
}
