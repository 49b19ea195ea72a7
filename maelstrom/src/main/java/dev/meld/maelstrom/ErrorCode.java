package dev.meld.maelstrom;

/**
 * Maelstrom's error codes that this node sends (protocol.md, "Errors"). Definite codes promise the
 * operation did not and will not happen; the node uses them only when that is certain.
 */
enum ErrorCode {
  /** Indefinite: the operation may or may not have happened. */
  CRASH(13, false),
  /** Definite: the request is of a type this node does not serve. */
  NOT_SUPPORTED(10, true),
  /** Definite: not initialized yet, draining, or the workload is not known yet. */
  TEMPORARILY_UNAVAILABLE(11, true),
  /** Definite: the request could not have been processed as sent. */
  MALFORMED_REQUEST(12, true),
  /** Definite: refused by the replica before anything was written. */
  ABORT(14, true);

  final int code;
  final boolean definite;

  ErrorCode(int code, boolean definite) {
    this.code = code;
    this.definite = definite;
  }
}
