package dev.meld.node.peer;

import dev.meld.antientropy.SyncCodec;
import dev.meld.antientropy.SyncMessage;
import dev.meld.antientropy.SyncProtocolException;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.ReplicaId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link PeerMessage}s: versioned, tagged, deterministic (one encoding per
 * message, so {@code encode(decode(frame))} is {@code frame}) and length-checked. The transport
 * frames each encoding with its own length prefix; this codec sees one whole message.
 *
 * <pre>
 * frame      +---------+------+---------------------+
 *            | version | type |  body (per type)    |   at most maxFrameBytes in all
 *            |  u8 = 2 |  u8  |                     |
 *            +---------+------+---------------------+
 *
 * PING   1   cluster:str  sender:rid  hlc:i64
 * PONG   2   cluster:str  sender:rid  hlc:i64  pinger:rid  cursor:i64
 * BATCH  3   origin:rid  hlc:i64  firstSeq:i64  count:u32 (>= 1)
 *            count x ( keyLength:u32  key  deltaLength:u32  delta )
 * ACK    4   sender:rid  origin:rid  appliedUpTo:i64
 * GAP    5   origin:rid  firstRetained:i64
 * SYNC   6   sessionId:i64  flags:u8 (1 = from the initiator)  length:u32  anti-entropy frame
 * MEMBERS 7  sender:rid  length:u32  member set (canonical OR-set encoding)
 *
 * str = length:u8 UTF-8 bytes        rid = nameLength:u8 (>= 1) name:UTF-8  incarnation:i64 (>= 0)
 * integers are big-endian; i64 values are non-negative where the message says so
 * </pre>
 *
 * Decoding checks every length and count against the bytes that remain and the limits before
 * allocating anything for it, and rejects truncated input, trailing bytes, unknown versions and
 * types, malformed UTF-8, values out of range and anti-entropy frames that fail their own checks,
 * with a {@link PeerProtocolException} naming the value and the expectation.
 *
 * <p>Versions: 1, the first; 2, an ACK names the acknowledging incarnation ({@code sender}), so a
 * stale ack from a peer's previous incarnation is told apart from its current one's; 3, MEMBERS: a
 * node that is not a member joins by it, since its BATCH and SYNC frames are refused until it is
 * one (a version-2 joiner could never join a version-3 node). A node speaks one version, and the
 * mesh handshake refuses a peer that speaks another.
 */
public final class PeerCodec {

  /** The format version this codec writes and accepts. */
  public static final int VERSION = 3;

  static final int PING = 1;
  static final int PONG = 2;
  static final int BATCH = 3;
  static final int ACK = 4;
  static final int GAP = 5;
  static final int SYNC = 6;
  static final int MEMBERS = 7;

  /** The smallest frame limit a codec accepts (a ping with long names fits). */
  public static final int MIN_FRAME_BYTES = 1024;

  private final int maxFrameBytes;
  private final SyncCodec syncCodec;

  /**
   * A codec for frames of at most {@code maxFrameBytes} bytes.
   *
   * @throws IllegalArgumentException if the limit is below {@link #MIN_FRAME_BYTES}
   */
  public PeerCodec(int maxFrameBytes) {
    if (maxFrameBytes < MIN_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: >= " + MIN_FRAME_BYTES + ")");
    }
    this.maxFrameBytes = maxFrameBytes;
    this.syncCodec = new SyncCodec(Math.min(maxFrameBytes, SyncCodec.MAX_FRAME_BYTES));
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * The encoding of {@code message}.
   *
   * @throws IllegalArgumentException if it would exceed {@code maxFrameBytes}
   */
  public byte[] encode(PeerMessage message) {
    FrameWriter out = new FrameWriter();
    out.u8(VERSION);
    if (message instanceof PeerMessage.Ping m) {
      out.u8(PING).str(m.cluster()).rid(m.sender()).i64(m.hlc());
    } else if (message instanceof PeerMessage.Pong m) {
      out.u8(PONG).str(m.cluster()).rid(m.sender()).i64(m.hlc()).rid(m.pinger()).i64(m.cursor());
    } else if (message instanceof PeerMessage.ReplicateBatch m) {
      out.u8(BATCH).rid(m.origin()).i64(m.hlc()).i64(m.firstSeq()).u32(m.entries().size());
      for (PeerMessage.Entry e : m.entries()) {
        out.blob(e.key().toByteArray()).blob(e.delta().toByteArray());
      }
    } else if (message instanceof PeerMessage.ReplicateAck m) {
      out.u8(ACK).rid(m.sender()).rid(m.origin()).i64(m.appliedUpTo());
    } else if (message instanceof PeerMessage.LogGap m) {
      out.u8(GAP).rid(m.origin()).i64(m.firstRetained());
    } else if (message instanceof PeerMessage.SyncEnvelope m) {
      out.u8(SYNC).i64(m.sessionId()).u8(m.fromInitiator() ? 1 : 0);
      out.blob(syncCodec.encode(m.message()));
    } else if (message instanceof PeerMessage.MemberSet m) {
      out.u8(MEMBERS).rid(m.sender()).blob(m.members().toByteArray());
    } else {
      throw new IllegalArgumentException("message: " + message + " (expected: a PeerMessage)");
    }
    byte[] frame = out.toByteArray();
    if (frame.length > maxFrameBytes) {
      throw new IllegalArgumentException(
          "frame length: " + frame.length + " (expected: <= " + maxFrameBytes + ")");
    }
    return frame;
  }

