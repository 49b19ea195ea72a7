package dev.meld.node;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ReplicaId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pieces a set is stored in, under its record (whose value is the {@link SetHeader}): one
 * member piece per element and one dot piece per dot an element holds.
 *
 * <pre>
 * member piece key = 'm' ‖ elementHash63 (u64 BE) ‖ element     value = the element's dots
 * dot piece key    = 'd' ‖ replica ‖ counter (u64 BE)            value = the element
 * replica          = nameLength (u8) ‖ name (UTF-8) ‖ incarnation (u64 BE)
 * dots             = count (varint) ‖ count x (replica ‖ counter (varint)), ascending
 * </pre>
 *
 * Member pieces are ordered by a hash of the element, so a scan's cursor is a number (as Redis
 * cursors are) and a step resumes at a hash, which stays valid whatever changes meanwhile. Dot
 * pieces are ordered by (replica, counter): the dots {@code r:1..n} a merge must check against a
 * peer's context are one range, exactly as the in-memory set's index per replica.
 */
final class SetPieces {

  static final byte MEMBER = 'm';
  static final byte DOT = 'd';

  private SetPieces() {}

  /** Where {@code element} sorts among the members: the top 63 bits of its XXH3-64. */
  static long elementHash(Bytes element) {
    return KeyHashing.keyHash64(element.toByteArray()) >>> 1;
  }

  static byte[] memberKey(Bytes element) {
    byte[] bytes = element.toByteArray();
    return ByteBuffer.allocate(1 + Long.BYTES + bytes.length)
        .put(MEMBER)
        .putLong(elementHash(element))
        .put(bytes)
        .array();
  }

  /** The first member piece key at or after the 63-bit element hash {@code hash}. */
  static byte[] membersFrom(long hash) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(MEMBER).putLong(hash).array();
  }

  /** The first piece key after every member piece. */
  static byte[] membersEnd() {
    return new byte[] {MEMBER + 1};
  }

  static Bytes memberElement(byte[] pieceKey) {
    return Bytes.of(Arrays.copyOfRange(pieceKey, 1 + Long.BYTES, pieceKey.length));
  }

  static long memberHash(byte[] pieceKey) {
    return ByteBuffer.wrap(pieceKey, 1, Long.BYTES).getLong();
  }

  static byte[] dotKey(Dot dot) {
    return dotKey(dot.replica(), dot.counter());
  }

  /** The dot piece key of {@code replica:counter}; {@code counter} may be 0 (a range start). */
  static byte[] dotKey(ReplicaId replica, long counter) {
    byte[] r = replica(replica);
    return ByteBuffer.allocate(1 + r.length + Long.BYTES).put(DOT).put(r).putLong(counter).array();
  }

  /** The end (exclusive) of the dot pieces {@code replica:1..counter}. */
  static byte[] dotKeyAfter(ReplicaId replica, long counter) {
    if (counter == Long.MAX_VALUE) {
      byte[] r = replica(replica);
      byte[] start = ByteBuffer.allocate(1 + r.length).put(DOT).put(r).array();
      return prefixEnd(start);
    }
    return dotKey(replica, counter + 1);
  }

  static Dot dot(byte[] pieceKey) {
    ReplicaId replica = replica(pieceKey, 1);
    int counterAt = 1 + 1 + Byte.toUnsignedInt(pieceKey[1]) + Long.BYTES;
    return new Dot(replica, ByteBuffer.wrap(pieceKey, counterAt, Long.BYTES).getLong());
  }

  /** The replica {@link #replica(ReplicaId)} wrote into {@code bytes} at {@code at}. */
  static ReplicaId replica(byte[] bytes, int at) {
    int nameLength = Byte.toUnsignedInt(bytes[at]);
    String name = new String(bytes, at + 1, nameLength, StandardCharsets.UTF_8);
    return new ReplicaId(name, ByteBuffer.wrap(bytes, at + 1 + nameLength, Long.BYTES).getLong());
  }

  static byte[] encodeDots(List<Dot> dots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * dots.size() + 1);
    varint(out, dots.size());
    for (Dot dot : dots) {
      byte[] replica = replica(dot.replica());
      out.write(replica, 0, replica.length);
      varint(out, dot.counter());
    }
    return out.toByteArray();
  }

  /**
   * The dots in a member piece's value.
   *
   * @throws IllegalStateException if the value is not what {@link #encodeDots} writes: the store
   *     is damaged
   */
  static List<Dot> decodeDots(byte[] value) {
    try {
      ByteBuffer in = ByteBuffer.wrap(value);
      long count = varint(in);
      if (count < 1 || count > value.length) {
        throw new IllegalStateException("dots in a member piece: " + count + " (expected: >= 1)");
      }
      List<Dot> dots = new ArrayList<>((int) count);
      for (long i = 0; i < count; i++) {
        int nameLength = Byte.toUnsignedInt(in.get());
        byte[] name = new byte[nameLength];
        in.get(name);
        long incarnation = in.getLong();
        dots.add(
            new Dot(
                new ReplicaId(new String(name, StandardCharsets.UTF_8), incarnation), varint(in)));
      }
      if (in.hasRemaining()) {
        throw new IllegalStateException(
            "member piece: " + in.remaining() + " bytes after its dots (expected: 0)");
      }
      return dots;
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalStateException("member piece of " + value.length + " bytes is damaged", e);
    }
  }

  /** {@code replica} as piece keys hold it: nameLength (u8) ‖ name (UTF-8) ‖ incarnation. */
  static byte[] replica(ReplicaId replica) {
    byte[] name = replica.node().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + name.length + Long.BYTES)
        .put((byte) name.length)
        .put(name)
        .putLong(replica.incarnation())
        .array();
  }

  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("no key follows every key starting with the prefix");
  }

  static void varint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalStateException("varint in a piece: longer than 10 bytes");
  }
}
