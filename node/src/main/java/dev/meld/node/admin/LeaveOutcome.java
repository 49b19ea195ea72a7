package dev.meld.node.admin;

/**
 * What a request to leave the cluster ({@code POST /leave}) came to: this request started the leave,
 * or it was refused (a leave or a stop is already under way, the node is not serving).
 *
 * @param started whether this request started the leave
 * @param refusal why it was refused, or {@code null} when it started
 */
public record LeaveOutcome(boolean started, String refusal) {

  public LeaveOutcome {
    if (started != (refusal == null)) {
      throw new IllegalArgumentException(
          "refusal: " + refusal + " (expected: null exactly when the leave started)");
    }
  }

  /** This request started the leave. */
  public static LeaveOutcome begun() {
    return new LeaveOutcome(true, null);
  }

  /** Refused, for the reason given. */
  public static LeaveOutcome refused(String why) {
    return new LeaveOutcome(false, why);
  }
}
