package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runner saw after the last heal: when it healed, when every node had converged, each
 * node's root digest and final read. Times are nanoseconds since the start of the run.
 *
 * <p>The nodes have <em>converged</em> when the runner saw them converge, all root digests are
 * equal, and all final reads are equal. Final reads are compared as canonical JSON values, except
 * that a list is compared as a sorted list, since a set read may list its elements in any order.
 *
 * @param healNs when the last fault was healed; null if the run had no fault
 * @param convergedNs when the runner first saw every node agree; null if it never did
 * @param rootDigests node to its anti-entropy root digest (hex), kept in the order given
 * @param finalReads node to the value of its final read, kept in the order given
 */
@JsonPropertyOrder({
  "heal-ns",
  "converged-ns",
  "convergence-ns",
  "converged",
  "digests-equal",
  "reads-equal",
  "root-digests",
  "final-reads"
})
@JsonIgnoreProperties(
    value = {"convergence-ns", "converged", "digests-equal", "reads-equal"},
    allowGetters = true)
public record Convergence(
    @JsonProperty("heal-ns") Long healNs,
    @JsonProperty("converged-ns") Long convergedNs,
    @JsonProperty("root-digests") Map<String, String> rootDigests,
    @JsonProperty("final-reads") Map<String, Object> finalReads) {

  public Convergence {
    if (healNs != null && healNs < 0) {
      throw new IllegalArgumentException("heal-ns: " + healNs + " (expected: >= 0)");
    }
    if (convergedNs != null && healNs != null && convergedNs < healNs) {
      throw new IllegalArgumentException(
          "converged-ns: " + convergedNs + " (expected: >= heal-ns " + healNs + ")");
    }
    rootDigests = Collections.unmodifiableMap(new LinkedHashMap<>(nonNull(rootDigests)));
    Map<String, Object> reads = new LinkedHashMap<>();
    nonNull(finalReads).forEach((node, read) -> reads.put(node, Values.canonical(read)));
    finalReads = Collections.unmodifiableMap(reads);
  }

  /** Time from the heal to convergence; null if either is unknown. */
  @JsonProperty("convergence-ns")
  public Long convergenceNs() {
    return convergedNs == null ? null : convergedNs - (healNs == null ? convergedNs : healNs);
  }

  @JsonProperty("digests-equal")
  public boolean digestsEqual() {
    return !rootDigests.isEmpty() && rootDigests.values().stream().distinct().count() == 1;
  }

  @JsonProperty("reads-equal")
  public boolean readsEqual() {
    return !finalReads.isEmpty()
        && finalReads.values().stream().map(Convergence::comparable).distinct().count() == 1;
  }

  @JsonProperty("converged")
  public boolean converged() {
    return convergedNs != null && digestsEqual() && readsEqual();
  }

  private static Object comparable(Object read) {
    if (read instanceof List) {
      List<Object> sorted = new ArrayList<>((List<?>) read);
      sorted.sort(Values.ORDER);
      return sorted;
    }
    return read;
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }
}
