package dev.meld.node.peer;

/**
 * A peer frame that is not a valid message: truncated, oversized, of an unknown version or type, or
 * carrying a value out of range. The message names the value and the expectation. Checked, so the
 * transport decides (drop the frame and count it, or close the connection).
 */
public final class PeerProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  public PeerProtocolException(String message) {
    super(message);
  }

  public PeerProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
