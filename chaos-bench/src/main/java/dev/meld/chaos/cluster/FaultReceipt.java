package dev.meld.chaos.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fault did: its kind, the nodes it targeted, when it started and ended, and whether it was
 * verified to have taken effect. A fault that was not verified fails the scenario; a skipped one
 * (the cluster cannot inject it here) makes the scenario SKIPPED.
 *
 * @param kind the fault
 * @param targets the nodes it acted on (for links: {@code from}, then {@code to})
 * @param startedAt when the cluster began to apply it
 * @param endedAt when the cluster finished applying and checking it
 * @param status verified, failed or skipped
 * @param detail what was checked and seen, or why it failed or was skipped
 */
public record FaultReceipt(
    FaultKind kind,
    List<String> targets,
    Instant startedAt,
    Instant endedAt,
    Status status,
    String detail) {

  /** Whether the fault was seen to take effect. */
  public enum Status {
    /** Applied, and checked to have taken effect. */
    VERIFIED,
    /** Not applied, or not seen to take effect: the scenario fails. */
    FAILED,
    /** Not applied because this cluster cannot inject it here (the detail says why). */
    SKIPPED
  }

  public FaultReceipt {
    Objects.requireNonNull(kind, "kind");
    targets = List.copyOf(targets);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** True if the fault was applied and seen to take effect. */
  public boolean verified() {
    return status == Status.VERIFIED;
  }

  /** How long applying and verifying took. */
  public Duration took() {
    return Duration.between(startedAt, endedAt);
  }

  /**
   * The keys a nemesis puts on its history op's completion: {@code targets}, {@code verified} (null
   * when skipped) and {@code verify-detail}, as the report package reads them.
   */
  public Map<String, Object> historyFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("targets", targets);
    fields.put("verified", status == Status.SKIPPED ? null : verified());
    fields.put("verify-detail", detail);
    return fields;
  }

  @Override
  public String toString() {
    return kind.label()
        + " "
        + targets
        + " "
        + status
        + " in "
        + took().toMillis()
        + " ms: "
        + detail;
  }
}
