package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SADD, SREM, SMEMBERS, SISMEMBER, SCARD; SMEMBERS is a RESP3 set after HELLO 3. */
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
      assertThat(c.gateway.executed()).isEmpty();
    }
  }
}
