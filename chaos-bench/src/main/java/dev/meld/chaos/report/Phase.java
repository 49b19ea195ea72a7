package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A named stretch of a scenario ({@code setup}, {@code workload}, {@code heal}, {@code quiesce},
 * {@code final-reads}, ...), in nanoseconds since the start of the run, the clock of the history's
 * {@code time}.
 */
public record Phase(
    String name, @JsonProperty("start-ns") long startNs, @JsonProperty("end-ns") long endNs) {

  public Phase {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("phase name: " + name + " (expected: a non-empty string)");
    }
    if (startNs < 0) {
      throw new IllegalArgumentException(
          "phase " + name + ": start-ns: " + startNs + " (expected: >= 0)");
    }
    if (endNs < startNs) {
      throw new IllegalArgumentException(
          "phase " + name + ": end-ns: " + endNs + " (expected: >= start-ns " + startNs + ")");
    }
  }
}
