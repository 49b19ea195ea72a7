package dev.meld.antientropy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A unit of work inside a {@link SyncMessage.Round}. */
public sealed interface Part {

  /**
   * "Compare my children": for each segment {@code (bits, prefixes[i])}, the sender's salted,
   * truncated digests of its {@code 2^(childBits - bits)} sub-segments at {@code childBits}, in
   * order. A truncated digest is 0 exactly when the sender holds nothing in that sub-segment.
   *
   * @param prefixes strictly increasing (unsigned)
   * @param digests {@code prefixes.length << (childBits - bits)} values of {@code width} bytes
   */
  record Digests(int bits, int childBits, int width, long[] prefixes, long[] digests)
      implements Part {
    public Digests {
      checkLevels(bits, childBits);
      for (int i = 0; i < prefixes.length; i++) {
        new Segment(bits, prefixes[i]);
        if (i > 0 && Long.compareUnsigned(prefixes[i - 1], prefixes[i]) >= 0) {
          throw new IllegalArgumentException("prefixes must be strictly increasing at index " + i);
        }
      }
      if (digests.length != prefixes.length << (childBits - bits)) {
        throw new IllegalArgumentException(
            "digests: "
                + digests.length
                + " (expected: "
                + (prefixes.length << (childBits - bits))
                + ")");
      }
      checkWidth(width, digests);
    }

    /** Checks {@code 0 <= bits < childBits <= min(64, bits + 8)}. */
    static void checkLevels(int bits, int childBits) {
      if (bits < 0 || bits > 63) {
        throw new IllegalArgumentException("digest bits: " + bits + " (expected: 0..63)");
      }
      if (childBits <= bits || childBits > Math.min(64, bits + 8)) {
        throw new IllegalArgumentException(
            "child bits: "
                + childBits
                + " (expected: "
                + (bits + 1)
                + ".."
                + Math.min(64, bits + 8)
                + ")");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Digests d
          && bits == d.bits
          && childBits == d.childBits
          && width == d.width
          && Arrays.equals(prefixes, d.prefixes)
          && Arrays.equals(digests, d.digests);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          bits, childBits, width, Arrays.hashCode(prefixes), Arrays.hashCode(digests));
    }

    @Override
    public String toString() {
      return "Digests["
          + prefixes.length
          + " segments at "
          + bits
          + " bits, children at "
          + childBits
          + "]";
    }
  }

  /**
   * What {@link Entries} and {@link Request} carry: {@code width}-byte salted fingerprints of
   * records in one segment.
   */
  abstract sealed class Fingerprints implements Part permits Entries, Request {
    private final Segment segment;
    private final int width;
    private final long[] fingerprints;

    Fingerprints(Segment segment, int width, long[] fingerprints) {
      checkWidth(width, fingerprints);
      this.segment = Objects.requireNonNull(segment, "segment");
      this.width = width;
      this.fingerprints = fingerprints;
    }

    public Segment segment() {
      return segment;
    }

    public int width() {
      return width;
    }

    public long[] fingerprints() {
      return fingerprints;
    }

    @Override
    public boolean equals(Object o) {
      return o != null
          && o.getClass() == getClass()
          && segment.equals(((Fingerprints) o).segment)
          && width == ((Fingerprints) o).width
          && Arrays.equals(fingerprints, ((Fingerprints) o).fingerprints);
    }

    @Override
    public int hashCode() {
      return Objects.hash(getClass(), segment, width, Arrays.hashCode(fingerprints));
    }

    @Override
    public String toString() {
      return getClass().getSimpleName()
          + "["
          + segment
          + ", "
          + fingerprints.length
          + " fingerprints]";
    }
  }

  /**
   * "Here is everything I hold in this segment": the fingerprint of each of the sender's records in
   * {@code segment}. The receiver ships the records the sender lacks and requests the ones it
   * lacks.
   */
  final class Entries extends Fingerprints {
    public Entries(Segment segment, int width, long[] fingerprints) {
      super(segment, width, fingerprints);
    }
  }

  /**
   * "Send me these": fingerprints, from an {@link Entries} the receiver sent, of records wanted.
   */
  final class Request extends Fingerprints {
    public Request(Segment segment, int width, long[] fingerprints) {
      super(segment, width, fingerprints);
    }
  }

  /**
   * "I think you hold exactly one record I lack: this key hash, this record digest." Sent by a
   * responder whose root comparison shows the initiator holds one key more and the sums point at
   * one record. The initiator ships that record if it holds it, and otherwise starts the ordinary
   * descent by sending its child digests of the root.
   */
  record Probe(long keyHash, Digest digest) implements Part {
    public Probe {
      Objects.requireNonNull(digest, "digest");
    }
  }

  /**
   * "Compare my children", within one record's members ({@link MemberView}): {@link Digests} over
   * the member hashes of {@code key}, with the number of members the sender holds. Sent first for
   * the root, by a side about to ship a record too large to ship whole; the receiver descends
   * where its own members differ, and asks for slices ({@link KeySlices}) where few members do.
   *
   * @param key the record
   * @param members how many members the sender holds
   * @param digests the child digests, as for keys
   */
  record KeyDigests(byte[] key, long members, Digests digests) implements Part {
    public KeyDigests {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(digests, "digests");
      if (members < 0) {
        throw new IllegalArgumentException("members: " + members + " (expected: >= 0)");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyDigests k
          && Arrays.equals(key, k.key)
          && members == k.members
          && digests.equals(k.digests);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), members, digests);
    }

