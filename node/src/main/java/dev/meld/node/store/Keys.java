package dev.meld.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The physical key encodings, shared by both engines so that both order everything the same way.
 *
 * <pre>
 * record key   = keyHash64 (u64 BE) ‖ key bytes         sorts by (unsigned hash, key)
 * piece key    = piece prefix ‖ piece bytes             sorts by piece within a record
 * piece prefix = keyHash64 (u64 BE) ‖ keyLength (u32 BE) ‖ key bytes
 * origin       = nameLen (u8) ‖ name (UTF-8) ‖ incarnation (u64 BE)
 * log key      = origin ‖ seq (u64 BE)                    sorts by seq within an origin
 * cursor key   = origin
 * meta key     = name (UTF-8)
 * sys keys     = "format" | "hash-probe" | "key-count" | "open" | "session"
 *              | "log-head/" ‖ origin | "log-trim/" ‖ origin
 * </pre>
 *
 * Big-endian fixed-width numbers compare as unsigned bytes in numeric order, which is why a
 * contiguous hash range is a contiguous key range, in the records and in the pieces alike. The key
 * length in a piece prefix keeps the pieces of one record contiguous: without it the pieces of key
 * {@code "a"} (piece {@code "b..."}) would interleave with those of key {@code "ab"}. With it, two
 * prefixes with equal hash and length have equal length and differ in the key bytes, and prefixes
 * of different lengths differ in the length field, so no prefix starts another.
 */
final class Keys {

  static final byte[] FORMAT = ascii("format");
  static final byte[] HASH_PROBE = ascii("hash-probe");
  static final byte[] KEY_COUNT = ascii("key-count");
  static final byte[] OPEN = ascii("open");
  static final byte[] SESSION = ascii("session");
  static final byte[] LOG_HEAD_PREFIX = ascii("log-head/");
  static final byte[] LOG_TRIM_PREFIX = ascii("log-trim/");

  /** The key whose hash is stored at creation to detect a store reopened with another hash. */
  static final byte[] PROBE_KEY = ascii("meld.store.hash-probe");

  private Keys() {}

  static byte[] record(long keyHash, byte[] key) {
    return ByteBuffer.allocate(Long.BYTES + key.length).putLong(keyHash).put(key).array();
  }

  static long recordHash(byte[] physical) {
    return ByteBuffer.wrap(physical).getLong();
  }

  static byte[] recordKey(byte[] physical) {
    return Arrays.copyOfRange(physical, Long.BYTES, physical.length);
  }

  /** The prefix shared by every piece of record {@code key}, and only by them. */
  static byte[] piecePrefix(long keyHash, byte[] key) {
    return ByteBuffer.allocate(Long.BYTES + Integer.BYTES + key.length)
        .putLong(keyHash)
        .putInt(key.length)
        .put(key)
        .array();
  }

  /** The piece key at the end of a physical piece key whose prefix is {@code prefixLength} long. */
  static byte[] pieceKey(byte[] physical, int prefixLength) {
    return Arrays.copyOfRange(physical, prefixLength, physical.length);
  }

  static byte[] origin(Origin origin) {
    byte[] name = origin.node().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + name.length + Long.BYTES)
        .put((byte) name.length)
        .put(name)
        .putLong(origin.incarnation())
        .array();
  }

  /** Decodes the origin at the start of {@code bytes} (after {@code offset}). */
  static Origin decodeOrigin(byte[] bytes, int offset) {
    int nameLength = Byte.toUnsignedInt(bytes[offset]);
    String name = new String(bytes, offset + 1, nameLength, StandardCharsets.UTF_8);
    long incarnation = ByteBuffer.wrap(bytes, offset + 1 + nameLength, Long.BYTES).getLong();
    return new Origin(name, incarnation);
  }

  static byte[] log(byte[] origin, long seq) {
    return ByteBuffer.allocate(origin.length + Long.BYTES).put(origin).putLong(seq).array();
  }

  static long logSeq(byte[] logKey) {
    return ByteBuffer.wrap(logKey, logKey.length - Long.BYTES, Long.BYTES).getLong();
  }

  /** The first log key after every entry of {@code origin} up to {@code seq}. */
  static byte[] logAfter(byte[] origin, long seq) {
    return seq == Long.MAX_VALUE ? prefixEnd(origin) : log(origin, seq + 1);
  }

  static byte[] logHead(byte[] origin) {
    return concat(LOG_HEAD_PREFIX, origin);
  }

  static byte[] logTrim(byte[] origin) {
    return concat(LOG_TRIM_PREFIX, origin);
  }

  static byte[] u64(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  /** The number in an 8-byte value, or 0 for an absent one. */
  static long u64(byte[] value) {
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  /** The smallest key greater than every key starting with {@code prefix}, or null if none. */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
