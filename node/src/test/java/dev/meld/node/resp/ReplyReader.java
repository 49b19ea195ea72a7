package dev.meld.node.resp;

/**
 * Reads a stream of RESP2 and RESP3 replies (as ISO-8859-1 text) the way a client does and counts
 * them, failing on anything that is not a complete, well-formed reply. Test code's check that the
 * port only ever says well-formed things, whatever it was sent.
 */
final class ReplyReader {
  private final String in;
  private int at;

  private ReplyReader(String in) {
    this.in = in;
  }

  /** How many top-level replies {@code replies} holds. */
  static int count(String replies) {
    ReplyReader r = new ReplyReader(replies);
    int n = 0;
    while (r.at < r.in.length()) {
      r.reply();
      n++;
    }
    return n;
  }

  private void reply() {
    char type = in.charAt(at++);
    switch (type) {
      case '+', '-', '_', '#', ',', '(' -> line();
      case ':' -> Long.parseLong(line());
      case '$', '=', '!' -> {
        int length = Integer.parseInt(line());
        if (length >= 0) {
          expect(at + length + 2 <= in.length(), "a bulk of " + length + " bytes");
          at += length;
          expect(in.startsWith("\r\n", at), "CRLF after a bulk");
          at += 2;
        }
      }
      case '*', '~', '>' -> {
        int length = Integer.parseInt(line());
        for (int i = 0; i < length; i++) {
          reply();
        }
      }
      case '%' -> {
        int length = Integer.parseInt(line());
        for (int i = 0; i < 2 * length; i++) {
          reply();
        }
      }
      default -> throw new AssertionError("reply type '" + type + "' at " + (at - 1) + " of " + in);
    }
  }

  private String line() {
    int end = in.indexOf("\r\n", at);
    expect(end >= 0, "a line ending in CRLF");
    String line = in.substring(at, end);
    expect(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "one line");
    at = end + 2;
    return line;
  }

  private void expect(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("expected " + what + " at " + at + " of " + in);
    }
  }
}
