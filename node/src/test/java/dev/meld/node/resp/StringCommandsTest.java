package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET, SET and the INCR family over registers and counters, as Redis shapes their replies. */
@ExtendWith(NoLeaks.class)
class StringCommandsTest {

  @Test
  void setThenGetARegister() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
      assertThat(c.call("SET", "k", "v 1")).isEqualTo("+OK\r\n");
      assertThat(c.call("GET", "k")).isEqualTo("$3\r\nv 1\r\n");
      assertThat(c.call("set", "k", "")).isEqualTo("+OK\r\n");
      assertThat(c.call("get", "k")).isEqualTo("$0\r\n\r\n");
      assertThat(c.gateway.writes())
          .containsExactly(
              new Command.RegisterSet(Bytes.utf8("k"), Bytes.utf8("v 1")),
              new Command.RegisterSet(Bytes.utf8("k"), Bytes.EMPTY));
    }
  }

  @Test
  void valuesAreBinarySafe() {
    try (RespTestChannel c = new RespTestChannel()) {
      String value = "\0\r\n\u00ff*1\r\n";
      assertThat(c.call("SET", "bin", value)).isEqualTo("+OK\r\n");
      assertThat(c.call("GET", "bin")).isEqualTo("$8\r\n" + value + "\r\n");
    }
  }

  @Test
  void getOfACounterAnswersItsValueAsABulkString() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("INCRBY", "n", "-12")).isEqualTo(":-12\r\n");
      assertThat(c.call("GET", "n")).isEqualTo("$3\r\n-12\r\n");
      c.call("HELLO", "3");
      assertThat(c.call("GET", "n")).isEqualTo("$3\r\n-12\r\n");
    }
  }

  @Test
  void getOfASetIsWrongType() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SADD", "s", "x");
      assertThat(c.call("GET", "s"))
          .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    }
  }

  @Test
  void incrementsAndDecrements() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("INCR", "n")).isEqualTo(":1\r\n");
      assertThat(c.call("INCRBY", "n", "10")).isEqualTo(":11\r\n");
      assertThat(c.call("DECR", "n")).isEqualTo(":10\r\n");
      assertThat(c.call("DECRBY", "n", "-5")).isEqualTo(":15\r\n");
      assertThat(c.call("DECRBY", "n", "20")).isEqualTo(":-5\r\n");
      assertThat(c.gateway.writes())
          .containsExactly(
              new Command.Increment(Bytes.utf8("n"), 1),
              new Command.Increment(Bytes.utf8("n"), 10),
              new Command.Decrement(Bytes.utf8("n"), 1),
              new Command.Decrement(Bytes.utf8("n"), -5),
              new Command.Decrement(Bytes.utf8("n"), 20));
    }
  }

  @Test
  void overflowAndBadNumbersChangeNothing() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("INCRBY", "n", "9223372036854775807"))
          .isEqualTo(":9223372036854775807\r\n");
      assertThat(c.call("INCR", "n")).isEqualTo("-ERR increment or decrement would overflow\r\n");
      assertThat(c.call("INCRBY", "n", "abc"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("INCRBY", "n", "9223372036854775808"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("DECRBY", "n", "-9223372036854775808"))
          .isEqualTo("-ERR decrement would overflow\r\n");
      assertThat(c.call("GET", "n")).isEqualTo("$19\r\n9223372036854775807\r\n");
      assertThat(c.gateway.writes()).hasSize(2); // the first INCRBY, and the refused INCR
    }
  }

  @Test
  void incrOfARegisterIsWrongTypeEvenWhenItHoldsDigits() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "r", "41");
      assertThat(c.call("INCR", "r"))
          .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
      assertThat(c.call("SET", "n2", "x")).isEqualTo("+OK\r\n");
      c.call("INCR", "counter");
      assertThat(c.call("SET", "counter", "x"))
          .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    }
  }

  @Test
  void setRefusesOptionsItCannotHonour() {
    try (RespTestChannel c = new RespTestChannel()) {
      for (String option : new String[] {"NX", "xx", "GET", "EX", "PX", "EXAT", "PXAT"}) {
        assertThat(c.call("SET", "k", "v", option, "10"))
            .startsWith("-ERR SET option '" + option.toUpperCase() + "' is not supported");
      }
      assertThat(c.call("SET", "k", "v", "FOO")).isEqualTo("-ERR syntax error\r\n");
      assertThat(c.call("SET", "k", "v", "KEEPTTL")).isEqualTo("+OK\r\n");
      assertThat(c.call("SET", "k"))
          .isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
      assertThat(c.gateway.writes()).hasSize(1);
    }
  }

  @Test
  void arityIsChecked() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
      assertThat(c.call("GET", "a", "b"))
          .isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
      assertThat(c.call("INCR")).isEqualTo("-ERR wrong number of arguments for 'incr' command\r\n");
      assertThat(c.call("INCRBY", "a"))
          .isEqualTo("-ERR wrong number of arguments for 'incrby' command\r\n");
      assertThat(c.call("DeCrBy", "a", "1", "2"))
          .isEqualTo("-ERR wrong number of arguments for 'decrby' command\r\n");
      assertThat(c.gateway.executed()).isEmpty();
    }
  }

  @Test
  void drainingNodeAnswersReadonly() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.gateway.draining(true);
      assertThat(c.call("SET", "k", "v")).isEqualTo("-READONLY the node is draining\r\n");
      assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
    }
  }
}
