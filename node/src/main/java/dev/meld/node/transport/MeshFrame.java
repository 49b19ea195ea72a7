package dev.meld.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame every byte on a mesh connection belongs to, and its types.
 *
 * <pre>
 *  0       2         3      4                 8
 *  +-------+---------+------+-----------------+==========================+
 *  | magic | version | type |     length      |         payload          |
 *  | ED 1D |  u8 = 2 |  u8  |    u32 (BE)     |      length bytes        |
 *  +-------+---------+------+-----------------+==========================+
 *
 *  in secret mode (a shared secret and no TLS), every frame after the sender's handshake:
 *  +-------+---------+------+-----------------+==========================+----------------+
 *  | ED 1D |  u8 = 2 |  u8  |    u32 (BE)     |      length bytes        | tag: 32 bytes  |
 *  +-------+---------+------+-----------------+==========================+----------------+
 *  tag = HMAC-SHA256(key of the direction, dir ‖ seq:u64 ‖ type ‖ length ‖ payload), see FrameMac
 *
 *  type  1 HELLO      handshake: who I am (see HandshakeCodec)        &lt;= 1024 bytes
 *        2 PROOF      handshake: HMAC proof, empty without a secret   &lt;= 1024 bytes
 *        3 ERROR      why the sender closes: code u8, reason UTF-8    &lt;= 1024 bytes
 *        4 HEARTBEAT  "still here" from a dialer, empty               0 bytes
 *       16 MESSAGE    a PeerCodec encoding of one PeerMessage         &lt;= maxFrameBytes
 * </pre>
 *
 * <p>Why these widths: the 2-byte magic makes a stream that is not a mesh stream (a RESP client
 * pointed at the wrong port, a desynchronized reader) fail at its first bytes rather than at some
 * huge "length"; the version in every frame lets a frame of another format be refused before its
 * length is trusted; one byte of type is plenty; and the length is 4 bytes because messages
 * legitimately exceed what 2 or 3 bytes can say (anti-entropy rounds of several MiB), so the
 * configured maximum, not the field's width, is the bound. The header is 8 bytes in all.
 *
 * <p>The length counts the payload only; the tag's presence follows from the connection's mode,
 * which both sides know from the handshake. Version 2 added the tag (version 1 had none, so a
 * version-1 node is refused at its first frame rather than misreading tags as headers).
 *
 * <p>The version is the version of this framing and of the handshake. What a MESSAGE payload means
 * is versioned separately, by the message version exchanged in the hello.
 */
final class MeshFrame {

  static final int MAGIC_0 = 0xED;
  static final int MAGIC_1 = 0x1D;
  static final int VERSION = 2;
  static final int HEADER_BYTES = 8;

  static final int HELLO = 1;
  static final int PROOF = 2;
  static final int ERROR = 3;
  static final int HEARTBEAT = 4;
  static final int MESSAGE = 16;

  /** The largest payload of a handshake, error or heartbeat frame. */
  static final int MAX_CONTROL_BYTES = 1024;

  private MeshFrame() {}

  /** The name of frame type {@code type}, or {@code null} if there is no such type. */
  static String typeName(int type) {
    switch (type) {
      case HELLO:
        return "HELLO";
      case PROOF:
        return "PROOF";
      case ERROR:
        return "ERROR";
      case HEARTBEAT:
        return "HEARTBEAT";
      case MESSAGE:
        return "MESSAGE";
      default:
        return null;
    }
  }

  /** The largest payload a frame of {@code type} may carry on a link allowing {@code maxFrame}. */
  static int maxPayload(int type, int maxFrameBytes) {
    switch (type) {
      case HEARTBEAT:
        return 0;
      case MESSAGE:
        return maxFrameBytes;
      default:
        return MAX_CONTROL_BYTES;
    }
  }

  /** A buffer holding the frame of {@code type} around {@code payload}. */
  static ByteBuf encode(ByteBufAllocator alloc, int type, byte[] payload) {
    ByteBuf out = alloc.buffer(HEADER_BYTES + payload.length);
    out.writeByte(MAGIC_0).writeByte(MAGIC_1).writeByte(VERSION).writeByte(type);
    out.writeInt(payload.length).writeBytes(payload);
    return out;
  }

  /** The frame of {@code type} around {@code payload}, as bytes. */
  static byte[] toBytes(int type, byte[] payload) {
    byte[] out = new byte[HEADER_BYTES + payload.length];
    out[0] = (byte) MAGIC_0;
    out[1] = (byte) MAGIC_1;
    out[2] = (byte) VERSION;
    out[3] = (byte) type;
    out[4] = (byte) (payload.length >>> 24);
    out[5] = (byte) (payload.length >>> 16);
    out[6] = (byte) (payload.length >>> 8);
    out[7] = (byte) payload.length;
    System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
    return out;
  }
}
