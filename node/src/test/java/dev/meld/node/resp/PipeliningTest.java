package dev.meld.node.resp;

import static dev.meld.node.resp.RespTestChannel.command;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One connection's commands are handed to the replica in order, their replies are written in order
 * whatever order the replica answers in, and the connection's backlog is bounded.
 */
@ExtendWith(NoLeaks.class)
class PipeliningTest {

  @Test
  void repliesKeepRequestOrderWhenAnswersArriveOutOfOrder() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.gateway.hold();
      c.send(
          command("SET", "a", "1")
              + command("INCR", "n")
              + "PING\r\n"
              + command("SADD", "s", "x")
              + command("EXISTS", "a", "s"));
      assertThat(c.read()).isEmpty();
      assertThat(c.gateway.heldCount()).isEqualTo(5);
      c.gateway.complete(4);
      c.gateway.complete(2);
      c.gateway.complete(1);
      assertThat(c.read()).as("the first answer is still missing").isEmpty();
      c.gateway.complete(0);
      assertThat(c.read()).isEqualTo("+OK\r\n:1\r\n+PONG\r\n:1\r\n");
      c.gateway.complete(3);
      assertThat(c.read()).isEqualTo(":2\r\n");
    }
  }

  @Test
  void aProtocolErrorIsAnsweredAfterTheRepliesOwed() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.gateway.hold();
      c.send(command("SET", "a", "1") + "*1\r\n:5\r\n" + command("SET", "b", "2"));
      assertThat(c.read()).isEmpty();
      assertThat(c.isOpen()).isTrue();
      c.gateway.complete(0);
      assertThat(c.read()).isEqualTo("+OK\r\n-ERR Protocol error: expected '$', got ':'\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.executed()).hasSize(1);
    }
  }

  @Test
  void readingPausesAtHalfTheBacklogLimitAndResumes() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(10).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(4));
      assertThat(c.channel.config().isAutoRead()).isTrue();
      c.send(command("INCR", "n"));
      assertThat(c.channel.config().isAutoRead()).isFalse();
      for (int i = 0; i < 5; i++) {
        c.gateway.complete(i);
      }
      assertThat(c.read()).isEqualTo(":1\r\n:2\r\n:3\r\n:4\r\n:5\r\n");
      assertThat(c.channel.config().isAutoRead()).isTrue();
    }
  }

  @Test
  void aBacklogBeyondTheLimitIsAnsweredAndDisconnected() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(4).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(7)); // one read: too late to pause
      assertThat(c.gateway.heldCount()).isEqualTo(4);
      for (int i = 0; i < 4; i++) {
        c.gateway.complete(i);
      }
      assertThat(c.read())
          .isEqualTo(
              ":1\r\n:2\r\n:3\r\n:4\r\n"
                  + "-ERR too many pipelined commands: 5 waiting (expected: <= 4)\r\n");
      assertThat(c.isOpen()).isFalse();
    }
  }

  @Test
  void anIdleConnectionIsClosedOnlyWhenNothingIsPending() {
    RespConfig config = RespConfig.builder().idleTimeoutMillis(1_000).build();
    try (RespTestChannel c = new RespTestChannel(config)) {
      c.gateway.hold();
      c.send(command("INCR", "n"));
      c.channel.advanceTimeBy(1_500, TimeUnit.MILLISECONDS);
      c.channel.runScheduledPendingTasks();
      assertThat(c.isOpen()).as("a command is still waiting").isTrue();
      c.gateway.complete(0);
      assertThat(c.read()).isEqualTo(":1\r\n");
      c.channel.advanceTimeBy(1_500, TimeUnit.MILLISECONDS);
      c.channel.runScheduledPendingTasks();
      assertThat(c.isOpen()).isFalse();
    }
    try (RespTestChannel c = new RespTestChannel(RespConfig.builder().idleTimeoutMillis(0).build())) {
      c.channel.advanceTimeBy(1, TimeUnit.DAYS);
      c.channel.runScheduledPendingTasks();
      assertThat(c.isOpen()).as("no idle timeout with 0").isTrue();
    }
  }
}
