package dev.meld.node.resp;

/**
 * The limits one connection's requests must keep, checked by {@link RespRequestDecoder} for every
 * length before anything is allocated for it, so that no argument list or array is ever sized from
 * a number the client chose beyond {@link RespConfig}'s limits. Until the client has authenticated
 * (when a password is set) it applies Redis' tighter limits: 10 arguments, 16 KiB per bulk string.
 *
 * <p>A request announcing more than {@link RespConfig#UNCOUNTED_REQUEST_BYTES} takes the excess
 * from the port's node-wide budget ({@link RespConfig#maxUnfinishedRequestBytes()}) as each length
 * arrives, before its bytes are read, and gives it back ({@link #giveBack}) once the request is
 * handed on or the connection ends. A request the budget cannot take is refused like a protocol
 * error (with its own message and the reason {@code budget}), so a crowd of connections each
 * holding half a huge request cannot exhaust the node's memory.
 *
 * <p>Used on the connection's event loop only.
 */
final class RequestGuard {

  /** Redis' limits for a client that still has to authenticate. */
  static final int UNAUTHENTICATED_MAX_ARGS = 10;

  static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;

  /**
   * Where a refusal stands in the stream of requests: the decoder hands it on in place of the
   * request (so the replies owed for earlier requests still go first) and nothing after it.
   *
   * @param reason the metrics label: {@code protocol} or {@code budget}
   * @param message the error after {@code ERR }
   */
  record ProtocolError(String reason, String message) {

    /** A malformed or oversized request: {@code Protocol error: what}. */
    static ProtocolError protocol(String what) {
      return new ProtocolError("protocol", "Protocol error: " + what);
    }
  }

  private final RespConfig config;
  private final Client client;

  /** What the current request counts so far, {@link RespConfig#ARGUMENT_OVERHEAD_BYTES} a piece. */
  private long requestBytes;

  /** What the current request holds of the node-wide budget. */
  private long reserved;

  RequestGuard(RespConfig config, Client client) {
    this.config = config;
    this.client = client;
  }

  /** Starts a request of {@code length} (at least 1) arguments; the refusal, or null. */
  ProtocolError array(long length) {
    long max = client.authenticated() ? config.maxArrayLength() : UNAUTHENTICATED_MAX_ARGS;
    if (length > max) {
      return ProtocolError.protocol(
          "invalid multibulk length: " + length + " (expected: <= " + max + ")");
    }
    if (length > config.maxArrayLength()) {
      // Redis' 10 before AUTH above a smaller configured limit: Netty's array aggregator refused
      // it, in its own words, and so does this.
      return ProtocolError.protocol(
          "this codec doesn't support longer length than " + config.maxArrayLength());
    }
    requestBytes = 0;
    return null;
  }

  /**
   * Counts an argument of {@code length} bytes (at least 0) into the current request, taking from
   * the node-wide budget what the request now holds beyond the uncounted part; the refusal, or
   * null.
   */
  ProtocolError argument(long length) {
    long max = client.authenticated() ? config.maxBulkBytes() : UNAUTHENTICATED_MAX_BULK;
    if (length > max) {
      return ProtocolError.protocol(
          "invalid bulk length: " + length + " (expected: <= " + max + ")");
    }
    requestBytes += length + RespConfig.ARGUMENT_OVERHEAD_BYTES;
    if (requestBytes > config.maxRequestBytes()) {
      return ProtocolError.protocol(
          "request too big: more than "
              + requestBytes
              + " bytes (expected: <= "
              + config.maxRequestBytes()
              + ")");
    }
    long counted = requestBytes - RespConfig.UNCOUNTED_REQUEST_BYTES;
    if (counted > reserved) {
      if (!client.server.reserveUnfinished(counted - reserved)) {
        return new ProtocolError(
            "budget",
            "request refused: unfinished requests on this node would hold "
                + (client.server.unfinishedBytes() + counted - reserved)
                + " bytes with this one (expected: <= "
                + config.maxUnfinishedRequestBytes()
                + "); retry later");
      }
      reserved = counted;
    }
    return null;
  }

  /** Gives back what the current request holds of the budget: it is handed on, refused or gone. */
  void giveBack() {
    if (reserved > 0) {
      client.server.releaseUnfinished(reserved);
      reserved = 0;
    }
  }
}
