package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** AUTH and HELLO ... AUTH, with and without a configured password. */
@ExtendWith(NoLeaks.class)
class AuthTest {

  private static final String NOAUTH = "-NOAUTH Authentication required.\r\n";
  private static final String WRONGPASS =
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

  private static RespTestChannel withPassword() {
    return new RespTestChannel(RespConfig.builder().password("s3cret").build());
  }

  @Test
  void withAPasswordEverythingButAuthHelloPingAndQuitWaits() {
    try (RespTestChannel c = withPassword()) {
      assertThat(c.call("GET", "k")).isEqualTo(NOAUTH);
      assertThat(c.call("SET", "k", "v")).isEqualTo(NOAUTH);
      assertThat(c.call("CLIENT", "ID")).isEqualTo(NOAUTH);
      assertThat(c.call("INFO")).isEqualTo(NOAUTH);
      assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
      assertThat(c.call("HELLO", "3"))
          .startsWith("-NOAUTH HELLO must be called with the client already authenticated");
      assertThat(c.call("FOO"))
          .as("an unknown command is unknown first, as in Redis")
          .startsWith("-ERR unknown command 'FOO'");
      assertThat(c.gateway.executed()).isEmpty();
    }
  }

  @Test
  void authWithThePasswordOpensTheConnection() {
    try (RespTestChannel c = withPassword()) {
      assertThat(c.call("AUTH", "wrong")).isEqualTo(WRONGPASS);
      assertThat(c.call("AUTH", "other", "s3cret")).isEqualTo(WRONGPASS);
      assertThat(c.call("GET", "k")).isEqualTo(NOAUTH);
      assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
      assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
      assertThat(c.call("AUTH", "wrong")).isEqualTo(WRONGPASS);
      assertThat(c.call("GET", "k")).as("a failed AUTH keeps the earlier one").isEqualTo("$-1\r\n");
    }
  }

  @Test
  void authWithTheDefaultUser() {
    try (RespTestChannel c = withPassword()) {
      assertThat(c.call("AUTH", "default", "s3cret")).isEqualTo("+OK\r\n");
      assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
      assertThat(c.call("AUTH", "a", "b", "c")).isEqualTo("-ERR syntax error\r\n");
    }
  }

  @Test
  void helloAuthAuthenticatesAndSwitchesProtocolTogether() {
    try (RespTestChannel c = withPassword()) {
      assertThat(c.call("HELLO", "3", "AUTH", "default", "nope")).isEqualTo(WRONGPASS);
      assertThat(c.call("GET", "k")).isEqualTo(NOAUTH);
      assertThat(c.call("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "app"))
          .startsWith("%7\r\n");
      assertThat(c.call("GET", "k")).isEqualTo("_\r\n");
      assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$3\r\napp\r\n");
    }
  }

  @Test
  void withoutAPasswordAuthSaysSo() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("AUTH", "x"))
          .isEqualTo(
              "-ERR AUTH <password> called without any password configured for the default"
                  + " user. Are you sure your configuration is correct?\r\n");
      assertThat(c.call("AUTH", "default", "anything")).isEqualTo("+OK\r\n");
      assertThat(c.call("AUTH", "bob", "anything")).isEqualTo(WRONGPASS);
      assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
    }
  }

  @Test
  void beforeAuthRequestsAreHeldToRedisSmallLimits() {
    try (RespTestChannel c = withPassword()) {
      String[] eleven = new String[11];
      java.util.Arrays.fill(eleven, "x");
      eleven[0] = "PING";
      assertThat(c.exchange(RespTestChannel.command(eleven)))
          .isEqualTo("-ERR Protocol error: invalid multibulk length: 11 (expected: <= 10)\r\n");
      assertThat(c.isOpen()).isFalse();
    }
    try (RespTestChannel c = withPassword()) {
      assertThat(c.call("ECHO", "x".repeat(16 * 1024 + 1)))
          .isEqualTo("-ERR Protocol error: invalid bulk length: 16385 (expected: <= 16384)\r\n");
      assertThat(c.isOpen()).isFalse();
    }
    try (RespTestChannel c = withPassword()) {
      c.call("AUTH", "s3cret");
      assertThat(c.call("ECHO", "x".repeat(16 * 1024 + 1))).startsWith("$16385\r\n");
    }
  }
}
