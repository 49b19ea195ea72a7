package dev.meld.antientropy;

/**
 * What one sync session did, from one side's point of view.
 *
 * @param sessionId the session
 * @param state where the session stands
 * @param reason why it aborted, or null
 * @param messagesSent messages this side sent
 * @param messagesReceived messages this side received
 * @param bytesSent encoded bytes this side sent
 * @param bytesReceived encoded bytes this side received
 * @param recordsSent records this side shipped
 * @param recordsReceived records this side received for merging
 * @param recordsSkipped records this side could not ship because they exceed the message bound
 * @param fingerprintsRequested records this side asked the peer for
 */
public record SyncSummary(
    long sessionId,
    SyncSession.State state,
    String reason,
    int messagesSent,
    int messagesReceived,
    long bytesSent,
    long bytesReceived,
    int recordsSent,
    int recordsReceived,
    int recordsSkipped,
    int fingerprintsRequested) {

  /** Messages in both directions. */
  public int messages() {
    return messagesSent + messagesReceived;
  }

  /** Bytes in both directions. */
  public long bytes() {
    return bytesSent + bytesReceived;
  }

  /** Round trips: a round trip is one message each way. */
  public int roundTrips() {
    return (messages() + 1) / 2;
  }
}
