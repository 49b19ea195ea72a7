package dev.meld.antientropy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/** Random valid messages, and raw frames for feeding the decoder what no encoder would write. */
final class Messages {

  private Messages() {}

  static SyncMessage random(SplittableRandom r) {
    long id = r.nextLong();
    switch (r.nextInt(3)) {
      case 0:
        return new SyncMessage.Hello(
            id,
            r.nextLong(Long.MAX_VALUE),
            r.nextLong(),
            1 + r.nextInt(8),
            1 + r.nextInt(8),
            1 + r.nextInt(8),
            new Digest(r.nextLong(), r.nextLong()));
      case 1:
        List<Part> parts = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          parts.add(randomPart(r));
        }
        boolean idle = r.nextBoolean();
        return new SyncMessage.Round(
            id, 1 + r.nextInt(Integer.MAX_VALUE), idle, idle && r.nextBoolean(), parts);
      default:
        StringBuilder reason = new StringBuilder();
        for (int i = r.nextInt(SyncMessage.Abort.MAX_REASON_CHARS + 1); i > 0; i--) {
          reason.appendCodePoint(
              r.nextBoolean() ? 0x20 + r.nextInt(0x5f) : 0xa0 + r.nextInt(0xd000));
        }
        return new SyncMessage.Abort(id, reason.toString());
    }
  }

  static Part randomPart(SplittableRandom r) {
    switch (r.nextInt(9)) {
      case 7:
        int n = 1 + r.nextInt(20);
        int from = r.nextBoolean() ? 0 : r.nextInt(CodedSymbols.MAX_SIZE - n + 1);
        return new Part.KeySymbols(
            bytes(r, r.nextInt(20)),
            r.nextLong() >>> 1,
            from == 0 ? r.nextLong() : 0,
            from,
            r.ints(n, 0, 256).toArray(),
            r.longs(n).toArray(),
            r.longs(n).toArray());
      case 8:
        return new Part.MoreSymbols(bytes(r, r.nextInt(20)), 1 + r.nextInt(CodedSymbols.MAX_SIZE));
      case 5:
        if (randomPart(r) instanceof Part.Digests d) {
          return new Part.KeyDigests(bytes(r, r.nextInt(20)), r.nextLong() >>> 1, d);
        }
        return new Part.KeyDigests(
            bytes(r, 1), 0, new Part.Digests(0, 4, 4, new long[] {0}, new long[16]));
      case 6:
        int sliceBits = r.nextInt(65);
        TreeSet<Long> slices = new TreeSet<>(Long::compareUnsigned);
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          slices.add(
              sliceBits == 0 ? 0 : sliceBits == 64 ? r.nextLong() : r.nextLong() >>> (64 - sliceBits));
        }
        return new Part.KeySlices(
            bytes(r, r.nextInt(20)),
            sliceBits,
            slices.stream().mapToLong(Long::longValue).toArray());
      case 0:
        int bits = r.nextInt(64);
        int childBits = bits + 1 + r.nextInt(Math.min(64, bits + 8) - bits);
        int width = 1 + r.nextInt(8);
        TreeSet<Long> prefixes = new TreeSet<>(Long::compareUnsigned);
        for (int i = r.nextInt(4); i > 0; i--) {
          prefixes.add(bits == 0 ? 0 : r.nextLong() >>> (64 - bits));
        }
        long[] digests = values(r, prefixes.size() << (childBits - bits), width);
        return new Part.Digests(
            bits,
            childBits,
            width,
            prefixes.stream().mapToLong(Long::longValue).toArray(),
            digests);
      case 1:
        return new Part.Entries(randomSegment(r), 8, values(r, r.nextInt(20), 8));
      case 2:
        int w = 1 + r.nextInt(8);
        return new Part.Request(randomSegment(r), w, values(r, r.nextInt(20), w));
      case 3:
        return new Part.Probe(r.nextLong(), new Digest(r.nextLong(), r.nextLong()));
      default:
        List<SyncRecord> records = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          records.add(new SyncRecord(bytes(r, r.nextInt(20)), bytes(r, r.nextInt(200))));
        }
        return new Part.Records(records);
    }
  }

  static Segment randomSegment(SplittableRandom r) {
    int bits = r.nextInt(65);
    return Segment.of(r.nextLong(), bits);
  }

  private static long[] values(SplittableRandom r, int n, int width) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = width == 8 ? r.nextLong() : r.nextLong() >>> (64 - 8 * width);
    }
    return out;
  }

  static byte[] bytes(SplittableRandom r, int n) {
    byte[] out = new byte[n];
    r.nextBytes(out);
    return out;
  }

  /** A frame with a correct header and checksum around any body. */
  static byte[] frame(int version, int type, long sessionId, byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(1 + 1 + 8 + body.length + 4);
    out.put((byte) version).put((byte) type).putLong(sessionId).put(body);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Builds raw bodies. */
  static final class Body {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Body u8(int... values) {
      for (int v : values) {
        out.write(v);
      }
      return this;
    }

    Body varint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Body i64(long v) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (v >>> shift));
      }
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
