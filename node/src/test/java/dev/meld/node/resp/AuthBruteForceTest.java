package dev.meld.node.resp;

import static dev.meld.node.resp.RespTestChannel.command;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15: {@code AUTH} took 85,000 wrong guesses per second on one connection, and the same
 * connection could then log in. Now a connection's failures beyond the first few are answered later
 * and later, the last allowed one closes it for good, and a source address over its allowance is
 * refused for the rest of its minute.
 */
@ExtendWith(NoLeaks.class)
class AuthBruteForceTest {

  private static final String WRONGPASS =
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

  private RespServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void afterNWrongPasswordsTheConnectionIsSlowedThenClosedAndNeverLogsIn() {
    RespConfig config =
        RespConfig.builder().password("s3cret").maxAuthFailures(6).authDelayMillis(100).build();
    try (RespTestChannel c = new RespTestChannel(config)) {
      c.channel.freezeTime();
      for (int i = 1; i <= RespConfig.FREE_AUTH_FAILURES; i++) {
        assertThat(c.call("AUTH", "guess" + i)).as("typo %s answered at once", i).isEqualTo(WRONGPASS);
      }
      assertThat(c.call("AUTH", "guess4")).as("the 4th waits").isEmpty();
      advance(c, 99);
      assertThat(c.read()).isEmpty();
      advance(c, 1);
      assertThat(c.read()).as("after 100 ms").isEqualTo(WRONGPASS);
      assertThat(c.call("HELLO", "3", "AUTH", "default", "guess5")).isEmpty();
      advance(c, 200);
      assertThat(c.read()).as("HELLO AUTH counts too, after 200 ms").isEqualTo(WRONGPASS);
      // The 6th failure closes the connection; the right password right behind it never runs.
      c.send(command("AUTH", "guess6") + command("AUTH", "s3cret") + command("GET", "k"));
      assertThat(c.read()).isEmpty();
      advance(c, 400);
      assertThat(c.read())
          .isEqualTo(
              "-ERR too many failed AUTH attempts on this connection: 6 (expected: < 6);"
                  + " closing\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.executed()).isEmpty();
    }
  }

  private static void advance(RespTestChannel c, long millis) {
    c.channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    c.channel.runScheduledPendingTasks();
  }

  @Test
  void aLockedConnectionRefusesEvenTheRightPassword() {
    RespConfig config =
        RespConfig.builder().password("s3cret").maxAuthFailures(2).authDelayMillis(0).build();
    try (RespTestChannel c = new RespTestChannel(config)) {
      assertThat(c.call("AUTH", "a")).isEqualTo(WRONGPASS);
      // Pipelined: the second failure locks the connection while the third is already read.
      assertThat(c.exchange(command("AUTH", "b") + command("AUTH", "s3cret")))
          .isEqualTo(
              "-ERR too many failed AUTH attempts on this connection: 2 (expected: < 2);"
                  + " closing\r\n");
      assertThat(c.isOpen()).isFalse();
    }
  }

  @Test
  void aFreshConnectionWithTheRightPasswordStillWorks() throws Exception {
    server =
        RespServer.start(
            RespConfig.builder()
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .password("s3cret")
                .maxAuthFailures(5)
                .authDelayMillis(10)
                .build(),
            new FakeGateway(),
            RespMetrics.NOOP);
    try (RawClient guesser = new RawClient(server.boundAddress())) {
      for (int i = 1; i < 5; i++) {
        assertThat(guesser.call("AUTH", "guess" + i)).startsWith("-WRONGPASS");
      }
      assertThat(guesser.call("AUTH", "s3cret")).startsWith("+OK");
      assertThat(guesser.call("AUTH", "guess5"))
          .as("an authenticated connection is still counted")
          .startsWith("-ERR too many failed AUTH attempts on this connection: 5");
      assertThat(guesser.closedWithin(5_000)).isTrue();
    }
    // Five failures are far below the address' allowance (100 a minute): no wait.
    try (RawClient fresh = new RawClient(server.boundAddress())) {
      assertThat(fresh.call("AUTH", "s3cret")).isEqualTo("+OK");
      assertThat(fresh.call("GET", "k")).isEqualTo("$-1");
    }
  }

  @Test
  void anAddressOverItsAllowanceIsRefusedForTheRestOfItsMinute() throws Exception {
    server =
        RespServer.start(
            RespConfig.builder()
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .password("s3cret")
                .maxAuthFailures(4)
                .authFailuresPerAddress(6)
                .authDelayMillis(0)
                .build(),
            new FakeGateway(),
            RespMetrics.NOOP);
    try (RawClient first = new RawClient(server.boundAddress())) {
      for (int i = 1; i < 4; i++) {
        assertThat(first.call("AUTH", "guess" + i)).startsWith("-WRONGPASS");
      }
      assertThat(first.call("AUTH", "guess4")).startsWith("-ERR too many failed AUTH attempts");
    }
    try (RawClient second = new RawClient(server.boundAddress())) {
      assertThat(second.call("AUTH", "guess5")).startsWith("-WRONGPASS");
      assertThat(second.call("AUTH", "guess6")).startsWith("-WRONGPASS");
      assertThat(second.call("AUTH", "s3cret"))
          .as("the right password, from an address over its allowance")
          .matches(
              "-ERR too many failed AUTH attempts from 127\\.0\\.0\\.1: 6 in 60 s \\(expected:"
                  + " fewer\\); retry in (59|60) s");
    }
    try (RawClient fresh = new RawClient(server.boundAddress())) {
      assertThat(fresh.call("AUTH", "s3cret"))
          .as("a fresh connection waits out the minute too")
          .startsWith("-ERR too many failed AUTH attempts from 127.0.0.1");
      assertThat(fresh.call("GET", "k")).startsWith("-NOAUTH");
    }
  }

  @Test
  void theDelayDoublesUpToItsCap() {
    RespConfig config = RespConfig.builder().authDelayMillis(100).build();
    assertThat(config.authDelayMillis(3)).isZero();
    assertThat(config.authDelayMillis(4)).isEqualTo(100);
    assertThat(config.authDelayMillis(5)).isEqualTo(200);
    assertThat(config.authDelayMillis(9)).isEqualTo(3_200);
    assertThat(config.authDelayMillis(10)).isEqualTo(RespConfig.MAX_AUTH_DELAY_MILLIS);
    assertThat(config.authDelayMillis(1_000)).isEqualTo(RespConfig.MAX_AUTH_DELAY_MILLIS);
  }
}
