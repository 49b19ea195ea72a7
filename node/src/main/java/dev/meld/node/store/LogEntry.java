package dev.meld.node.store;

import java.util.Arrays;

/**
 * One replication log entry of one origin: its sequence number and the opaque payload the replica
 * stored with it.
 */
public record LogEntry(long seq, byte[] payload) {

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry other && seq == other.seq && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seq) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LogEntry[seq=" + seq + ", payload=" + payload.length + " bytes]";
  }
}
