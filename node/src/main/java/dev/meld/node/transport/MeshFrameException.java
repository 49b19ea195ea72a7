package dev.meld.node.transport;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame or handshake message that breaks the mesh protocol. The message names the value and the
 * expectation; the connection that carried it is closed with an ERROR frame of {@link #refusal()}.
 */
final class MeshFrameException extends CorruptedFrameException {

  private static final long serialVersionUID = 1L;

  private final Refusal refusal;

  MeshFrameException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  MeshFrameException(String message) {
    this(Refusal.PROTOCOL, message);
  }

  Refusal refusal() {
    return refusal;
  }
}
