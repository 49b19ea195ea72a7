package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Replication lag samples of a run, in nanoseconds: how long a write took to be visible on another
 * node, as the runner measured it. Quantiles are nearest-rank; with no samples they are null.
 */
@JsonPropertyOrder({"count", "p50-ns", "p95-ns", "p99-ns", "max-ns", "samples-ns"})
@JsonIgnoreProperties(
    value = {"count", "p50-ns", "p95-ns", "p99-ns", "max-ns"},
    allowGetters = true)
public record ReplicationLag(@JsonProperty("samples-ns") List<Long> samplesNs) {

  public static final ReplicationLag NONE = new ReplicationLag(List.of());

  public ReplicationLag {
    samplesNs = samplesNs == null ? List.of() : List.copyOf(samplesNs);
    for (Long s : samplesNs) {
      if (s < 0) {
        throw new IllegalArgumentException("replication lag sample: " + s + " ns (expected: >= 0)");
      }
    }
  }

  @JsonProperty("count")
  public int count() {
    return samplesNs.size();
  }

  /** The lag at quantile q (nearest rank), or null with no samples. */
  public Long quantileNs(double q) {
    if (samplesNs.isEmpty()) {
      return null;
    }
    long[] sorted = samplesNs.stream().mapToLong(Long::longValue).sorted().toArray();
    return Quantiles.of(sorted, q);
  }

  @JsonProperty("p50-ns")
  public Long p50Ns() {
    return quantileNs(0.5);
  }

  @JsonProperty("p95-ns")
  public Long p95Ns() {
    return quantileNs(0.95);
  }

  @JsonProperty("p99-ns")
  public Long p99Ns() {
    return quantileNs(0.99);
  }

  @JsonProperty("max-ns")
  public Long maxNs() {
    return quantileNs(1);
  }
}
