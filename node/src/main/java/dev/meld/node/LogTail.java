package dev.meld.node;

import dev.meld.node.peer.PeerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest committed entries of this node's log, kept in memory for the pumps: every batch goes
 * to every peer, and each pump read it back from the store (a range scan per peer and batch, and a
 * decode of each entry per peer: 9% of an origin's replica thread under INCRs on three nodes).
 * Bounded by entries and by payload bytes; a read from before what is kept goes to the store.
 * Replica thread only.
 */
final class LogTail {

  private final byte[][] payloads;
  private final PeerMessage.Entry[] entries; // decoded on first read
  private final long maxBytes;
  private long firstSeq = 1; // of the oldest entry kept
  private int start; // its index in the ring
  private int count;
  private long bytes;

  LogTail(int maxEntries, long maxBytes) {
    this.payloads = new byte[maxEntries][];
    this.entries = new PeerMessage.Entry[maxEntries];
    this.maxBytes = maxBytes;
  }

  /**
   * Entry {@code seq} was committed with {@code payload}. Entries come in sequence; one that does
   * not follow the last one kept starts the tail over from it.
   */
  void add(long seq, byte[] payload) {
    if (count > 0 && seq != firstSeq + count) {
      clear();
    }
    if (count == 0) {
      firstSeq = seq;
    }
    if (count == payloads.length) {
      dropOldest();
    }
    int at = (start + count) % payloads.length;
    payloads[at] = payload;
    entries[at] = null;
    count++;
    bytes += payload.length;
    while (bytes > maxBytes && count > 1) {
      dropOldest();
    }
  }

  /** Forgets the entries through {@code seq} (the log was trimmed there). */
  void dropThrough(long seq) {
    while (count > 0 && firstSeq <= seq) {
      dropOldest();
    }
  }

  /**
   * As {@link ReplicationLog#read}, if every entry from {@code fromSeq} to the newest is kept: at
   * most {@code maxEntries} and {@code maxBytes} of payload, at least one; else null.
   */
  List<PeerMessage.Entry> read(long fromSeq, int maxEntries, long maxBytes) {
    if (count == 0 || fromSeq < firstSeq || fromSeq >= firstSeq + count) {
      return null;
    }
    List<PeerMessage.Entry> out = new ArrayList<>();
    long taken = 0;
    for (long seq = fromSeq; seq < firstSeq + count && out.size() < maxEntries; seq++) {
      int at = (int) ((start + (seq - firstSeq)) % payloads.length);
      byte[] payload = payloads[at];
      if (!out.isEmpty() && taken + payload.length > maxBytes) {
        break;
      }
      taken += payload.length;
      PeerMessage.Entry entry = entries[at];
      if (entry == null) {
        entry = LogPayload.entry(seq, payload);
        entries[at] = entry;
      }
      out.add(entry);
    }
    return out;
  }

  private void dropOldest() {
    bytes -= payloads[start].length;
    payloads[start] = null;
    entries[start] = null;
    start = (start + 1) % payloads.length;
    firstSeq++;
    count--;
  }

  private void clear() {
    while (count > 0) {
      dropOldest();
    }
  }
}
