package dev.meld.antientropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Packs records into parts under a byte budget, reading each state from the store when it is packed
 * (so a large repair never sits in memory, and a record changed since it was chosen ships as it is
 * now). A key no longer held is skipped; so is a record too large for any message, which is counted
 * so the owner can see it. A record too large to ship whole whose members the view can compare
 * ({@link MemberView}) is handed to the outbox to be compared member by member instead, when the
 * peer may hold it too.
 */
final class Shipper {

  private final LocalSide local;
  private final long largestPart;
  private final Predicate<byte[]> compareMembers;
  private int sent;
  private int skipped;
  private Stream current; // the record being shipped in parts, if any

  /** Parts of one record being shipped, resumed across messages. */
  private static final class Stream {
    final byte[] key;
    final KeyspaceView.RecordParts parts;
    byte[] held; // the next part, not shipped yet

    Stream(byte[] key, KeyspaceView.RecordParts parts) {
      this.key = key.clone();
      this.parts = parts;
      this.held = parts.next();
    }
  }

  /**
   * @param compareMembers takes a key too large to ship whole and returns whether it will be
   *     compared member by member instead (see {@link Outbox#compareMembers})
   */
  Shipper(LocalSide local, long largestPart, Predicate<byte[]> compareMembers) {
    this.local = local;
    this.largestPart = largestPart;
    this.compareMembers = compareMembers;
  }

  /**
   * Ships my records in {@code segment} whose fingerprint, when packed, is not among {@code
   * sortedFingerprints}; resumes after the last key packed. The peer listed nothing there if the
   * array is empty, so a large record goes whole rather than compared.
   */
  Outbox.Work allBut(Segment segment, long[] sortedFingerprints, int fingerprintBytes) {
    return new AllBut(segment, sortedFingerprints, fingerprintBytes);
  }

  /**
   * Ships the current state of each of {@code keys}; {@code peerMayHold} says whether the peer may
   * hold another version of them, worth comparing member by member.
   */
  Outbox.Work keys(List<byte[]> keys, boolean peerMayHold) {
    return new Keys(keys, peerMayHold);
  }

  /** Ships the slices of {@code key}'s members in each of {@code segments} of the member hashes. */
  Outbox.Work slices(byte[] key, List<Segment> segments) {
    return new Slices(key, segments);
  }

  /** Ships the guard of {@code key}'s members ({@link MemberView#guard}). */
  Outbox.Work guard(byte[] key) {
    return new Guard(key);
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
                && !records.add(listed.key(), sortedFingerprints.length > 0)) {
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
    final boolean peerMayHold;
    int next;

    Keys(List<byte[]> keys, boolean peerMayHold) {
      this.keys = keys;
      this.peerMayHold = peerMayHold;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      Records records = new Records(budget);
      while (next < keys.size() && records.add(keys.get(next), peerMayHold)) {
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

  private final class Slices extends Outbox.Work {
    final byte[] key;
    final List<Segment> segments;
    Stream stream;
    boolean done;

    Slices(byte[] key, List<Segment> segments) {
      this.key = key.clone();
      this.segments = segments;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      Records records = new Records(budget);
      if (stream == null) {
        MemberView members = local.members(key);
        if (members == null) {
          done = true; // no longer a collection here: nothing to slice
          return null;
        }
        long[] from = segments.stream().mapToLong(Segment::first).toArray();
        long[] to = segments.stream().mapToLong(Segment::last).toArray();
        stream = new Stream(key, members.slices(from, to, maxPart(key)));
      }
      done = records.pump(stream);
      return records.part();
    }

    @Override
    boolean done() {
      return done;
    }

    @Override
    public String toString() {
      return "ShipSlices[" + segments.size() + " segments" + (done ? ", done]" : "]");
    }
  }

  private final class Guard extends Outbox.Work {
    final byte[] key;
    boolean done;

    Guard(byte[] key) {
      this.key = key.clone();
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      MemberView members = local.members(key);
      if (members == null) {
        done = true;
        return null;
      }
      Records records = new Records(budget);
      // One that does not fit even an empty message is left out: the contexts then meet only
      // through deltas and whole states.
      done = records.put(new SyncRecord(key, members.guard())) || emptyMessage;
      return records.part();
    }

    @Override
    boolean done() {
      return done;
    }
  }

  /** The largest part of {@code key}'s record that fits in a message with its framing. */
  private int maxPart(byte[] key) {
    long overhead = SyncCodec.recordSize(new SyncRecord(key, new byte[0])) + 8;
    return (int) Math.min(Integer.MAX_VALUE, largestPart - overhead);
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
     * is compared member by member if the peer may hold it and the outbox takes it ({@code
     * peerMayHold}); otherwise shipped in parts if the view can split it ({@link
     * KeyspaceView#parts}): as many parts as fit go now, and false keeps the key for the next
     * message, which resumes after the last part shipped. A record that cannot be split is
     * skipped and counted.
     */
    boolean add(byte[] key, boolean peerMayHold) {
      if (current == null || !Arrays.equals(current.key, key)) {
        byte[] state = local.read(key);
        if (state != null) {
          SyncRecord record = new SyncRecord(key.clone(), state);
          long size = SyncCodec.recordSize(record);
          if (size <= largestPart) {
            if (!put(record)) {
              return false;
            }
            sent++;
            return true;
          }
        }
        if (peerMayHold && compareMembers.test(key)) {
          return true;
        }
        KeyspaceView.RecordParts split = local.parts(key, maxPart(key));
        if (split == null) {
          skipped += state == null ? 0 : 1;
          return true;
        }
        current = new Stream(key, split);
      }
      if (!pump(current)) {
        return false;
      }
      sent++;
      current = null;
      return true;
    }

    /**
     * Adds the parts of {@code stream} that fit; true once every part was added (or the view broke
     * its promise of parts that fit, counted as skipped), false when out of room.
     */
    boolean pump(Stream stream) {
      while (stream.held != null) {
        SyncRecord part = new SyncRecord(stream.key.clone(), stream.held);
        if (SyncCodec.recordSize(part) > largestPart) {
          skipped++; // nothing sensible to ship
          return true;
        }
        if (!put(part)) {
          return false;
        }
        stream.held = stream.parts.next();
      }
      return true;
    }

    /** Adds {@code record} if it fits. */
    boolean put(SyncRecord record) {
      long size = SyncCodec.recordSize(record);
      if (size > room) {
        return false;
      }
      room -= size;
      records.add(record);
      return true;
    }

    Part part() {
      return records.isEmpty() ? null : new Part.Records(records);
    }
  }
}
