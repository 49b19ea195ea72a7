package dev.meld.node.resp;

import static dev.meld.node.resp.RespTestChannel.command;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One connection's commands are handed to the replica in order, their replies are written in order
 * whatever order the replica answers in, and a client that pipelines deeper than {@link
 * RespConfig#maxPipelinedCommands()} is slowed down (the connection stops reading), never refused.
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
  void readingStopsAtTheLimitAndResumesBelowHalfOfIt() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(10).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(9));
      assertThat(c.channel.config().isAutoRead()).isTrue();
      c.send(command("INCR", "n"));
      assertThat(c.channel.config().isAutoRead()).as("10 waiting").isFalse();
      for (int i = 0; i < 5; i++) {
        c.gateway.complete(i);
      }
      assertThat(c.read()).isEqualTo(":1\r\n:2\r\n:3\r\n:4\r\n:5\r\n");
      assertThat(c.channel.config().isAutoRead()).as("5 waiting: not below half").isFalse();
      c.gateway.complete(5);
      assertThat(c.read()).isEqualTo(":6\r\n");
      assertThat(c.channel.config().isAutoRead()).as("4 waiting").isTrue();
      for (int i = 6; i < 10; i++) {
        c.gateway.complete(i);
      }
      assertThat(c.read()).isEqualTo(":7\r\n:8\r\n:9\r\n:10\r\n");
    }
  }

  /**
   * Regression: a read holding more commands than the limit (what {@code redis-cli --pipe} sends a
   * node that has fallen behind) was answered {@code -ERR too many pipelined commands} and the
   * connection closed, so part of a mass insertion was never applied.
   */
  @Test
  void pipelineDeeperThanTheLimitIsSlowedDownNotRefused() {
    int limit = 16;
    int total = 5_000;
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(limit).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(total)); // one read
      assertThat(c.gateway.heldCount()).as("handed to the node").isEqualTo(limit);
      assertThat(c.channel.config().isAutoRead()).isFalse();
      StringBuilder replies = new StringBuilder();
      int completed = 0;
      for (int round = 0; round < total && completed < total; round++) {
        int handedOn = c.gateway.heldCount();
        assertThat(handedOn - completed).as("waiting at round %s", round).isBetween(1, limit);
        // Answer a few at a time, out of order within the batch, as a group commit may.
        int batch = Math.min(5, handedOn - completed);
        for (int i = batch - 1; i >= 0; i--) {
          c.gateway.complete(completed + i);
        }
        completed += batch;
        replies.append(c.read());
      }
      StringBuilder expected = new StringBuilder();
      for (int i = 1; i <= total; i++) {
        expected.append(':').append(i).append("\r\n");
      }
      assertThat(completed).isEqualTo(total);
      assertThat(replies.toString()).isEqualTo(expected.toString());
      assertThat(c.gateway.executed()).hasSize(total);
      assertThat(c.isOpen()).isTrue();
      assertThat(c.channel.config().isAutoRead()).as("reading again").isTrue();
    }
  }

  @Test
  void aProtocolErrorBehindHeldRequestsIsAnsweredAfterThem() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(2).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(5) + "*1\r\n:5\r\n" + command("INCR", "n"));
      assertThat(c.gateway.heldCount()).isEqualTo(2);
      StringBuilder replies = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        c.gateway.complete(i);
        replies.append(c.read());
      }
      assertThat(replies.toString())
          .isEqualTo(
              ":1\r\n:2\r\n:3\r\n:4\r\n:5\r\n-ERR Protocol error: expected '$', got ':'\r\n");
      assertThat(c.gateway.executed()).hasSize(5);
      assertThat(c.isOpen()).isFalse();
    }
  }

  @Test
  void quitAmongHeldRequestsRunsWhatCameBeforeItAndNothingAfter() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(2).build())) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(3) + command("QUIT") + command("INCR", "n").repeat(3));
      StringBuilder replies = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        c.gateway.complete(i);
        replies.append(c.read());
      }
      assertThat(replies.toString()).isEqualTo(":1\r\n:2\r\n:3\r\n+OK\r\n");
      assertThat(c.gateway.executed()).hasSize(3);
      assertThat(c.isOpen()).isFalse();
    }
  }

  @Test
  void aConnectionClosedWhileHoldingRequestsRunsNoMoreAndLeaksNothing() {
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(4).build())) {
      c.gateway.hold();
      c.send(command("SET", "k", "x".repeat(100)).repeat(1_000));
      assertThat(c.gateway.heldCount()).isEqualTo(4);
      c.channel.close();
      for (int i = 0; i < 4; i++) {
        c.gateway.complete(i);
      }
      assertThat(c.read()).isEmpty();
      assertThat(c.gateway.executed()).hasSize(4);
    }
  }

  /**
   * With autoRead off, Netty's decoders still ask for a read whenever one ends inside a request,
   * which a pipelined stream nearly always does; a paused connection must ask for none.
   */
  @Test
  void aPausedConnectionAsksForNoReadEvenInsideARequest() {
    AtomicInteger reads = new AtomicInteger();
    try (RespTestChannel c =
        new RespTestChannel(RespConfig.builder().maxPipelinedCommands(2).build())) {
      c.channel
          .pipeline()
          .addFirst(
              new ChannelOutboundHandlerAdapter() {
                @Override
                public void read(ChannelHandlerContext ctx) {
                  reads.incrementAndGet();
                  ctx.read();
                }
              });
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(3) + "*2\r\n$4\r\nINCR\r\n$1\r\n");
      assertThat(c.channel.config().isAutoRead()).isFalse();
      int before = reads.get();
      c.send("n");
      c.send("\r");
      assertThat(reads.get()).as("reads asked for while paused").isEqualTo(before);
      c.send("\n");
      StringBuilder replies = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        c.gateway.complete(i);
        replies.append(c.read());
      }
      assertThat(replies.toString()).isEqualTo(":1\r\n:2\r\n:3\r\n:4\r\n");
      assertThat(reads.get()).as("reading resumed").isGreaterThan(before);
    }
  }

  @Test
  void aConnectionSlowedDownIsNotIdleWhileCommandsWait() {
    RespConfig config =
        RespConfig.builder().maxPipelinedCommands(4).idleTimeoutMillis(1_000).build();
    try (RespTestChannel c = new RespTestChannel(config)) {
      c.gateway.hold();
      c.send(command("INCR", "n").repeat(10));
      for (int i = 0; i < 3; i++) {
        c.channel.advanceTimeBy(1_500, TimeUnit.MILLISECONDS);
        c.channel.runScheduledPendingTasks();
        assertThat(c.isOpen()).as("commands wait for the node").isTrue();
      }
      StringBuilder replies = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        c.gateway.complete(i);
        replies.append(c.read());
      }
      assertThat(replies.toString()).endsWith(":10\r\n");
      c.channel.advanceTimeBy(1_500, TimeUnit.MILLISECONDS);
      c.channel.runScheduledPendingTasks();
      assertThat(c.isOpen()).as("idle now").isFalse();
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
