package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.FaultReceipt.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One nemesis op for the history: its {@code f} (named so the report pairs starts with stops:
 * {@code kill}/{@code start}, {@code pause}/{@code resume}, {@code start-partition}/{@code
 * stop-partition}, {@code bump-clock}/{@code reset-clock}, {@code start-X}/{@code stop-X}, or a
 * one-off such as {@code wipe} or {@code strobe-clock}), its value, and the receipts of the faults
 * it applied.
 *
 * @param f the op's {@code f}
 * @param value the op's value (targets, a grudge, an offset), JSON-serialisable
 * @param receipts what each fault did and whether it was verified
 */
public record NemesisEvent(String f, Object value, List<FaultReceipt> receipts) {

  public NemesisEvent {
    Objects.requireNonNull(f, "f");
    receipts = List.copyOf(receipts);
  }

  /** FAILED if any receipt failed, else SKIPPED if any was skipped, else VERIFIED. */
  public Status status() {
    if (receipts.stream().anyMatch(r -> r.status() == Status.FAILED)) {
      return Status.FAILED;
    }
    if (receipts.stream().anyMatch(r -> r.status() == Status.SKIPPED)) {
      return Status.SKIPPED;
    }
    return Status.VERIFIED;
  }

  /** True unless some fault failed or was skipped. */
  public boolean verified() {
    return status() == Status.VERIFIED;
  }

  /** Every node some receipt targeted, in order of appearance. */
  public List<String> targets() {
    Set<String> targets = new LinkedHashSet<>();
    receipts.forEach(r -> targets.addAll(r.targets()));
    return new ArrayList<>(targets);
  }

  /**
   * The keys to put on the op's completion: {@code verified} (null when skipped), {@code
   * verify-detail} (one line per receipt) and {@code targets}.
   */
  public Map<String, Object> historyFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("verified", status() == Status.SKIPPED ? null : verified());
    fields.put(
        "verify-detail",
        receipts.isEmpty()
            ? "nothing to do"
            : receipts.stream().map(FaultReceipt::toString).collect(Collectors.joining("\n")));
    fields.put("targets", targets());
    return fields;
  }
}
