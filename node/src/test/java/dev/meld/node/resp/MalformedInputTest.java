package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.node.store.Props;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/**
 * Input that is not a request: each kind is answered with Redis' protocol error after the replies
 * owed, closes the connection, and changes no data, whether it arrives at once or a byte at a time;
 * random garbage never gets past the port.
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

  /**
   * Law: a stream of requests gives the same replies and the same commands at the replica however
   * its bytes are split into reads.
   */
  @Test
  void anyStreamSplitAnyWayGetsTheSameReplies() {
    Gen<List<String>> requests = lists().of(request()).ofSizeBetween(1, 6);
    Props.check(
        "MalformedInputTest#anyStreamSplitAnyWayGetsTheSameReplies",
        qt ->
            qt.forAll(requests, lists().of(integers().between(1, 24)).ofSizeBetween(1, 8))
                .checkAssert(
                    (reqs, cuts) -> {
                      String stream = String.join("", reqs);
                      String whole;
                      List<?> wholeCommands;
                      try (RespTestChannel c = new RespTestChannel()) {
                        whole = c.exchange(stream);
                        wholeCommands = c.gateway.executed();
                      }
                      try (RespTestChannel c = new RespTestChannel()) {
                        int at = 0;
                        int i = 0;
                        while (at < stream.length()) {
                          int end = Math.min(stream.length(), at + cuts.get(i++ % cuts.size()));
                          c.send(stream.substring(at, end));
                          at = end;
                        }
                        assertThat(c.read()).isEqualTo(whole);
                        assertThat(c.gateway.executed()).isEqualTo(wholeCommands);
                      }
                      assertThat(ReplyReader.count(whole)).isEqualTo(reqs.size());
                    }));
  }

  /**
   * Law: bytes from an alphabet that can spell no command name (RESP's punctuation, digits, blanks,
   * quotes, high bytes) never reach the replica, never break the port, and are answered only with
   * well-formed replies.
   */
  @Test
  void garbageNeverReachesTheReplica() {
    String alphabet = "*$+-:_\r\n\r\n0123456789  \"'\\x\u00ff\0%~=";
    Gen<String> garbage =
        lists()
            .of(integers().between(0, alphabet.length() - 1))
            .ofSizeBetween(0, 80)
            .map(
                ix ->
                    ix.stream()
                        .map(alphabet::charAt)
                        .map(String::valueOf)
                        .reduce("", String::concat));
    Props.check(
        "MalformedInputTest#garbageNeverReachesTheReplica",
        qt ->
            qt.forAll(garbage)
                .checkAssert(
                    input -> {
                      try (RespTestChannel c = new RespTestChannel()) {
                        String replies = c.exchange(input);
                        assertThat(c.gateway.executed()).isEmpty();
                        ReplyReader.count(replies);
                      }
                    }));
  }

  private static Gen<String> request() {
    Gen<String> word =
        lists()
            .of(integers().between(0, 255))
            .ofSizeBetween(0, 6)
            .map(
                bytes -> {
                  StringBuilder sb = new StringBuilder();
                  bytes.forEach(b -> sb.append((char) (int) b));
                  return sb.toString();
                });
    Gen<String> plain = integers().between(0, 99).map(i -> "k" + i);
    return integers()
        .between(0, 6)
        .zip(
            word,
            plain,
            (kind, w, p) -> {
              switch (kind) {
                case 0:
                  return RespTestChannel.command("SET", p, w);
                case 1:
                  return RespTestChannel.command("GET", p);
                case 2:
                  return RespTestChannel.command("SADD", p, w, p);
                case 3:
                  return RespTestChannel.command("INCRBY", p, String.valueOf(w.length()));
                case 4:
                  return "ECHO " + p + "\r\n";
                case 5:
                  return RespTestChannel.command("DEL", p, p);
                default:
                  return RespTestChannel.command("NOPE", w);
              }
            });
  }
}
