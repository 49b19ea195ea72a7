package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TYPE, EXISTS and DEL, with several keys where Redis takes several. */
@ExtendWith(NoLeaks.class)
class KeyCommandsTest {

  @Test
  void typeUsesRedisNames() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "r", "v");
      c.call("INCR", "n");
      c.call("SADD", "s", "x");
      assertThat(c.call("TYPE", "r")).isEqualTo("+string\r\n");
      assertThat(c.call("TYPE", "n")).isEqualTo("+string\r\n");
      assertThat(c.call("TYPE", "s")).isEqualTo("+set\r\n");
      assertThat(c.call("TYPE", "nothing")).isEqualTo("+none\r\n");
    }
  }

  @Test
  void existsCountsEveryKeyGivenEvenRepeated() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "a", "1");
      c.call("SADD", "b", "x");
      assertThat(c.call("EXISTS", "a", "a", "b", "c")).isEqualTo(":3\r\n");
      assertThat(c.call("EXISTS", "c")).isEqualTo(":0\r\n");
      assertThat(c.call("EXISTS"))
          .isEqualTo("-ERR wrong number of arguments for 'exists' command\r\n");
    }
  }

  @Test
  void delCountsTheKeysThatExisted() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "a", "1");
      c.call("INCRBY", "n", "5");
      c.call("SADD", "s", "x");
      assertThat(c.call("DEL", "a", "n", "s", "zz")).isEqualTo(":3\r\n");
      assertThat(c.call("EXISTS", "a", "n", "s")).isEqualTo(":0\r\n");
      assertThat(c.call("DEL", "a")).isEqualTo(":0\r\n");
      assertThat(c.call("DEL")).isEqualTo("-ERR wrong number of arguments for 'del' command\r\n");
      assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
    }
  }

  @Test
  void delOnADrainingNodeAnswersTheFirstRefusal() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "a", "1");
      c.gateway.draining(true);
      assertThat(c.call("DEL", "zz", "a")).isEqualTo("-READONLY the node is draining\r\n");
    }
  }
}
