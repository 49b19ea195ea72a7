package dev.meld.antientropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs records into parts under a byte budget, reading each state from the store when it is packed
 * (so a large repair never sits in memory, and a record changed since it was chosen ships as it is
 * now). A key no longer held is skipped; so is a record too large for any message, which is counted
 * so the owner can see it.
 */
final class Shipper {

  private final LocalSide local;
  private final long largestPart;
  private int sent;
  private int skipped;
  private byte[] partsKey; // the record being shipped in parts, if any
  private KeyspaceView.RecordParts parts;
  private byte[] heldPart; // its next part, not shipped yet

  private void endParts() {
    partsKey = null;
    parts = null;
    heldPart = null;
  }

  Shipper(LocalSide local, long largestPart) {
    this.local = local;
    this.largestPart = largestPart;
  }

  /**
   * Ships my records in {@code segment} whose fingerprint, when packed, is not among {@code
   * sortedFingerprints}; resumes after the last key packed.
   */
  Outbox.Work allBut(Segment segment, long[] sortedFingerprints, int fingerprintBytes) {
    return new AllBut(segment, sortedFingerprints, fingerprintBytes);
  }

  /** Ships the current state of each of {@code keys}. */
  Outbox.Work keys(List<byte[]> keys) {
    return new Keys(keys);
  }

  int sent() {
    return sent;
  }

  int skipped() {
    return skipped;
  }

  private final class AllBut extends Outbox.Work {
    final Segment segment;
    final long[] sortedFingerprints;
    final int fingerprintBytes;
    long afterHash;
    byte[] afterKey;
    boolean done;

    AllBut(Segment segment, long[] sortedFingerprints, int fingerprintBytes) {
      this.segment = segment;
      this.sortedFingerprints = sortedFingerprints;
      this.fingerprintBytes = fingerprintBytes;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      Records records = new Records(budget);
      done = true;
      local.listFrom(
          segment,
          afterHash,
          afterKey,
          fingerprintBytes,
          listed -> {
            if (Arrays.binarySearch(sortedFingerprints, listed.fingerprint()) < 0
                && !records.add(listed.key())) {
              done = false;
              return false;
            }
            advance(listed);
            return true;
          });
      return records.part();
    }

    private void advance(LocalSide.Listed listed) {
      afterHash = listed.hash();
      afterKey = listed.key().clone();
    }

    @Override
    boolean done() {
      return done;
    }

    @Override
    public String toString() {
      return "ShipAllBut["
          + segment
          + (done ? ", done]" : ", after " + Long.toHexString(afterHash) + "]");
    }
  }

  private final class Keys extends Outbox.Work {
    final List<byte[]> keys;
    int next;

    Keys(List<byte[]> keys) {
      this.keys = keys;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      Records records = new Records(budget);
      while (next < keys.size() && records.add(keys.get(next))) {
        next++;
      }
      return records.part();
    }

    @Override
    boolean done() {
      return next == keys.size();
    }

    @Override
    public String toString() {
      return "ShipKeys[" + (keys.size() - next) + " left]";
    }
  }

  /** A records part being filled under a byte budget. */
  private final class Records {
    final List<SyncRecord> records = new ArrayList<>();
    long room;

    Records(long budget) {
      this.room = budget - Outbox.PART_HEADER;
    }

    /**
     * Adds {@code key}'s current state if it fits; returns false (adding nothing more) if it does
     * not. A key no longer held is consumed without shipping. A record too large for any message
     * is shipped in parts if the view can split it ({@link KeyspaceView#parts}): as many parts as
     * fit go now, and false keeps the key for the next message, which resumes after the last part
     * shipped. A record that cannot be split is skipped and counted.
     */
    boolean add(byte[] key) {
      if (partsKey == null || !Arrays.equals(partsKey, key)) {
        byte[] state = local.read(key);
        if (state != null) {
          SyncRecord record = new SyncRecord(key.clone(), state);
          long size = SyncCodec.recordSize(record);
          if (size <= largestPart) {
            if (size > room) {
              return false;
            }
            room -= size;
            records.add(record);
            sent++;
            return true;
          }
        }
        long overhead = SyncCodec.recordSize(new SyncRecord(key, new byte[0])) + 8;
        KeyspaceView.RecordParts split =
            local.parts(key, (int) Math.min(Integer.MAX_VALUE, largestPart - overhead));
        if (split == null) {
          skipped += state == null ? 0 : 1;
          return true;
        }
        partsKey = key.clone();
        parts = split;
        heldPart = split.next();
      }
      while (heldPart != null) {
        SyncRecord part = new SyncRecord(partsKey.clone(), heldPart);
        long size = SyncCodec.recordSize(part);
        if (size > largestPart) {
          skipped++; // the view broke its promise: nothing sensible to ship
          endParts();
          return true;
        }
        if (size > room) {
          return false;
        }
        room -= size;
        records.add(part);
        heldPart = parts.next();
      }
      sent++;
      endParts();
      return true;
    }

    Part part() {
      return records.isEmpty() ? null : new Part.Records(records);
    }
  }
}
