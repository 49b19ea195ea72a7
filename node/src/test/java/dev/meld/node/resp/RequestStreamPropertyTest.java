package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.node.store.Props;
import dev.meld.node.testing.NoLeaks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/**
 * Laws of the client port over random request streams (QuickTheories; {@code
 * -Dmeld.props.examples}, a failure prints its seed and the command that replays it).
 */
@ExtendWith(NoLeaks.class)
class RequestStreamPropertyTest {

  /**
   * Law: a stream of requests gives the same replies and the same commands at the replica however
   * its bytes are split into reads.
   */
  @Test
  void anyStreamSplitAnyWayGetsTheSameReplies() {
    Gen<List<String>> requests = lists().of(request()).ofSizeBetween(1, 6);
    Props.check(
        "RequestStreamPropertyTest#anyStreamSplitAnyWayGetsTheSameReplies",
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
        "RequestStreamPropertyTest#garbageNeverReachesTheReplica",
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
