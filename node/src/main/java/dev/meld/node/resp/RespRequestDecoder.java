package dev.meld.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a client's requests straight from its bytes into {@link Args}: RESP arrays of bulk strings
 * and inline commands, each argument copied once out of the inbound buffer. On the first request
 * that breaks a rule it hands on one {@link RequestGuard.ProtocolError} in its place and then drops
 * everything, so the replies owed for earlier requests still go first.
 *
 * <p>It keeps the rules (and the error texts) of the Netty pipeline it replaces ({@code
 * RedisDecoder} with inline commands, the request guard and the aggregators):
 *
 * <ul>
 *   <li>A line (an inline command, a {@code +}, {@code -} or {@code :} value, a length after {@code
 *       *} or {@code $}) ends in CRLF. An inline line still waiting for its end may hold {@code
 *       maxInlineBytes} ({@code length: N (expected: <= max)}, N the bytes buffered), a whole one
 *       too ({@code inline request too big}, counted as the UTF-8 of the line decoded); a length
 *       line waiting for its end at most 21 bytes.
 *   <li>Lengths are Netty's RESP integers (at most 19 digits, an optional minus), at least -1; a
 *       bulk string at most 512 MiB. {@code *0} and {@code *-1} are skipped, as Redis does.
 *   <li>A request is an array of non-null bulk strings or an inline command (split by {@link
 *       InlineCommand}); anything else is refused as {@code expected '*' or an inline command, got
 *       'c'} or {@code expected '$', got 'c'}.
 *   <li>Array and bulk lengths go through the connection's {@link RequestGuard} (limits, the
 *       unauthenticated limits, the node-wide budget) the moment they are read, before anything is
 *       allocated for them; an array's list starts small and grows only as its arguments arrive.
 * </ul>
 *
 * <p>The state is kept across reads: a bulk string's bytes are copied into its array (allocated
 * once its length passed the guard) as they arrive, and a line's end is searched only in the bytes
 * not yet searched, so a request split into many reads costs what it would in one. One request is
 * handed on per call of {@link #decode}, so the connection has handled it (an {@code AUTH}, say)
 * before the next one's lengths are checked.
 */
final class RespRequestDecoder extends ByteToMessageDecoder {

  /** Netty's largest bulk string, 512 MiB, refused before any limit of ours is looked at. */
  static final int MAX_BULK_LENGTH = 512 * 1024 * 1024;

  /** The digits of a RESP integer, without its sign: those of {@link Long#MAX_VALUE}. */
  private static final int MAX_DIGITS = 19;

  private static final byte[] EMPTY = new byte[0];

  /** What a line that starts where the reader is ends in a bare LF costs Netty: its exception. */
  private static final String LINE_AT_LF =
      "java.lang.IllegalArgumentException: minimumReadableBytes : -1 (expected: >= 0)";

  private enum State {
    /** Before a request, or before the next argument of one. */
    TYPE,
    /** In an inline command, or a {@code +}, {@code -} or {@code :} line ({@link #lineType}). */
    LINE,
    /** In the length line after {@code *} or {@code $} ({@link #lineType}). */
    LENGTH,
    /** After {@code $0}: waiting for its CRLF. */
    EMPTY_BULK,
    /** Copying a bulk string's bytes into {@link #bulk}. */
    BULK,
    /** After a bulk string's bytes: waiting for its CRLF. */
    BULK_END,
    /** Refused: everything after is dropped. */
    FAILED
  }

  private final RespConfig config;
  private final RequestGuard guard;
  private State state = State.TYPE;

  /** The type byte of the line being read; 0 for an inline command. */
  private byte lineType;

  /** Bytes of the current line, from the reader index, known to hold no LF. */
  private int searched;

  /** The arguments of the array being read, null between requests. */
  private List<byte[]> args;

  private long argumentsLeft;
  private byte[] bulk;
  private int bulkFilled;

  /** What a step of {@link #decode} completed: {@link Args}, a refusal, or null. */
  private Object decoded;

  RespRequestDecoder(RespConfig config, Client client) {
    this.config = config;
    this.guard = new RequestGuard(config, client);
  }

  /** Thrown inside this decoder for a malformed request; turned into its protocol error. */
  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (decoded == null && step(in)) {
        // each step either completes something, takes bytes, or waits for more
      }
    } catch (Malformed e) {
      decoded = RequestGuard.ProtocolError.protocol(e.getMessage());
    }
    if (decoded == null) {
      return;
    }
    if (decoded instanceof RequestGuard.ProtocolError) {
      state = State.FAILED;
      args = null;
      bulk = null;
      guard.giveBack();
      in.skipBytes(in.readableBytes());
    }
    out.add(decoded);
    decoded = null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx); // decodes what is left first, which may take from the budget
    } finally {
      guard.giveBack();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    guard.giveBack();
  }

  /** One step; false when it needs more bytes. */
  private boolean step(ByteBuf in) {
    switch (state) {
      case TYPE:
        return type(in);
      case LINE:
        return line(in);
      case LENGTH:
        return length(in);
      case EMPTY_BULK:
        return emptyBulk(in);
      case BULK:
        return bulk(in);
      case BULK_END:
      default:
        return bulkEnd(in);
    }
  }

  private boolean type(ByteBuf in) {
    if (!in.isReadable()) {
      return false;
    }
    byte b = in.getByte(in.readerIndex());
    searched = 0;
    switch (b) {
      case '*', '$' -> {
        in.skipBytes(1);
        lineType = b;
        state = State.LENGTH;
      }
      case '+', '-', ':' -> {
        in.skipBytes(1);
        lineType = b;
        state = State.LINE;
      }
      default -> {
        lineType = 0; // an inline command: its first byte is its own
        state = State.LINE;
      }
    }
    return true;
  }

  /**
   * The index of the LF ending the line that starts at the reader index, once it has arrived and
   * passed Netty's checks (a CR before it); -1 while it has not. Bytes are searched once.
   */
  private int lineEnd(ByteBuf in) {
    if (in.readableBytes() < 2) {
      return -1;
    }
    int start = in.readerIndex();
    int lf = in.indexOf(start + searched, in.writerIndex(), (byte) '\n');
    if (lf < 0) {
      searched = in.readableBytes();
      return -1;
    }
    if (lf == start) {
      throw new Malformed(LINE_AT_LF);
    }
    byte cr = in.getByte(lf - 1);
    if (cr != '\r') {
      throw new Malformed(delimiter(cr, (byte) '\n'));
    }
    return lf;
  }

  private boolean line(ByteBuf in) {
    int lf = lineEnd(in);
    if (lf < 0) {
      if (in.readableBytes() > config.maxInlineBytes()) {
        throw new Malformed(
            "length: " + in.readableBytes() + " (expected: <= " + config.maxInlineBytes() + ")");
      }
      return false;
    }
    int start = in.readerIndex();
    int length = lf - 1 - start;
    if (lineType == ':') {
      parseNumber(in, start, length); // Netty reads the integer, and refuses a bad one, first
    }
    String text = lineType == 0 ? in.toString(start, length, StandardCharsets.UTF_8) : null;
    in.readerIndex(lf + 1);
    state = State.TYPE;
    if (lineType != 0) {
      decoded = unexpected((char) lineType);
      return true;
    }
    if (args != null) {
      decoded = unexpected(text.isEmpty() ? '?' : text.charAt(0));
      return true;
    }
    int bytes = ByteBufUtil.utf8Bytes(text);
    if (bytes > config.maxInlineBytes()) {
      decoded =
          RequestGuard.ProtocolError.protocol(
              "inline request too big: "
                  + bytes
                  + " bytes (expected: <= "
                  + config.maxInlineBytes()
                  + ")");
      return true;
    }
    List<byte[]> words;
    try {
      words = InlineCommand.split(text);
    } catch (RespProtocolException e) {
      decoded = RequestGuard.ProtocolError.protocol(e.getMessage());
      return true;
    }
    if (!words.isEmpty()) {
      decoded = new Args(words); // a blank line is skipped
    }
    return true;
  }

  private boolean length(ByteBuf in) {
    int lf = lineEnd(in);
    if (lf < 0) {
      int buffered = in.readableBytes();
      if (buffered > MAX_DIGITS) {
        boolean negative = in.getByte(in.readerIndex()) == '-';
        if (buffered > MAX_DIGITS + (negative ? 1 : 0) + 1) {
          throw new Malformed("too many characters to be a valid RESP Integer: " + buffered);
        }
      }
      return false;
    }
    int start = in.readerIndex();
    long length = parseNumber(in, start, lf - 1 - start);
    in.readerIndex(lf + 1);
    if (length < -1) {
      throw new Malformed("length: " + length + " (expected: >= -1)");
    }
    state = State.TYPE;
    if (lineType == '*') {
      return arrayLength(length);
    }
    if (length > MAX_BULK_LENGTH) {
      throw new Malformed("length: " + length + " (expected: <= " + MAX_BULK_LENGTH + ")");
    }
    if (length == 0) {
      state = State.EMPTY_BULK; // checked once its CRLF is there, as Netty hands it on only then
      return true;
    }
    if (args == null) {
      decoded = unexpected('$');
    } else if (length == -1) {
      decoded = RequestGuard.ProtocolError.protocol("invalid bulk length: -1 (expected: >= 0)");
    } else {
      decoded = guard.argument(length);
      if (decoded == null) {
        bulk = new byte[(int) length];
        bulkFilled = 0;
        state = State.BULK;
      }
    }
    return true;
  }

  private boolean arrayLength(long length) {
    if (args != null) {
      decoded = unexpected('*');
    } else if (length > 0) {
      decoded = guard.array(length);
      if (decoded == null) {
        args = new ArrayList<>((int) Math.min(length, 16));
        argumentsLeft = length;
      }
    }
    return true; // *0 and *-1 are skipped
  }

  private boolean emptyBulk(ByteBuf in) {
    if (!crlf(in)) {
      return false;
    }
    if (args == null) {
      decoded = unexpected('$');
    } else {
      decoded = guard.argument(0);
      if (decoded == null) {
        argumentDone(EMPTY);
      }
    }
    return true;
  }

  private boolean bulk(ByteBuf in) {
    int n = Math.min(bulk.length - bulkFilled, in.readableBytes());
    if (n == 0) {
      return false;
    }
    in.readBytes(bulk, bulkFilled, n);
    bulkFilled += n;
    if (bulkFilled == bulk.length) {
      state = State.BULK_END;
    }
    return true;
  }

  private boolean bulkEnd(ByteBuf in) {
    if (!crlf(in)) {
      return false;
    }
    byte[] done = bulk;
    bulk = null;
    argumentDone(done);
    return true;
  }

  /** Takes the CRLF at the reader index: false if it has not arrived, refused if it is not one. */
  private static boolean crlf(ByteBuf in) {
    if (in.readableBytes() < 2) {
      return false;
    }
    int at = in.readerIndex();
    byte first = in.getByte(at);
    byte second = in.getByte(at + 1);
    if (first != '\r' || second != '\n') {
      throw new Malformed(delimiter(first, second));
    }
    in.skipBytes(2);
    return true;
  }

  private void argumentDone(byte[] argument) {
    args.add(argument);
    state = State.TYPE;
    if (--argumentsLeft == 0) {
      decoded = new Args(args);
      args = null;
      guard.giveBack(); // handed on: the connection holds it now
    }
  }

  /** A value that cannot stand where it does: an array's argument must be a bulk string. */
  private RequestGuard.ProtocolError unexpected(char type) {
    return RequestGuard.ProtocolError.protocol(
        args == null
            ? "expected '*' or an inline command, got '" + type + "'"
            : "expected '$', got '" + type + "'");
  }

  /**
   * Netty's RESP integer at {@code [start, start + length)}: an optional minus and at most 19
   * digits; more digits wrap around as Netty's do (and are then usually refused as a length).
   */
  private static long parseNumber(ByteBuf in, int start, int length) {
    boolean negative = length > 0 && in.getByte(start) == '-';
    int sign = negative ? 1 : 0;
    if (length <= sign) {
      throw new Malformed(
          "no number to parse: " + in.toString(start, length, StandardCharsets.US_ASCII));
    }
    if (length > MAX_DIGITS + sign) {
      throw new Malformed(
          "too many characters to be a valid RESP Integer: "
              + in.toString(start, length, StandardCharsets.US_ASCII));
    }
    long value = 0;
    for (int i = start + sign; i < start + length; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw new Malformed("bad byte in number: " + b);
      }
      value = value * 10 + (b - '0');
    }
    return negative ? -value : value;
  }

  private static String delimiter(byte first, byte second) {
    return "delimiter: [" + first + "," + second + "] (expected: \\r\\n)";
  }
}
