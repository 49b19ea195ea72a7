package dev.meld.node.resp;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between Netty's {@link RedisDecoder} and the aggregators and lets through only what a
 * request may be: an inline command within {@code maxInlineBytes}, or an array of bulk strings
 * within the limits. It sees every
 * length before anything is allocated for it, so no array list or bulk buffer is ever sized from a
 * number the client chose beyond {@link RespConfig}'s limits. Until the client has authenticated
 * (when a password is set) it applies Redis' tighter limits: 10 arguments, 16 KiB per bulk string.
 *
 * <p>A request announcing more than {@link RespConfig#UNCOUNTED_REQUEST_BYTES} takes the excess
 * from the port's node-wide budget ({@link RespConfig#maxUnfinishedRequestBytes()}) as each length
 * arrives, before its bytes are read, and gives it back once the request is handed on or the
 * connection ends. A request the budget cannot take is refused like a protocol error (with its own
 * message and the reason {@code budget}), so a crowd of connections each holding half a huge
 * request cannot exhaust the node's memory.
 *
 * <p>On the first violation it forwards a {@link ProtocolError} in place of the message (so the
 * replies owed for earlier requests still go first) and drops everything after it.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {

  /** Redis' limits for a client that still has to authenticate. */
  static final int UNAUTHENTICATED_MAX_ARGS = 10;

  static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;

  /**
   * Where a refusal stands in the stream of requests.
   *
   * @param reason the metrics label: {@code protocol} or {@code budget}
   * @param message the error after {@code ERR }
   */
  record ProtocolError(String reason, String message) {}

  private enum State {
    /** Between requests. */
    REQUEST,
    /** Inside an array, before an argument. */
    ARGUMENT,
    /** Inside a bulk string's content. */
    BULK
  }

  private final RespConfig config;
  private final Client client;
  private State state = State.REQUEST;
  private long argumentsLeft;
  private long requestBytes;
  /** What the current request holds of the node-wide budget. */
  private long reserved;
  private boolean overBudget;
  private boolean failed;

  RequestGuard(RespConfig config, Client client) {
    this.config = config;
    this.client = client;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    String violation;
    try {
      violation = check(msg);
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(msg);
      throw e;
    }
    if (violation == null) {
      ctx.fireChannelRead(msg);
      if (state == State.REQUEST) {
        giveBack(); // the aggregators handed the whole request on and hold nothing of it now
      }
    } else {
      ReferenceCountUtil.release(msg);
      failed = true;
      giveBack();
      ctx.fireChannelRead(
          overBudget
              ? new ProtocolError("budget", violation)
              : new ProtocolError("protocol", "Protocol error: " + violation));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    giveBack();
  }

  private void giveBack() {
    if (reserved > 0) {
      client.server.releaseUnfinished(reserved);
      reserved = 0;
    }
  }

  /** Advances the state for {@code msg}; the protocol error it causes, or null. */
  private String check(Object msg) {
    switch (state) {
      case REQUEST:
        return request(msg);
      case ARGUMENT:
        return argument(msg);
      case BULK:
      default:
        if (!(msg instanceof BulkStringRedisContent)) {
          return "unexpected " + msg.getClass().getSimpleName() + " inside a bulk string";
        }
        if (msg instanceof LastBulkStringRedisContent) {
          argumentDone();
        }
        return null;
    }
  }

  private String request(Object msg) {
    if (msg instanceof InlineCommandRedisMessage inline) {
      // Netty checks maxInlineBytes only against a line still waiting for its CRLF: a longer line
      // that arrives whole in one read gets through it. Counted as the UTF-8 of the line as
      // decoded, so an invalid byte (now U+FFFD) counts 3.
      int length = ByteBufUtil.utf8Bytes(inline.content());
      if (length > config.maxInlineBytes()) {
        return "inline request too big: "
            + length
            + " bytes (expected: <= "
            + config.maxInlineBytes()
            + ")";
      }
      return null;
    }
    if (!(msg instanceof ArrayHeaderRedisMessage header)) {
      return "expected '*' or an inline command, got '" + typeOf(msg) + "'";
    }
    if (header.isNull() || header.length() <= 0) {
      return null; // Redis skips *0 and *-1; the aggregator turns them into empty arrays
    }
    long max = client.authenticated() ? config.maxArrayLength() : UNAUTHENTICATED_MAX_ARGS;
    if (header.length() > max) {
      return "invalid multibulk length: " + header.length() + " (expected: <= " + max + ")";
    }
    argumentsLeft = header.length();
    requestBytes = 0;
    state = State.ARGUMENT;
    return null;
  }

  private String argument(Object msg) {
    long length;
    if (msg instanceof BulkStringHeaderRedisMessage header) {
      length = header.bulkStringLength();
    } else if (msg instanceof FullBulkStringRedisMessage full) {
      if (full.isNull()) {
        return "invalid bulk length: -1 (expected: >= 0)";
      }
      length = full.content().readableBytes();
    } else {
      return "expected '$', got '" + typeOf(msg) + "'";
    }
    long max = client.authenticated() ? config.maxBulkBytes() : UNAUTHENTICATED_MAX_BULK;
    if (length > max) {
      return "invalid bulk length: " + length + " (expected: <= " + max + ")";
    }
    requestBytes += length + RespConfig.ARGUMENT_OVERHEAD_BYTES;
    if (requestBytes > config.maxRequestBytes()) {
      return "request too big: more than "
          + requestBytes
          + " bytes (expected: <= "
          + config.maxRequestBytes()
          + ")";
    }
    long counted = requestBytes - RespConfig.UNCOUNTED_REQUEST_BYTES;
    if (counted > reserved) {
      if (!client.server.reserveUnfinished(counted - reserved)) {
        overBudget = true;
        return "request refused: unfinished requests on this node would hold "
            + (client.server.unfinishedBytes() + counted - reserved)
            + " bytes with this one (expected: <= "
            + config.maxUnfinishedRequestBytes()
            + "); retry later";
      }
      reserved = counted;
    }
    if (msg instanceof FullBulkStringRedisMessage) {
      argumentDone();
    } else {
      state = State.BULK;
    }
    return null;
  }

  private void argumentDone() {
    argumentsLeft--;
    state = argumentsLeft == 0 ? State.REQUEST : State.ARGUMENT;
  }

  /** The RESP type byte that starts {@code msg}, as Redis names it in its errors. */
  private static char typeOf(Object msg) {
    if (msg instanceof ArrayHeaderRedisMessage) {
      return '*';
    }
    if (msg instanceof BulkStringHeaderRedisMessage || msg instanceof FullBulkStringRedisMessage) {
      return '$';
    }
    if (msg instanceof SimpleStringRedisMessage) {
      return '+';
    }
    if (msg instanceof ErrorRedisMessage) {
      return '-';
    }
    if (msg instanceof IntegerRedisMessage) {
      return ':';
    }
    if (msg instanceof InlineCommandRedisMessage inline && !inline.content().isEmpty()) {
      return inline.content().charAt(0);
    }
    return '?';
  }
}
