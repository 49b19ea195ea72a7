package dev.meld.antientropy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of a {@link SyncCodec} frame (the layout is drawn there), checking every value
 * against its bounds and every count against the bytes left before allocating for it.
 */
final class BodyReader {

  private BodyReader() {}

  /** The message of {@code type} whose body {@code in} holds. */
  static SyncMessage read(WireReader in, int type, long sessionId) throws SyncProtocolException {
    switch (type) {
      case SyncCodec.HELLO:
        return readHello(in, sessionId);
      case SyncCodec.ROUND:
        return readRound(in, sessionId);
      case SyncCodec.ABORT:
        return readAbort(in, sessionId);
      default:
        throw new SyncProtocolException("message type: " + type + " (expected: 1..3)");
    }
  }

  private static SyncMessage.Hello readHello(WireReader in, long sessionId)
      throws SyncProtocolException {
    long keyCount = in.varint("key count");
    if (keyCount < 0) {
      throw new SyncProtocolException(
          "key count: "
              + Long.toUnsignedString(keyCount)
              + " (expected: <= "
              + Long.MAX_VALUE
              + ")");
    }
    long keyHashSum = in.i64("key hash sum");
    int fanoutBits = in.u8("fanout bits");
    int digestBytes = in.u8("digest bytes");
    int fingerprintBytes = in.u8("fingerprint bytes");
    Digest root = new Digest(in.i64("root digest"), in.i64("root digest"));
    return new SyncMessage.Hello(
        sessionId, keyCount, keyHashSum, fanoutBits, digestBytes, fingerprintBytes, root);
  }

  private static SyncMessage.Round readRound(WireReader in, long sessionId)
      throws SyncProtocolException {
    long seq = in.varint("seq");
    if (seq < 1 || seq > Integer.MAX_VALUE) {
      throw new SyncProtocolException(
          "seq: " + Long.toUnsignedString(seq) + " (expected: 1.." + Integer.MAX_VALUE + ")");
    }
    int flags = in.u8("flags");
    if ((flags & ~3) != 0 || flags == 2) {
      throw new SyncProtocolException("flags: " + flags + " (expected: 0, 1 or 3)");
    }
    long partCount = in.varint("part count");
    in.requireItems(partCount, 2, "part count");
    List<Part> parts = new ArrayList<>((int) partCount);
    for (int i = 0; i < partCount; i++) {
      parts.add(readPart(in));
    }
    return new SyncMessage.Round(sessionId, (int) seq, (flags & 1) != 0, (flags & 2) != 0, parts);
  }