    @Override
    public String toString() {
      return "KeyDigests[" + key.length + "-byte key, " + members + " members, " + digests + "]";
    }
  }

  /**
   * "Here are my slices of these segments of {@code key}'s members; send me yours": both sides
   * ship every member in each segment over their context, so what either removed goes on the
   * other. The root segment alone means "send me the whole record": the asker holds it in no form
   * it can compare.
   *
   * @param prefixes strictly increasing (unsigned), each a segment at {@code bits}
   */
  record KeySlices(byte[] key, int bits, long[] prefixes) implements Part {
    public KeySlices {
      Objects.requireNonNull(key, "key");
      if (prefixes.length == 0) {
        throw new IllegalArgumentException("prefixes: none (expected: at least one segment)");
      }
      for (int i = 0; i < prefixes.length; i++) {
        new Segment(bits, prefixes[i]);
        if (i > 0 && Long.compareUnsigned(prefixes[i - 1], prefixes[i]) >= 0) {
          throw new IllegalArgumentException("prefixes must be strictly increasing at index " + i);
        }
      }
    }

    public List<Segment> segments() {
      return Arrays.stream(prefixes).mapToObj(p -> new Segment(bits, p)).toList();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeySlices k
          && Arrays.equals(key, k.key)
          && bits == k.bits
          && Arrays.equals(prefixes, k.prefixes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), bits, Arrays.hashCode(prefixes));
    }

    @Override
    public String toString() {
      return "KeySlices[" + key.length + "-byte key, " + prefixes.length + " at " + bits + " bits]";
    }
  }

  /**
   * "Here are coded symbols {@code [from, from + n)} of my members of {@code key}" ({@link
   * CodedSymbols}), with the number of members the sender holds. Symbols from 0 come unasked and
   * open the comparison of a record too large to ship whole; later ones answer {@link
   * MoreSymbols}. The receiver subtracts its own and peels ({@link SketchDecoder}).
   *
   * @param sum with the first symbols, the salted 8-byte fingerprint of the digest sum of the
   *     sender's members ({@link CodedSymbols#sum}): equal to the receiver's, the members are
   *     equal and nothing needs decoding; 0 in later batches
   * @param counts each symbol's count modulo 256
   */
  record KeySymbols(
      byte[] key,
      long members,
      long sum,
      int from,
      int[] counts,
      long[] hashSums,
      long[] tagSums)
      implements Part {
    public KeySymbols {
      Objects.requireNonNull(key, "key");
      if (from > 0 && sum != 0) {
        throw new IllegalArgumentException("sum: " + sum + " (expected: 0 after the first batch)");
      }
      if (members < 0) {
        throw new IllegalArgumentException("members: " + members + " (expected: >= 0)");
      }
      int n = hashSums.length;
      if (n < 1 || counts.length != n || tagSums.length != n) {
        throw new IllegalArgumentException(
            "symbols: " + counts.length + ", " + n + ", " + tagSums.length
                + " (expected: equal, at least 1)");
      }
      if (from < 0 || from > CodedSymbols.MAX_SIZE - n) {
        throw new IllegalArgumentException(
            "symbols from " + from + ", " + n
                + " (expected: within 0.." + CodedSymbols.MAX_SIZE + ")");
      }
      for (int c : counts) {
        if (c < 0 || c > 255) {
          throw new IllegalArgumentException("symbol count: " + c + " (expected: 0..255)");
        }
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeySymbols k
          && Arrays.equals(key, k.key)
          && members == k.members
          && sum == k.sum
          && from == k.from
          && Arrays.equals(counts, k.counts)
          && Arrays.equals(hashSums, k.hashSums)
          && Arrays.equals(tagSums, k.tagSums);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), members, from, Arrays.hashCode(hashSums));
    }

    @Override
    public String toString() {
      return "KeySymbols[" + key.length + "-byte key, " + members + " members, symbols " + from
          + ".." + (from + hashSums.length) + "]";
    }
  }

  /**
   * "Your symbols of {@code key} did not decode: send them up to {@code upTo}." Answers {@link
   * KeySymbols} the sender of this part could not decode.
   */
  record MoreSymbols(byte[] key, int upTo) implements Part {
    public MoreSymbols {
      Objects.requireNonNull(key, "key");
      if (upTo < 1 || upTo > CodedSymbols.MAX_SIZE) {
        throw new IllegalArgumentException(
            "symbols up to " + upTo + " (expected: 1.." + CodedSymbols.MAX_SIZE + ")");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MoreSymbols m && Arrays.equals(key, m.key) && upTo == m.upTo;
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), upTo);
    }

    @Override
    public String toString() {
      return "MoreSymbols[" + key.length + "-byte key, up to " + upTo + "]";
    }
  }

  /** Records for the receiver to merge. */
  record Records(List<SyncRecord> records) implements Part {
    public Records {
      records = List.copyOf(records);
    }
  }

  private static void checkWidth(int width, long[] values) {
    if (width < 1 || width > 8) {
      throw new IllegalArgumentException("width: " + width + " (expected: 1..8)");
    }
    for (long v : values) {
      if (width < 8 && (v >>> (8 * width)) != 0) {
        throw new IllegalArgumentException(
            "value 0x" + Long.toHexString(v) + " does not fit in " + width + " bytes");
      }
    }
  }
}
