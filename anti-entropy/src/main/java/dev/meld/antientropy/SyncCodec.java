package dev.meld.antientropy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary form of {@link SyncMessage}s: tagged, versioned, deterministic (one encoding per
 * message) and length-checked. Decoding checks every count against the bytes that remain before
 * allocating anything for it and rejects malformed, truncated, oversized or corrupted input with
 * {@link SyncProtocolException}.
 *
 * <pre>
 * frame    +---------+------+------------+--------------+-----------+
 *          | version | type | session id |     body     |  crc32c   |
 *          |  u8 = 1 |  u8  |  i64 (BE)  |  (per type)  |  u32 (BE) |
 *          +---------+------+------------+--------------+-----------+
 *          crc32c covers every byte before it; a frame is at most maxFrameBytes long
 *
 * HELLO  1 keyCount:uvarint keyHashSum:i64 fanoutBits:u8 digestBytes:u8 fingerprintBytes:u8
 *          root:16 bytes (hi, lo)
 * ROUND  2 seq:uvarint flags:u8 (1 = idle, 2 = last) partCount:uvarint part*
 * ABORT  3 reasonLength:uvarint (&lt;= 1024) reason:UTF-8
 *
 * part DIGESTS  1 bits:u8 childBits:u8 width:u8 count:uvarint
 *                 prefix[0]:uvarint (prefix[i] - prefix[i-1]):uvarint *(count-1)
 *                 digest:width bytes *(count &lt;&lt; (childBits - bits))
 *      ENTRIES  2 bits:u8 prefix:uvarint width:u8 count:uvarint fingerprint:width bytes *count
 *      REQUEST  3 (as ENTRIES)
 *      RECORDS  4 count:uvarint (keyLength:uvarint key stateLength:uvarint state) *count
 *      PROBE    5 keyHash:i64 digest:16 bytes (hi, lo)
 *      KEY_DIGESTS 6 keyLength:uvarint key members:uvarint (then as DIGESTS, from bits)
 *      KEY_SLICES  7 keyLength:uvarint key bits:u8 count:uvarint
 *                    prefix[0]:uvarint (prefix[i] - prefix[i-1]):uvarint *(count-1)
 *      KEY_SYMBOLS 8 keyLength:uvarint key members:uvarint from:uvarint [sum:i64, iff from = 0]
 *                    count:uvarint (count:u8 hashSum:i64 tagSum:i64) *count
 *      MORE_SYMBOLS 9 keyLength:uvarint key upTo:uvarint
 * </pre>
 *
 * Varints are unsigned LEB128 in their shortest form; fixed-width values are big-endian.
 */
public final class SyncCodec {

  /** The wire format version this codec writes and accepts. */
  public static final int VERSION = 1;

  /** The largest frame any codec accepts. */
  public static final int MAX_FRAME_BYTES = 16 << 20;

  static final int FRAME_OVERHEAD = 1 + 1 + 8 + 4;
  static final int MAX_REASON_BYTES = 1024;

  static final int HELLO = 1;
  static final int ROUND = 2;
  static final int ABORT = 3;
  static final int DIGESTS = 1;
  static final int ENTRIES = 2;
  static final int REQUEST = 3;
  static final int RECORDS = 4;
  static final int PROBE = 5;
  static final int KEY_DIGESTS = 6;
  static final int KEY_SLICES = 7;
  static final int KEY_SYMBOLS = 8;
  static final int MORE_SYMBOLS = 9;

  /** Bytes of one coded symbol on the wire: count, hash sum, tag sum. */
  static final int SYMBOL_BYTES = 1 + 8 + 8;

  private final int maxFrameBytes;

  /** A codec accepting frames up to {@link #MAX_FRAME_BYTES}. */
  public SyncCodec() {
    this(MAX_FRAME_BYTES);
  }