  private static SyncMessage.Abort readAbort(WireReader in, long sessionId)
      throws SyncProtocolException {
    int length = in.count(SyncCodec.MAX_REASON_BYTES, "reason length");
    byte[] reason = in.bytes(length, "reason");
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(reason));
      return new SyncMessage.Abort(sessionId, chars.toString());
    } catch (CharacterCodingException e) {
      throw new SyncProtocolException("reason: not valid UTF-8");
    }
  }

  private static Part readPart(WireReader in) throws SyncProtocolException {
    int kind = in.u8("part kind");
    switch (kind) {
      case SyncCodec.DIGESTS:
        return readDigests(in);
      case SyncCodec.ENTRIES:
      case SyncCodec.REQUEST:
        Segment segment = readSegment(in);
        int width = readWidth(in);
        long count = in.varint("fingerprint count");
        in.requireItems(count, width, "fingerprint count");
        long[] fingerprints = readValues(in, (int) count, width);
        return kind == SyncCodec.ENTRIES
            ? new Part.Entries(segment, width, fingerprints)
            : new Part.Request(segment, width, fingerprints);
      case SyncCodec.RECORDS:
        long records = in.varint("record count");
        in.requireItems(records, 2, "record count");
        List<SyncRecord> list = new ArrayList<>((int) records);
        for (int i = 0; i < records; i++) {
          byte[] key = in.bytes(in.count(in.remaining(), "key length"), "key");
          byte[] state = in.bytes(in.count(in.remaining(), "state length"), "state");
          list.add(new SyncRecord(key, state));
        }
        return new Part.Records(list);
      case SyncCodec.PROBE:
        return new Part.Probe(
            in.i64("probe key hash"), new Digest(in.i64("probe digest"), in.i64("probe digest")));
      case SyncCodec.KEY_DIGESTS:
        {
          byte[] key = in.bytes(in.count(in.remaining(), "key length"), "key");
          long members = in.varint("member count");
          if (members < 0) {
            throw new SyncProtocolException(
                "member count: " + Long.toUnsignedString(members) + " (expected: < 2^63)");
          }
          return new Part.KeyDigests(key, members, readDigests(in));
        }
      case SyncCodec.KEY_SLICES:
        {
          byte[] key = in.bytes(in.count(in.remaining(), "key length"), "key");
          int bits = in.u8("slice bits");
          if (bits > 64) {
            throw new SyncProtocolException("slice bits: " + bits + " (expected: 0..64)");
          }
          long slices = in.varint("slice count");
          if (slices < 1) {
            throw new SyncProtocolException("slice count: 0 (expected: at least 1)");
          }
          in.requireItems(slices, 1, "slice count");
          return new Part.KeySlices(key, bits, readPrefixes(in, (int) slices, bits));
        }
      case SyncCodec.KEY_SYMBOLS:
        return readKeySymbols(in);
      case SyncCodec.MORE_SYMBOLS:
        {
          byte[] key = in.bytes(in.count(in.remaining(), "key length"), "key");
          long upTo = in.varint("symbols up to");
          if (upTo < 1 || upTo > CodedSymbols.MAX_SIZE) {
            throw new SyncProtocolException(
                "symbols up to: "
                    + Long.toUnsignedString(upTo)
                    + " (expected: 1.."
                    + CodedSymbols.MAX_SIZE
                    + ")");
          }
          return new Part.MoreSymbols(key, (int) upTo);
        }
      default:
        throw new SyncProtocolException("part kind: " + kind + " (expected: 1..9)");
    }
  }

  private static Part.KeySymbols readKeySymbols(WireReader in) throws SyncProtocolException {
    byte[] key = in.bytes(in.count(in.remaining(), "key length"), "key");
    long members = in.varint("member count");
    if (members < 0) {
      throw new SyncProtocolException(
          "member count: " + Long.toUnsignedString(members) + " (expected: < 2^63)");
    }
    long from = in.varint("symbols from");
    long sum = from == 0 ? in.i64("member digest sum") : 0;
    long count = in.varint("symbol count");
    if (count < 1
        || Long.compareUnsigned(from, CodedSymbols.MAX_SIZE) > 0
        || Long.compareUnsigned(count, CodedSymbols.MAX_SIZE - from) > 0) {
      throw new SyncProtocolException(
          "symbols from "
              + Long.toUnsignedString(from)
              + ", count "
              + Long.toUnsignedString(count)
              + " (expected: at least 1, within 0.."
              + CodedSymbols.MAX_SIZE
              + ")");
    }
    in.requireItems(count, SyncCodec.SYMBOL_BYTES, "symbol count");
    int n = (int) count;
    int[] counts = new int[n];
    long[] hashSums = new long[n];
    long[] tagSums = new long[n];
    for (int i = 0; i < n; i++) {
      counts[i] = in.u8("symbol count");
      hashSums[i] = in.i64("symbol hash sum");
      tagSums[i] = in.i64("symbol tag sum");
    }
    return new Part.KeySymbols(key, members, sum, (int) from, counts, hashSums, tagSums);
  }

  private static Part.Digests readDigests(WireReader in) throws SyncProtocolException {
    int bits = in.u8("digest bits");
    int childBits = in.u8("child bits");
    Part.Digests.checkLevels(bits, childBits);
    int width = readWidth(in);
    int shift = childBits - bits;
    long count = in.varint("segment count");
    in.requireItems(count, 1 + (width << shift), "segment count");
    long[] prefixes = readPrefixes(in, (int) count, bits);
    return new Part.Digests(
        bits, childBits, width, prefixes, readValues(in, (int) count << shift, width));
  }

  /** {@code count} strictly increasing prefixes of {@code bits} bits, delta-encoded. */
  private static long[] readPrefixes(WireReader in, int count, int bits)
      throws SyncProtocolException {
    long[] prefixes = new long[count];
    for (int i = 0; i < count; i++) {
      long delta = in.varint("prefix");
      long prefix = i == 0 ? delta : prefixes[i - 1] + delta;
      if (i > 0 && (delta == 0 || Long.compareUnsigned(prefix, prefixes[i - 1]) <= 0)) {
        throw new SyncProtocolException("prefixes: not strictly increasing at index " + i);
      }
      if (bits < 64 && (prefix >>> bits) != 0) {
        throw new SyncProtocolException(
            "prefix: 0x" + Long.toHexString(prefix) + " (expected: < 2^" + bits + ")");
      }
      prefixes[i] = prefix;
    }
    return prefixes;
  }

  private static Segment readSegment(WireReader in) throws SyncProtocolException {
    int bits = in.u8("segment bits");
    if (bits > 64) {
      throw new SyncProtocolException("segment bits: " + bits + " (expected: 0..64)");
    }
    long prefix = in.varint("segment prefix");
    if (bits < 64 && (prefix >>> bits) != 0) {
      throw new SyncProtocolException(
          "segment prefix: 0x" + Long.toHexString(prefix) + " (expected: < 2^" + bits + ")");
    }
    return new Segment(bits, prefix);
  }

  private static int readWidth(WireReader in) throws SyncProtocolException {
    int width = in.u8("width");
    if (width < 1 || width > 8) {
      throw new SyncProtocolException("width: " + width + " (expected: 1..8)");
    }
    return width;
  }

  private static long[] readValues(WireReader in, int count, int width)
      throws SyncProtocolException {
    in.requireItems(count, width, "values");
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = in.uint(width, "value");
    }
    return values;
  }
}
