package dev.meld.node.transport;

/**
 * Why a mesh connection is refused or closed: the code an ERROR frame carries (its ordinal plus
 * one, so 0 is never a code) and the name the counters use.
 */
enum Refusal {
  /** A frame that is not a mesh frame, too long, of an unknown type, or unexpected now. */
  PROTOCOL,
  /** A frame or message version this node does not speak. */
  VERSION,
  /** The peer belongs to another cluster. */
  CLUSTER,
  /** The peer has this node's own name. */
  SELF,
  /** The node answering at a dialed address is not the node that was dialed. */
  UNEXPECTED_NODE,
  /** Another incarnation of the peer's name is connected. */
  DUPLICATE,
  /** The shared-secret proof is missing, unexpected or wrong. */
  AUTH,
  /** The handshake did not complete in time. */
  TIMEOUT,
  /** An established inbound connection carried nothing for too long. */
  IDLE,
  /** The sender closes: it is shutting down, stops dialing, or a newer connection replaces this. */
  CLOSED,
  /**
   * The TLS handshake failed: not TLS, no certificate, or one the cluster CA did not sign. Never
   * sent in an ERROR frame (there is no channel to send it on); counted and logged only.
   */
  TLS;

  int code() {
    return ordinal() + 1;
  }

  /** The refusal with {@code code}, or {@code null} if there is none. */
  static Refusal ofCode(int code) {
    Refusal[] all = values();
    return code >= 1 && code <= all.length ? all[code - 1] : null;
  }
}
