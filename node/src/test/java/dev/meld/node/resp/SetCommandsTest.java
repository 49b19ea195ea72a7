package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.testing.NoLeaks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SSCAN; SMEMBERS is a RESP3 set after HELLO 3.
 */
@ExtendWith(NoLeaks.class)
class SetCommandsTest {

  @Test
  void addRemoveAndRead() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("SADD", "s", "b", "a", "c", "a")).isEqualTo(":3\r\n");
      assertThat(c.call("SADD", "s", "a")).isEqualTo(":0\r\n");
      assertThat(c.call("SREM", "s", "a", "zz")).isEqualTo(":1\r\n");
      assertThat(c.call("SCARD", "s")).isEqualTo(":2\r\n");
      assertThat(c.call("SISMEMBER", "s", "b")).isEqualTo(":1\r\n");
      assertThat(c.call("SISMEMBER", "s", "a")).isEqualTo(":0\r\n");
      assertThat(c.call("SMEMBERS", "s")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
      assertThat(c.call("SMEMBERS", "none")).isEqualTo("*0\r\n");
      assertThat(c.call("SCARD", "none")).isEqualTo(":0\r\n");
    }
  }

  @Test
  void membersAreASetInResp3() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SADD", "s", "x", "y");
      c.call("HELLO", "3");
      assertThat(c.call("SMEMBERS", "s")).isEqualTo("~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
      assertThat(c.call("SISMEMBER", "s", "x")).isEqualTo(":1\r\n");
      assertThat(c.call("SMEMBERS", "none")).isEqualTo("~0\r\n");
    }
  }

  @Test
  void otherTypesAreWrongType() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "r", "v");
      c.call("INCR", "n");
      String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
      assertThat(c.call("SADD", "r", "x")).isEqualTo(wrongType);
      assertThat(c.call("SMEMBERS", "n")).isEqualTo(wrongType);
      assertThat(c.call("SCARD", "r")).isEqualTo(wrongType);
      assertThat(c.call("SISMEMBER", "n", "x")).isEqualTo(wrongType);
      assertThat(c.call("SREM", "r", "x")).isEqualTo(wrongType);
    }
  }

  @Test
  void arityIsChecked() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("SADD", "s"))
          .isEqualTo("-ERR wrong number of arguments for 'sadd' command\r\n");
      assertThat(c.call("SREM", "s"))
          .isEqualTo("-ERR wrong number of arguments for 'srem' command\r\n");
      assertThat(c.call("SISMEMBER", "s"))
          .isEqualTo("-ERR wrong number of arguments for 'sismember' command\r\n");
      assertThat(c.call("SMEMBERS"))
          .isEqualTo("-ERR wrong number of arguments for 'smembers' command\r\n");
      assertThat(c.call("SCARD", "a", "b"))
          .isEqualTo("-ERR wrong number of arguments for 'scard' command\r\n");
      assertThat(c.call("SMISMEMBER", "s"))
          .isEqualTo("-ERR wrong number of arguments for 'smismember' command\r\n");
      assertThat(c.call("SSCAN", "s"))
          .isEqualTo("-ERR wrong number of arguments for 'sscan' command\r\n");
      assertThat(c.gateway.executed()).isEmpty();
    }
  }

  @Test
  void smismemberAnswersEachMemberInOrder() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SADD", "s", "a", "b");
      assertThat(c.call("SMISMEMBER", "s", "b", "zz", "a", "b"))
          .isEqualTo("*4\r\n:1\r\n:0\r\n:1\r\n:1\r\n");
      assertThat(c.call("SMISMEMBER", "none", "a", "b")).isEqualTo("*2\r\n:0\r\n:0\r\n");
      c.call("HELLO", "3");
      assertThat(c.call("SMISMEMBER", "s", "zz", "a")).isEqualTo("*2\r\n:0\r\n:1\r\n");
      c.call("SET", "r", "v");
      assertThat(c.call("SMISMEMBER", "r", "a"))
          .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
      assertThat(c.gateway.executed())
          .contains(
              new Command.SetContainsEach(
                  Bytes.utf8("s"), List.of(Bytes.utf8("zz"), Bytes.utf8("a"))));
    }
  }

  @Test
  void sscanWalksTheWholeSetInSteps() {
    try (RespTestChannel c = new RespTestChannel()) {
      List<String> members = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        members.add("m" + i);
      }
      List<String> sadd = new ArrayList<>(List.of("SADD", "s"));
      sadd.addAll(members);
      c.call(sadd.toArray(String[]::new));
      Set<String> seen = new HashSet<>();
      String cursor = "0";
      int calls = 0;
      do {
        Step step = Step.parse(c.call("SSCAN", "s", cursor, "COUNT", "4"));
        seen.addAll(step.members);
        cursor = step.cursor;
        calls++;
      } while (!cursor.equals("0") && calls < 50);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(members);
      assertThat(calls).isBetween(7, 8); // 25 members, 4 examined per call
    }
  }

  @Test
  void sscanMatchFiltersWithRedisGlobs() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SADD", "s", "hello", "hallo", "hxllo", "hllo", "heeello", "h*llo");
      assertThat(Step.parse(c.call("SSCAN", "s", "0", "MATCH", "h[ae]llo", "COUNT", "100")))
          .isEqualTo(new Step("0", Set.of("hello", "hallo")));
      assertThat(Step.parse(c.call("SSCAN", "s", "0", "MATCH", "h\\*llo", "COUNT", "100")))
          .isEqualTo(new Step("0", Set.of("h*llo")));
      assertThat(Step.parse(c.call("SSCAN", "s", "0", "MATCH", "h*llo", "COUNT", "100")).members)
          .hasSize(6);
      assertThat(Step.parse(c.call("SSCAN", "s", "0", "match", "nothing*", "count", "100")))
          .isEqualTo(new Step("0", Set.of()));
    }
  }

  /** Redis' exact bytes: a missing key is an empty finished scan, in RESP2 and RESP3 alike. */
  @Test
  void sscanRepliesAreArraysInBothProtocols() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("SSCAN", "none", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
      c.call("SADD", "s", "x");
      assertThat(c.call("SSCAN", "s", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
      c.call("HELLO", "3");
      assertThat(c.call("SSCAN", "s", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
      c.call("INCR", "n");
      assertThat(c.call("SSCAN", "n", "0"))
          .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    }
  }

  /** Cursors at and beyond 2^63 are unsigned decimals, as Redis writes them. */
  @Test
  void scanCursorIsWrittenUnsigned() {
    assertThat(Replies.toResp(new Reply.Scan(Long.MIN_VALUE, List.of(Bytes.utf8("m")))))
        .isEqualTo(
            RespValue.Array.of(
                RespValue.Bulk.of("9223372036854775808"),
                RespValue.Array.of(new RespValue.Bulk(Bytes.utf8("m")))));
    assertThat(Replies.toResp(new Reply.Scan(-1L, List.of())))
        .isEqualTo(
            RespValue.Array.of(RespValue.Bulk.of("18446744073709551615"), RespValue.Array.EMPTY));
    assertThat(Replies.toResp(new Reply.Ints(List.of(1L, 0L))))
        .isEqualTo(RespValue.Array.of(new RespValue.Int(1), new RespValue.Int(0)));
  }

  @Test
  void sscanOptionsAsRedisReadsThem() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(scanned(c, "SSCAN", "s", "0")).isEqualTo(scan(0, 10, null));
      assertThat(scanned(c, "SSCAN", "s", "7", "MATCH", "a*", "COUNT", "3"))
          .isEqualTo(scan(7, 3, "a*"));
      assertThat(scanned(c, "SSCAN", "s", "7", "count", "3", "match", "a*"))
          .isEqualTo(scan(7, 3, "a*"));
      // repeated options: the last one counts
      assertThat(
              scanned(
                  c, "SSCAN", "s", "0", "MATCH", "a*", "COUNT", "3", "MATCH", "b?", "COUNT", "5"))
          .isEqualTo(scan(0, 5, "b?"));
      // a lone star is no pattern at all; two stars are a pattern
      assertThat(scanned(c, "SSCAN", "s", "0", "MATCH", "*")).isEqualTo(scan(0, 10, null));
      assertThat(scanned(c, "SSCAN", "s", "0", "MATCH", "**")).isEqualTo(scan(0, 10, "**"));
      assertThat(scanned(c, "SSCAN", "s", "0", "COUNT", "99999999999"))
          .isEqualTo(scan(0, Integer.MAX_VALUE, null));
    }
  }

  /** Redis' string2ull: canonical digits, or whatever C's strtoull reads whole. */
  @Test
  void sscanCursorsAsRedisReadsThem() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(scanned(c, "SSCAN", "s", "9223372036854775808").cursor())
          .isEqualTo(Long.MIN_VALUE);
      assertThat(scanned(c, "SSCAN", "s", "18446744073709551615").cursor()).isEqualTo(-1L);
      assertThat(scanned(c, "SSCAN", "s", "+5").cursor()).isEqualTo(5);
      assertThat(scanned(c, "SSCAN", "s", " \t5").cursor()).isEqualTo(5);
      assertThat(scanned(c, "SSCAN", "s", "007").cursor()).isEqualTo(7);
      assertThat(scanned(c, "SSCAN", "s", "-0").cursor()).isEqualTo(0);
      assertThat(scanned(c, "SSCAN", "s", " -1").cursor()).isEqualTo(-1L); // strtoull wraps
      assertThat(scanned(c, "SSCAN", "s", "000000000000000000000000042").cursor()).isEqualTo(42);
    }
  }

  @Test
  void sscanRefusesBadArgumentsInRedisWords() {
    try (RespTestChannel c = new RespTestChannel()) {
      String invalidCursor = "-ERR invalid cursor\r\n";
      for (String cursor :
          List.of(
              "x",
              "",
              "-1",
              "-9223372036854775808",
              "18446744073709551616",
              "1.5",
              "5 ",
              "0x10",
              "+",
              " ",
              "- 1",
              "5\0")) {
        assertThat(c.call("SSCAN", "s", cursor, "COUNT", "5"))
            .as("cursor '%s'", cursor)
            .isEqualTo(invalidCursor);
      }
      String syntax = "-ERR syntax error\r\n";
      assertThat(c.call("SSCAN", "s", "0", "COUNT", "0")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "COUNT", "-3")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "COUNT")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "MATCH")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "COUNT", "5", "MATCH")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "TYPE", "set")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "LIMIT", "5")).isEqualTo(syntax);
      assertThat(c.call("SSCAN", "s", "0", "COUNT", "x"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("SSCAN", "s", "0", "COUNT", "99999999999999999999"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("SSCAN", "s", "0", "NOVALUES"))
          .isEqualTo("-ERR NOVALUES option can only be used in HSCAN\r\n");
      // the cursor is read before the options, as in Redis
      assertThat(c.call("SSCAN", "s", "x", "COUNT", "0")).isEqualTo(invalidCursor);
      assertThat(c.call("SSCAN", "s", "0", "MATCH", "?".repeat(1025)))
          .isEqualTo("-ERR MATCH pattern: 1025 bytes (expected: <= 1024)\r\n");
      assertThat(c.gateway.executed()).isEmpty();
      // a long pattern later replaced by a short one is no error
      assertThat(c.call("SSCAN", "s", "0", "MATCH", "?".repeat(1025), "MATCH", "a"))
          .isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
    }
  }

  @Test
  void commandInfoAndDocsDescribeTheNewCommands() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("COMMAND", "INFO", "smismember", "sscan"))
          .isEqualTo(
              "*2\r\n*10\r\n$10\r\nsmismember\r\n:-3\r\n*2\r\n+readonly\r\n+fast\r\n"
                  + ":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@set\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n"
                  + "*10\r\n$5\r\nsscan\r\n:-3\r\n*1\r\n+readonly\r\n"
                  + ":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@set\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n");
      String docs = c.call("COMMAND", "DOCS", "sscan");
      assertThat(docs)
          .contains("$5\r\nsince\r\n$5\r\n2.8.0\r\n$5\r\ngroup\r\n$3\r\nset\r\n")
          .contains(
              "$4\r\nname\r\n$7\r\npattern\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
                  + "$5\r\ntoken\r\n$5\r\nMATCH\r\n$5\r\nflags\r\n*1\r\n+optional\r\n")
          .contains(
              "$4\r\nname\r\n$5\r\ncount\r\n$4\r\ntype\r\n$7\r\ninteger\r\n"
                  + "$5\r\ntoken\r\n$5\r\nCOUNT\r\n$5\r\nflags\r\n*1\r\n+optional\r\n");
      assertThat(c.call("COMMAND", "DOCS", "smismember"))
          .contains("$5\r\nsince\r\n$5\r\n6.2.0\r\n")
          .contains("$5\r\nflags\r\n*1\r\n+multiple\r\n");
    }
  }

  /** The last command the channel handed to the gateway, after a call that must succeed. */
  private static Command.SetScan scanned(RespTestChannel c, String... words) {
    String reply = c.call(words);
    assertThat(reply).as("reply to %s", List.of(words)).startsWith("*2\r\n");
    List<Command> executed = c.gateway.executed();
    return (Command.SetScan) executed.get(executed.size() - 1);
  }

  private static Command.SetScan scan(long cursor, int count, String match) {
    return new Command.SetScan(
        Bytes.utf8("s"), cursor, count, match == null ? null : Bytes.utf8(match));
  }

  /** One SSCAN reply: the cursor and the members (no CR or LF in them). */
  private record Step(String cursor, Set<String> members) {
    static Step parse(String reply) {
      String[] lines = reply.split("\r\n");
      assertThat(lines[0]).as(reply).isEqualTo("*2");
      int count = Integer.parseInt(lines[3].substring(1));
      Set<String> members = new HashSet<>();
      for (int i = 0; i < count; i++) {
        members.add(lines[5 + 2 * i]);
      }
      assertThat(lines).as(reply).hasSize(4 + 2 * count);
      return new Step(lines[2], members);
    }
  }
}
