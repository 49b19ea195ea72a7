package dev.meld.node.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line ({@code SET "a key" 'v'}) into arguments the way Redis does: words
 * are separated by blanks; a double-quoted word understands {@code \xHH}, {@code \n}, {@code \r},
 * {@code \t}, {@code \b}, {@code \a} and any other escaped character as itself; a single-quoted
 * word understands only {@code \'}; a closing quote must end the word.
 */
final class InlineCommand {

  private InlineCommand() {}

  /**
   * The arguments of {@code line} (empty for a blank line).
   *
   * @throws RespProtocolException if a quote is not closed or is followed by a non-blank
   */
  static List<byte[]> split(String line) {
    byte[] in = line.getBytes(StandardCharsets.UTF_8);
    List<byte[]> args = new ArrayList<>();
    int i = 0;
    while (true) {
      while (i < in.length && blank(in[i])) {
        i++;
      }
      if (i == in.length) {
        return args;
      }
      ByteArrayOutputStream word = new ByteArrayOutputStream();
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      while (!done) {
        if (inDouble) {
          if (i == in.length) {
            throw unbalanced();
          }
          if (in[i] == '\\'
              && i + 3 < in.length
              && in[i + 1] == 'x'
              && hex(in[i + 2]) >= 0
              && hex(in[i + 3]) >= 0) {
            word.write(hex(in[i + 2]) * 16 + hex(in[i + 3]));
            i += 3;
          } else if (in[i] == '\\' && i + 1 < in.length) {
            i++;
            word.write(unescape(in[i]));
          } else if (in[i] == '"') {
            if (i + 1 < in.length && !blank(in[i + 1])) {
              throw unbalanced();
            }
            done = true;
          } else {
            word.write(in[i]);
          }
        } else if (inSingle) {
          if (i == in.length) {
            throw unbalanced();
          }
          if (in[i] == '\\' && i + 1 < in.length && in[i + 1] == '\'') {
            i++;
            word.write('\'');
          } else if (in[i] == '\'') {
            if (i + 1 < in.length && !blank(in[i + 1])) {
              throw unbalanced();
            }
            done = true;
          } else {
            word.write(in[i]);
          }
        } else if (i == in.length || blank(in[i])) {
          done = true;
        } else if (in[i] == '"') {
          inDouble = true;
        } else if (in[i] == '\'') {
          inSingle = true;
        } else {
          word.write(in[i]);
        }
        if (i < in.length) {
          i++;
        }
      }
      args.add(word.toByteArray());
    }
  }

  private static boolean blank(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0;
  }

  private static int unescape(byte b) {
    switch (b) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'a':
        return 7;
      default:
        return b;
    }
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  private static RespProtocolException unbalanced() {
    return new RespProtocolException("unbalanced quotes in request");
  }
}
