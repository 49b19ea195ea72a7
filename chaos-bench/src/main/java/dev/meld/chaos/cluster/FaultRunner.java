package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import java.time.Instant;
import java.util.List;

/**
 * Applies one fault at a time and turns its outcome into a {@link FaultReceipt}: VERIFIED with what
 * was checked, or FAILED with why ({@link NotVerified}, or any exception on the way).
 */
final class FaultRunner {

  /** One fault's work: returns what was verified, or throws. */
  @FunctionalInterface
  interface Step {
    String run() throws Exception;
  }

  synchronized FaultReceipt apply(FaultKind kind, List<String> targets, Step step) {
    Instant start = Instant.now();
    Status status = Status.FAILED;
    String detail;
    try {
      detail = step.run();
      status = Status.VERIFIED;
    } catch (NotVerified e) {
      detail = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      detail = "interrupted";
    } catch (Exception e) {
      detail = e.toString();
    }
    return new FaultReceipt(kind, targets, start, Instant.now(), status, detail);
  }
}
