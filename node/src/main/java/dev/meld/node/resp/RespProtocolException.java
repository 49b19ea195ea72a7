package dev.meld.node.resp;

/**
 * Input that is not a RESP request. The connection answers {@code -ERR Protocol error: <message>}
 * after the replies it owes and then closes, as Redis does.
 */
final class RespProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RespProtocolException(String message) {
    super(message, null, false, false);
  }
}
