package dev.meld.crdt;

/**
 * Bytes that are not the canonical encoding of any state: truncated, with trailing bytes, over a
 * {@link DecodeLimits} limit, of an unknown type or format version, or not in canonical form. The
 * message names the offending value and what was expected.
 */
public final class CrdtDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CrdtDecodeException(String message) {
    super(message);
  }
}
