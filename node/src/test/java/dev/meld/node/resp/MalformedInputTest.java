package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input that is not a request: each kind is answered with Redis' protocol error after the replies
 * owed, closes the connection, and changes no data, whether it arrives at once or a byte at a time.
 * The laws over random streams are in {@link RequestStreamPropertyTest}.
 */
@ExtendWith(NoLeaks.class)
class MalformedInputTest {

  private static final String PONG = RespTestChannel.command("PING");

  /** A malformed input, what Redis-shaped error it earns, and whether the text is exact. */
  private record Case(String input, String error) {}

  private static final List<Case> CASES =
      List.of(
          new Case(PONG + "*2\r\n*1\r\n", "expected '$', got '*'"),
          new Case("*1\r\nPING\r\n", "expected '$', got 'P'"),
          new Case("*2\r\n$3\r\nGET\r\n:1\r\n", "expected '$', got ':'"),
          new Case("*1\r\n$-1\r\n", "invalid bulk length: -1 (expected: >= 0)"),
          new Case("*1\r\n$-2\r\n", "length: -2 (expected: >= -1)"),
          new Case("$3\r\nfoo\r\n", "expected '*' or an inline command, got '$'"),
          new Case("+PING\r\n", "expected '*' or an inline command, got '+'"),
          new Case("-ERR x\r\n", "expected '*' or an inline command, got '-'"),
          new Case(":1\r\n", "expected '*' or an inline command, got ':'"),
          new Case("*2\r\n$3\r\nSET\r\n$1\r\nkX\r\n", "delimiter: [88,13] (expected: \\r\\n)"),
          new Case("*1\r\n$3\r\nabcde\r\n", "delimiter: [100,101] (expected: \\r\\n)"),
          new Case("*x\r\n", "bad byte in number: 120"),
          new Case("*99999999999999999999\r\n", "too many characters to be a valid RESP Integer"),
          new Case("SET \"a b\r\n", "unbalanced quotes in request"),
          new Case("SET a b\n", "delimiter"));

  @Test
  void eachMalformedInputIsAProtocolErrorThatChangesNothing() {
    for (Case k : CASES) {
      for (boolean byteAtATime : new boolean[] {false, true}) {
        try (RespTestChannel c = new RespTestChannel()) {
          String prefix = k.input().startsWith(PONG) ? "+PONG\r\n" : "";
          if (byteAtATime) {
            c.sendByteAtATime(k.input() + RespTestChannel.command("SET", "after", "x"));
          } else {
            c.send(k.input() + RespTestChannel.command("SET", "after", "x"));
          }
          String replies = c.read();
          assertThat(replies)
              .as("%s%s", k.input(), byteAtATime ? " a byte at a time" : "")
              .startsWith(prefix + "-ERR Protocol error: " + k.error())
              .endsWith("\r\n");
          assertThat(ReplyReader.count(replies)).isEqualTo(prefix.isEmpty() ? 1 : 2);
          assertThat(c.isOpen()).isFalse();
          assertThat(c.gateway.writes()).isEmpty();
        }
      }
    }
  }

  @Test
  void emptyArraysAndBlankLinesAreSkippedAsRedisSkipsThem() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.exchange("*0\r\n*-1\r\n\r\n   \r\n" + PONG)).isEqualTo("+PONG\r\n");
      assertThat(c.isOpen()).isTrue();
    }
  }
}
