package dev.meld.node.resp;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The request decoding the client port had before {@link RespRequestDecoder}, kept as the oracle of
 * {@link RespRequestDecoderDifferentialTest}: Netty's {@code RedisDecoder} (inline commands on),
 * the request guard of that time ({@link Guard}, as it was), Netty's bulk string and array
 * aggregators, and what the connection then made of their messages ({@link #outcomes}).
 */
final class NettyRequestPipeline {

  private NettyRequestPipeline() {}

  /**
   * What the old pipeline made of {@code reads}, in order: each request's arguments ({@link #args})
   * and, at most once and last, its refusal ({@link #error}). {@code client} must be of {@code ch},
   * an empty channel.
   */
  static List<String> outcomes(
      EmbeddedChannel ch, RespConfig config, Client client, List<byte[]> reads) {
    Recorder recorder = new Recorder();
    ch.pipeline()
        .addLast(
            new RedisDecoder(config.maxInlineBytes(), FixedRedisMessagePool.INSTANCE, true),
            new Guard(config, client),
            new RedisBulkStringAggregator(),
            new RedisArrayAggregator(config.maxArrayLength(), 1),
            recorder);
    try {
      for (byte[] read : reads) {
        ch.writeInbound(Unpooled.wrappedBuffer(read));
        if (recorder.refused) {
          break;
        }
      }
      return recorder.out;
    } finally {
      // What the aggregators say of a request cut by the close reaches no client.
      recorder.refused = true;
      close(ch);
    }
  }

  /**
   * What the connection made of the pipeline's messages and exceptions, in the order they came: the
   * first refusal ends it.
   */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<String> out = new ArrayList<>();
    boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!refused) {
          record(msg);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!refused && cause instanceof CodecException) {
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        out.add(error("protocol", "Protocol error: " + root.getMessage()));
        refused = true;
      }
    }

    private void record(Object msg) {
      if (msg instanceof RequestGuard.ProtocolError error) {
        out.add(error(error.reason(), error.message()));
        refused = true;
      } else if (msg instanceof InlineCommandRedisMessage inline) {
        try {
          List<byte[]> words = InlineCommand.split(inline.content());
          if (!words.isEmpty()) {
            out.add(args(words));
          }
        } catch (RespProtocolException e) {
          out.add(error("protocol", "Protocol error: " + e.getMessage()));
          refused = true;
        }
      } else if (msg instanceof ArrayRedisMessage array) {
        List<byte[]> words = new ArrayList<>();
        for (RedisMessage child : array.children()) {
          words.add(ByteBufUtil.getBytes(((FullBulkStringRedisMessage) child).content()));
        }
        if (!words.isEmpty()) {
          out.add(args(words));
        }
      } else {
        out.add(error("protocol", "Protocol error: unexpected " + msg.getClass().getSimpleName()));
        refused = true;
      }
    }
  }

  /** Closes {@code ch}, releasing what it holds; a client gone mid-request is no failure here. */
  static void close(EmbeddedChannel ch) {
    try {
      ch.finishAndReleaseAll();
    } catch (CodecException hungUpMidRequest) {
      // the array aggregator's PrematureChannelClosureException
    }
  }

  /** A request's arguments as an outcome: each as Java would escape it. */
  static String args(List<byte[]> words) {
    StringBuilder sb = new StringBuilder("args");
    for (byte[] w : words) {
      sb.append(" \"");
      for (byte b : w) {
        int c = b & 0xFF;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
          sb.append((char) c);
        } else {
          sb.append(String.format("\\x%02x", c));
        }
      }
      sb.append('"');
    }
    return sb.toString();
  }

  /** What {@link RespRequestDecoder} handed on, as an outcome of the same form. */
  static String decoded(Object msg) {
    if (msg instanceof RequestGuard.ProtocolError e) {
      return error(e.reason(), e.message());
    }
    return args(words((Args) msg));
  }

  /** The arguments of {@code args}, in order. */
  static List<byte[]> words(Args args) {
    List<byte[]> words = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      words.add(args.bytes(i));
    }
    return words;
  }

  /** A refusal as an outcome. */
  static String error(String reason, String message) {
    return "error(" + reason + ") " + message;
  }

  static final class Guard extends ChannelInboundHandlerAdapter {

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

    Guard(RespConfig config, Client client) {
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
                ? new RequestGuard.ProtocolError("budget", violation)
                : new RequestGuard.ProtocolError("protocol", "Protocol error: " + violation));
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
      long max =
          client.authenticated() ? config.maxArrayLength() : RequestGuard.UNAUTHENTICATED_MAX_ARGS;
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
      long max =
          client.authenticated() ? config.maxBulkBytes() : RequestGuard.UNAUTHENTICATED_MAX_BULK;
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
      if (msg instanceof BulkStringHeaderRedisMessage
          || msg instanceof FullBulkStringRedisMessage) {
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
}
