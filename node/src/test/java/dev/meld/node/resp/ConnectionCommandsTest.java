package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PING, ECHO, HELLO, CLIENT, SELECT and QUIT, byte for byte as Redis 7 answers them. */
@ExtendWith(NoLeaks.class)
class ConnectionCommandsTest {

  private static final String HELLO_FIELDS_AFTER_PROTO =
      "$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
          + "$7\r\nmodules\r\n*0\r\n";

  @Test
  void pingAnswersPongOrItsMessage() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
      assertThat(c.call("ping", "hello")).isEqualTo("$5\r\nhello\r\n");
      assertThat(c.call("PING", "a", "b"))
          .isEqualTo("-ERR wrong number of arguments for 'ping' command\r\n");
      assertThat(c.exchange("PING\r\n")).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void echoAnswersItsArgument() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("ECHO", "hi there")).isEqualTo("$8\r\nhi there\r\n");
      assertThat(c.call("ECHO", "")).isEqualTo("$0\r\n\r\n");
      assertThat(c.call("ECHO")).isEqualTo("-ERR wrong number of arguments for 'echo' command\r\n");
    }
  }

  @Test
  void helloWithoutVersionAnswersInResp2() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("HELLO"))
          .isEqualTo(
              "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.0\r\n"
                  + "$5\r\nproto\r\n:2\r\n"
                  + HELLO_FIELDS_AFTER_PROTO);
    }
  }

  @Test
  void hello3SwitchesTheConnectionToResp3AndAnswersWithAMap() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("HELLO", "3"))
          .isEqualTo(
              "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.0\r\n"
                  + "$5\r\nproto\r\n:3\r\n"
                  + HELLO_FIELDS_AFTER_PROTO);
      assertThat(c.call("GET", "missing")).isEqualTo("_\r\n");
      assertThat(c.call("HELLO", "2")).startsWith("*14\r\n");
      assertThat(c.call("GET", "missing")).isEqualTo("$-1\r\n");
    }
  }

  @Test
  void helloRefusesOtherVersionsAndBadOptions() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("HELLO", "4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
      assertThat(c.call("HELLO", "x"))
          .isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
      assertThat(c.call("HELLO", "3", "SETNAME"))
          .isEqualTo("-ERR Syntax error in HELLO option 'SETNAME'\r\n");
      assertThat(c.call("HELLO", "3", "FOO", "bar"))
          .isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
      assertThat(c.call("CLIENT", "GETNAME")).as("still RESP2").isEqualTo("$-1\r\n");
    }
  }

  @Test
  void helloSetnameNamesTheConnection() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("HELLO", "3", "SETNAME", "bob")).startsWith("%7\r\n");
      assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$3\r\nbob\r\n");
      assertThat(c.call("HELLO", "3", "SETNAME", "a b"))
          .isEqualTo(
              "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    }
  }

  @Test
  void clientIdNameAndInfo() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("CLIENT", "ID")).isEqualTo(":1\r\n");
      assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
      assertThat(c.call("CLIENT", "SETNAME", "worker-1")).isEqualTo("+OK\r\n");
      assertThat(c.call("client", "getname")).isEqualTo("$8\r\nworker-1\r\n");
      assertThat(c.call("CLIENT", "SETNAME", "a\nb"))
          .isEqualTo(
              "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
      assertThat(c.call("CLIENT", "SETNAME", "")).isEqualTo("+OK\r\n");
      assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
      assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo("+OK\r\n");
      assertThat(c.call("CLIENT", "SETINFO", "lib-ver", "6.2.0")).isEqualTo("+OK\r\n");
      assertThat(c.call("CLIENT", "SETINFO", "foo", "x"))
          .isEqualTo("-ERR Unrecognized option 'foo'\r\n");
      assertThat(c.call("CLIENT", "SETINFO", "lib-name", "a b"))
          .isEqualTo("-ERR lib-name cannot contain spaces, newlines or special characters.\r\n");
      String info = c.call("CLIENT", "INFO");
      assertThat(info)
          .startsWith("$")
          .contains("id=1 addr=embedded")
          .contains(" db=0 resp=2 ")
          .contains("lib-name=jedis lib-ver=6.2.0\n\r\n");
    }
  }

  @Test
  void clientChecksSubcommandsAndArity() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("CLIENT"))
          .isEqualTo("-ERR wrong number of arguments for 'client' command\r\n");
      assertThat(c.call("CLIENT", "FOO"))
          .isEqualTo("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
      assertThat(c.call("CLIENT", "SETNAME"))
          .isEqualTo("-ERR wrong number of arguments for 'client|setname' command\r\n");
      assertThat(c.call("CLIENT", "HELP")).startsWith("*13\r\n+CLIENT <subcommand>");
    }
  }

  @Test
  void clientInfoIsAVerbatimStringInResp3() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("HELLO", "3");
      String info = c.call("CLIENT", "INFO");
      assertThat(info).startsWith("=").contains("\r\ntxt:id=1 ").contains(" resp=3 ");
      int length = Integer.parseInt(info.substring(1, info.indexOf('\r')));
      assertThat(info.substring(info.indexOf('\n') + 1)).hasSize(length + 2);
    }
  }

  @Test
  void selectZeroOnly() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("SELECT", "0")).isEqualTo("+OK\r\n");
      assertThat(c.call("SELECT", "1")).isEqualTo("-ERR DB index is out of range\r\n");
      assertThat(c.call("SELECT", "x"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("SELECT", "-0"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
    }
  }

  @Test
  void quitAnswersOkAndClosesAfterEarlierReplies() {
    try (RespTestChannel c = new RespTestChannel()) {
      String replies =
          c.exchange(
              RespTestChannel.command("SET", "k", "v")
                  + RespTestChannel.command("QUIT")
                  + RespTestChannel.command("SET", "k", "w"));
      assertThat(replies).isEqualTo("+OK\r\n+OK\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.writes()).hasSize(1);
    }
  }

  @Test
  void unknownCommandQuotesItsFirstArguments() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("FOO", "bar", "baz"))
          .isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n");
      assertThat(c.exchange("FLUSHALL\r\n"))
          .isEqualTo("-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
      assertThat(c.isOpen()).isTrue();
    }
  }
}
