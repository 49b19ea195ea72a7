package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Applies one fault at a time and turns its outcome into a {@link FaultReceipt}: VERIFIED with what
 * was checked, or FAILED with why ({@link NotVerified}, or any exception on the way). Each receipt
 * is appended to the cluster's log ({@code faults.log}) as it is made.
 */
public final class FaultRunner {

  private final Path log;

  public FaultRunner(Path log) {
    this.log = log;
  }

  /** One fault's work: returns what was verified, or throws. */
  @FunctionalInterface
  public interface Step {
    String run() throws Exception;
  }

  public synchronized FaultReceipt apply(FaultKind kind, List<String> targets, Step step) {
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
    FaultReceipt receipt = new FaultReceipt(kind, targets, start, Instant.now(), status, detail);
    record(receipt);
    return receipt;
  }

  private void record(FaultReceipt receipt) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          receipt.startedAt() + " " + receipt + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The receipt goes back to the scenario either way; the log is a convenience.
    }
  }
}
