package dev.meld.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns a mesh byte stream into {@link Frame}s: a resumable state machine that checks each header
 * field as soon as its byte arrives (magic, version, type, then the length against the type's
 * maximum) and allocates a payload only once all of its bytes have arrived, so a peer can never
 * make it allocate more than it has actually sent, nor more than the limit.
 *
 * <p>Which frame types are acceptable depends on the connection's phase (only handshake frames
 * before the handshake, MESSAGE only on an established inbound connection); the connection's
 * handler moves the decoder along with {@link #expect}. Any violation throws a {@link
 * MeshFrameException} naming the value and the expectation, after which the decoder discards all
 * further input: its connection is being closed.
 */
final class FrameDecoder extends ByteToMessageDecoder {

  private enum State {
    HEADER,
    PAYLOAD,
    FAILED
  }

  private final int maxFrameBytes;
  private int allowedTypes;
  private String expected;
  private State state = State.HEADER;
  private int type;
  private int length;
  private FrameMac mac;

  /**
   * A decoder accepting MESSAGE payloads up to {@code maxFrameBytes} once allowed, and initially
   * only {@code types}.
   */
  FrameDecoder(int maxFrameBytes, String phase, int... types) {
    if (maxFrameBytes < MeshFrame.MAX_CONTROL_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: "
              + maxFrameBytes
              + " (expected: >= "
              + MeshFrame.MAX_CONTROL_BYTES
              + ")");
    }
    this.maxFrameBytes = maxFrameBytes;
    expect(phase, types);
  }

  /** From now on accepts only frames of {@code types}; {@code phase} names the state in errors. */
  void expect(String phase, int... types) {
    int mask = 0;
    StringBuilder names = new StringBuilder();
    for (int t : types) {
      mask |= 1 << typeBit(t);
      names.append(names.length() == 0 ? "" : " or ").append(MeshFrame.typeName(t));
    }
    this.allowedTypes = mask;
    this.expected = names + " " + phase;
  }

  /**
   * From now on every frame must carry {@code mac}'s tag after its payload (secret mode, after the
   * handshake); a frame whose tag does not verify fails with an {@code AUTH} refusal before its
   * payload is handed on.
   */
  void authenticate(FrameMac mac) {
    this.mac = mac;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (state == State.HEADER) {
      try {
        if (!readHeader(in)) {
          return;
        }
      } catch (MeshFrameException e) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        throw e;
      }
      state = State.PAYLOAD;
    }
    int tagBytes = mac == null ? 0 : FrameMac.TAG_BYTES;
    if (in.readableBytes() < length + tagBytes) {
      return;
    }
    byte[] payload = length == 0 ? Frame.EMPTY : new byte[length];
    in.readBytes(payload);
    if (mac != null) {
      byte[] tag = new byte[FrameMac.TAG_BYTES];
      in.readBytes(tag);
      long sequence = mac.sequence();
      if (!mac.verifyNext(type, payload, tag)) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        throw new MeshFrameException(
            Refusal.AUTH,
            "frame MAC mismatch: frame "
                + sequence
                + " ("
                + MeshFrame.typeName(type)
                + ", "
                + length
                + " bytes) does not verify (expected: frame "
                + sequence
                + " of this connection under the cluster secret; altered, injected, replayed or"
                + " reordered on the way)");
      }
    }
    state = State.HEADER;
    out.add(new Frame(type, payload));
  }

  /** Checks what has arrived of the header; consumes it and returns true once it is whole. */
  private boolean readHeader(ByteBuf in) {
    int available = in.readableBytes();
    int at = in.readerIndex();
    if (available >= 1) {
      checkMagic(in.getUnsignedByte(at), MeshFrame.MAGIC_0);
    }
    if (available >= 2) {
      checkMagic(in.getUnsignedByte(at + 1), MeshFrame.MAGIC_1);
    }
    if (available >= 3) {
      int version = in.getUnsignedByte(at + 2);
      if (version != MeshFrame.VERSION) {
        throw new MeshFrameException(
            Refusal.VERSION,
            "frame version: " + version + " (expected: " + MeshFrame.VERSION + ")");
      }
    }
    if (available >= 4) {
      checkType(in.getUnsignedByte(at + 3));
    }
    if (available < MeshFrame.HEADER_BYTES) {
      return false;
    }
    int frameType = in.getUnsignedByte(at + 3);
    long frameLength = in.getUnsignedInt(at + 4);
    int max = MeshFrame.maxPayload(frameType, maxFrameBytes);
    if (frameLength > max) {
      throw new MeshFrameException(
          "frame length: "
              + frameLength
              + " (expected: <= "
              + max
              + " for a "
              + MeshFrame.typeName(frameType)
              + " frame)");
    }
    in.skipBytes(MeshFrame.HEADER_BYTES);
    this.type = frameType;
    this.length = (int) frameLength;
    return true;
  }

  private static void checkMagic(int actual, int expected) {
    if (actual != expected) {
      throw new MeshFrameException(
          String.format(
              "frame magic byte: 0x%02X (expected: 0x%02X; not a Meld mesh stream)",
              actual, expected));
    }
  }

  private void checkType(int frameType) {
    String name = MeshFrame.typeName(frameType);
    if (name == null) {
      throw new MeshFrameException("frame type: " + frameType + " (expected: a known type)");
    }
    if ((allowedTypes & (1 << typeBit(frameType))) == 0) {
      throw new MeshFrameException("frame type: " + name + " (expected: " + expected + ")");
    }
  }

  /** Packs the known types into bits 0..4 of the mask. */
  private static int typeBit(int frameType) {
    return frameType == MeshFrame.MESSAGE ? 0 : frameType;
  }
}
