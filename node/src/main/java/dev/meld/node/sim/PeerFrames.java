package dev.meld.node.sim;

import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerProtocolException;

/** Frames peer messages with the node's real codec, so every simulated message exercises it. */
final class PeerFrames {

  private PeerFrames() {}

  static byte[] encode(PeerMessage message) {
    throw new UnsupportedOperationException("PeerCodec has not landed on branch replica yet");
  }

  static PeerMessage decode(byte[] frame) throws PeerProtocolException {
    throw new UnsupportedOperationException("PeerCodec has not landed on branch replica yet");
  }
}