  /** A codec accepting frames up to {@code maxFrameBytes}. */
  public SyncCodec(int maxFrameBytes) {
    if (maxFrameBytes < 64 || maxFrameBytes > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: 64.." + MAX_FRAME_BYTES + ")");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  // ---------------------------------------------------------------- sizes

  /** The exact length of {@code message}'s frame. */
  public static int encodedSize(SyncMessage message) {
    long body;
    if (message instanceof SyncMessage.Hello h) {
      body = varintSize(h.keyCount()) + 8 + 3 + 16;
    } else if (message instanceof SyncMessage.Round r) {
      body = varintSize(r.seq()) + 1 + varintSize(r.parts().size());
      for (Part p : r.parts()) {
        body += partSize(p);
      }
    } else {
      int reason = utf8(((SyncMessage.Abort) message).reason()).length;
      body = varintSize(reason) + reason;
    }
    return (int) Math.min(Integer.MAX_VALUE, FRAME_OVERHEAD + body);
  }

  static long partSize(Part part) {
    if (part instanceof Part.Digests d) {
      return 1 + digestsBodySize(d);
    } else if (part instanceof Part.KeyDigests k) {
      return 1 + keySize(k.key()) + varintSize(k.members()) + digestsBodySize(k.digests());
    } else if (part instanceof Part.KeySlices k) {
      return 1 + keySize(k.key()) + 1 + prefixesSize(k.prefixes());
    } else if (part instanceof Part.KeySymbols k) {
      return keySymbolsSize(k.key(), k.members(), k.from(), k.hashSums().length);
    } else if (part instanceof Part.MoreSymbols m) {
      return 1 + keySize(m.key()) + varintSize(m.upTo());
    } else if (part instanceof Part.Fingerprints f) {
      return fingerprintPartSize(f.segment(), f.width(), f.fingerprints().length);
    } else if (part instanceof Part.Probe) {
      return 1 + 8 + 16;
    }
    List<SyncRecord> records = ((Part.Records) part).records();
    long size = 1 + varintSize(records.size());
    for (SyncRecord r : records) {
      size += recordSize(r);
    }
    return size;
  }

  static long keySymbolsSize(byte[] key, long members, int from, int count) {
    return 1
        + keySize(key)
        + varintSize(members)
        + varintSize(from)
        + (from == 0 ? 8 : 0)
        + varintSize(count)
        + (long) count * SYMBOL_BYTES;
  }

  private static long digestsBodySize(Part.Digests d) {
    return 3 + prefixesSize(d.prefixes()) + (long) d.digests().length * d.width();
  }

  private static long prefixesSize(long[] prefixes) {
    long size = varintSize(prefixes.length);
    for (int i = 0; i < prefixes.length; i++) {
      size += varintSize(i == 0 ? prefixes[0] : prefixes[i] - prefixes[i - 1]);
    }
    return size;
  }

  private static long keySize(byte[] key) {
    return varintSize(key.length) + key.length;
  }

  static long fingerprintPartSize(Segment segment, int width, int count) {
    return 3 + varintSize(segment.prefix()) + varintSize(count) + (long) count * width;
  }

  static long recordSize(SyncRecord r) {
    return varintSize(r.key().length)
        + r.key().length
        + varintSize(r.state().length)
        + r.state().length;
  }

  static int varintSize(long v) {
    return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
  }

  // ---------------------------------------------------------------- encoding

  /** The frame for {@code message}; fails if it would exceed this codec's frame limit. */
  public byte[] encode(SyncMessage message) {
    int size = encodedSize(message);
    if (size > maxFrameBytes) {
      throw new IllegalArgumentException(
          "frame length: " + size + " (expected: <= " + maxFrameBytes + ")");
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    if (message instanceof SyncMessage.Hello h) {
      out.put((byte) HELLO).putLong(h.sessionId());
      putVarint(out, h.keyCount());
      out.putLong(h.keyHashSum());
      out.put((byte) h.fanoutBits()).put((byte) h.digestBytes()).put((byte) h.fingerprintBytes());
      out.putLong(h.root().hi()).putLong(h.root().lo());
    } else if (message instanceof SyncMessage.Round r) {
      out.put((byte) ROUND).putLong(r.sessionId());
      putVarint(out, r.seq());
      out.put((byte) ((r.idle() ? 1 : 0) | (r.last() ? 2 : 0)));
      putVarint(out, r.parts().size());
      for (Part p : r.parts()) {
        putPart(out, p);
      }
    } else {
      SyncMessage.Abort a = (SyncMessage.Abort) message;
      byte[] reason = utf8(a.reason());
      out.put((byte) ABORT).putLong(a.sessionId());
      putVarint(out, reason.length);
      out.put(reason);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  private static void putPart(ByteBuffer out, Part part) {
    if (part instanceof Part.Digests d) {
      out.put((byte) DIGESTS);
      putDigestsBody(out, d);
    } else if (part instanceof Part.KeyDigests k) {
      out.put((byte) KEY_DIGESTS);
      putKey(out, k.key());
      putVarint(out, k.members());
      putDigestsBody(out, k.digests());
    } else if (part instanceof Part.KeySlices k) {
      out.put((byte) KEY_SLICES);
      putKey(out, k.key());
      out.put((byte) k.bits());
      putPrefixes(out, k.prefixes());
    } else if (part instanceof Part.KeySymbols k) {
      out.put((byte) KEY_SYMBOLS);
      putKey(out, k.key());
      putVarint(out, k.members());
      putVarint(out, k.from());
      if (k.from() == 0) {
        out.putLong(k.sum());
      }
      putVarint(out, k.hashSums().length);
      for (int i = 0; i < k.hashSums().length; i++) {
        out.put((byte) k.counts()[i]).putLong(k.hashSums()[i]).putLong(k.tagSums()[i]);
      }
    } else if (part instanceof Part.MoreSymbols m) {
      out.put((byte) MORE_SYMBOLS);
      putKey(out, m.key());
      putVarint(out, m.upTo());
    } else if (part instanceof Part.Fingerprints f) {
      out.put((byte) (f instanceof Part.Entries ? ENTRIES : REQUEST))
          .put((byte) f.segment().bits());
      putVarint(out, f.segment().prefix());
      out.put((byte) f.width());
      putVarint(out, f.fingerprints().length);
      putValues(out, f.fingerprints(), f.width());
    } else if (part instanceof Part.Probe p) {
      out.put((byte) PROBE).putLong(p.keyHash()).putLong(p.digest().hi()).putLong(p.digest().lo());
    } else {
      List<SyncRecord> records = ((Part.Records) part).records();
      out.put((byte) RECORDS);
      putVarint(out, records.size());
      for (SyncRecord r : records) {
        putVarint(out, r.key().length);
        out.put(r.key());
        putVarint(out, r.state().length);
        out.put(r.state());
      }
    }
  }

  private static void putDigestsBody(ByteBuffer out, Part.Digests d) {
    out.put((byte) d.bits()).put((byte) d.childBits()).put((byte) d.width());
    putPrefixes(out, d.prefixes());
    putValues(out, d.digests(), d.width());
  }

  private static void putPrefixes(ByteBuffer out, long[] prefixes) {
    putVarint(out, prefixes.length);
    for (int i = 0; i < prefixes.length; i++) {
      putVarint(out, i == 0 ? prefixes[0] : prefixes[i] - prefixes[i - 1]);
    }
  }

  private static void putKey(ByteBuffer out, byte[] key) {
    putVarint(out, key.length);
    out.put(key);
  }

  private static void putValues(ByteBuffer out, long[] values, int width) {
    for (long v : values) {
      for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
        out.put((byte) (v >>> shift));
      }
    }
  }

  private static void putVarint(ByteBuffer out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes one whole frame. */
  public SyncMessage decode(byte[] frame) throws SyncProtocolException {
    return decode(frame, 0, frame.length);
  }

  /** Decodes the frame in {@code buf[offset, offset + length)}. */
  public SyncMessage decode(byte[] buf, int offset, int length) throws SyncProtocolException {
    if (length < FRAME_OVERHEAD || length > maxFrameBytes) {
      throw new SyncProtocolException(
          "frame length: " + length + " (expected: " + FRAME_OVERHEAD + ".." + maxFrameBytes + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(buf, offset, length - 4);
    int expected = ByteBuffer.wrap(buf, offset + length - 4, 4).getInt();
    if ((int) crc.getValue() != expected) {
      throw new SyncProtocolException(
          "checksum: "
              + Integer.toHexString((int) crc.getValue())
              + " (expected: "
              + Integer.toHexString(expected)
              + " from the frame trailer)");
    }
    WireReader in = new WireReader(buf, offset, offset + length - 4);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new SyncProtocolException("version: " + version + " (expected: " + VERSION + ")");
    }
    int type = in.u8("type");
    long sessionId = in.i64("session id");
    SyncMessage message;
    try {
      message = BodyReader.read(in, type, sessionId);
    } catch (IllegalArgumentException e) {
      throw new SyncProtocolException(e.getMessage());
    }
    if (in.remaining() != 0) {
      throw new SyncProtocolException(
          "trailing bytes: " + in.remaining() + " (expected: 0 after the message body)");
    }
    return message;
  }
}