  /**
   * Decodes one whole frame.
   *
   * @throws PeerProtocolException if {@code frame} is not exactly one valid message
   */
  public PeerMessage decode(byte[] frame) throws PeerProtocolException {
    if (frame.length > maxFrameBytes) {
      throw new PeerProtocolException(
          "frame length: " + frame.length + " (expected: <= " + maxFrameBytes + ")");
    }
    FrameReader in = new FrameReader(frame);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new PeerProtocolException("version: " + version + " (expected: " + VERSION + ")");
    }
    int type = in.u8("type");
    PeerMessage message;
    try {
      message = body(type, in);
    } catch (IllegalArgumentException e) {
      throw new PeerProtocolException("message value: " + e.getMessage(), e);
    }
    in.end();
    return message;
  }

  private PeerMessage body(int type, FrameReader in) throws PeerProtocolException {
    switch (type) {
      case PING:
        return new PeerMessage.Ping(in.str("cluster"), in.rid("sender"), in.i64("hlc"));
      case PONG:
        return new PeerMessage.Pong(
            in.str("cluster"), in.rid("sender"), in.i64("hlc"), in.rid("pinger"), in.i64("cursor"));
      case BATCH:
        return batch(in);
      case ACK:
        return new PeerMessage.ReplicateAck(
            in.rid("sender"), in.rid("origin"), in.i64("appliedUpTo"));
      case GAP:
        return new PeerMessage.LogGap(in.rid("origin"), in.i64("firstRetained"));
      case SYNC:
        return sync(in);
      case MEMBERS:
        return new PeerMessage.MemberSet(in.rid("sender"), Bytes.of(in.blob("member set length")));
      default:
        throw new PeerProtocolException("message type: " + type + " (expected: 1..7)");
    }
  }

  private static PeerMessage batch(FrameReader in) throws PeerProtocolException {
    ReplicaId origin = in.rid("origin");
    long hlc = in.i64("hlc");
    long firstSeq = in.i64("firstSeq");
    // Each entry takes at least two length fields: the count is bounded by the bytes left.
    long count = in.count("entry count", 2 * Integer.BYTES);
    if (count < 1) {
      throw new PeerProtocolException("entry count: 0 (expected: >= 1)");
    }
    if (firstSeq < 1 || firstSeq > Long.MAX_VALUE - count) {
      throw new PeerProtocolException(
          "firstSeq: " + firstSeq + " (expected: 1.." + (Long.MAX_VALUE - count) + ")");
    }
    List<PeerMessage.Entry> entries = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      entries.add(
          new PeerMessage.Entry(
              firstSeq + i, Bytes.of(in.blob("key length")), Bytes.of(in.blob("delta length"))));
    }
    return new PeerMessage.ReplicateBatch(origin, entries, hlc);
  }

  private PeerMessage sync(FrameReader in) throws PeerProtocolException {
    long sessionId = in.i64Any();
    int flags = in.u8("flags");
    if (flags > 1) {
      throw new PeerProtocolException("flags: " + flags + " (expected: 0 or 1)");
    }
    byte[] inner = in.blob("sync frame length");
    SyncMessage message;
    try {
      message = syncCodec.decode(inner);
    } catch (SyncProtocolException e) {
      throw new PeerProtocolException("sync frame: " + e.getMessage(), e);
    }
    return new PeerMessage.SyncEnvelope(sessionId, flags == 1, message);
  }

  /** Appends big-endian fields to a growing buffer. */
  private static final class FrameWriter {
    private ByteBuffer buf = ByteBuffer.allocate(256);

    private FrameWriter ensure(int more) {
      if (buf.remaining() < more) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      return this;
    }

    FrameWriter u8(int v) {
      ensure(1).buf.put((byte) v);
      return this;
    }

    FrameWriter u32(int v) {
      ensure(4).buf.putInt(v);
      return this;
    }

    FrameWriter i64(long v) {
      ensure(8).buf.putLong(v);
      return this;
    }

    FrameWriter str(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 255) {
        throw new IllegalArgumentException(
            "string length: " + bytes.length + " bytes (expected: <= 255)");
      }
      u8(bytes.length);
      ensure(bytes.length).buf.put(bytes);
      return this;
    }

    FrameWriter rid(ReplicaId id) {
      return str(id.node()).i64(id.incarnation());
    }

    FrameWriter blob(byte[] bytes) {
      u32(bytes.length);
      ensure(bytes.length).buf.put(bytes);
      return this;
    }

    byte[] toByteArray() {
      byte[] out = new byte[buf.position()];
      buf.flip();
      buf.get(out);
      return out;
    }
  }
}
