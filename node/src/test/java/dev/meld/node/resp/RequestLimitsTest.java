package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every request limit: the request beyond it is answered with a protocol error after the replies
 * owed for earlier requests, the connection closes, and nothing of it (or after it) runs.
 */
@ExtendWith(NoLeaks.class)
class RequestLimitsTest {

  private static RespTestChannel limited() {
    return new RespTestChannel(
        RespConfig.builder()
            .maxBulkBytes(10)
            .maxArrayLength(4)
            .maxInlineBytes(32)
            .maxRequestBytes(4 * (10 + RespConfig.ARGUMENT_OVERHEAD_BYTES) - 1)
            .build());
  }

  private static final String SET_OK = RespTestChannel.command("SET", "k", "v");

  @Test
  void aBulkStringOverTheLimitIsRefusedBeforeItsBytesArrive() {
    try (RespTestChannel c = limited()) {
      // Only the header: the guard refuses on the length alone.
      String replies = c.exchange(SET_OK + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$11\r\n");
      assertThat(replies)
          .isEqualTo("+OK\r\n-ERR Protocol error: invalid bulk length: 11 (expected: <= 10)\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.writes()).hasSize(1);
    }
    try (RespTestChannel c = limited()) {
      assertThat(c.call("SET", "k", "0123456789")).isEqualTo("+OK\r\n");
    }
  }

  @Test
  void anArrayOverTheLimitIsRefused() {
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange("*5\r\n"))
          .isEqualTo("-ERR Protocol error: invalid multibulk length: 5 (expected: <= 4)\r\n");
      assertThat(c.isOpen()).isFalse();
    }
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange("*3000000000\r\n"))
          .isEqualTo(
              "-ERR Protocol error: invalid multibulk length: 3000000000 (expected: <= 4)\r\n");
    }
    try (RespTestChannel c = limited()) {
      assertThat(c.call("SADD", "s", "a", "b")).isEqualTo(":2\r\n");
    }
  }

  @Test
  void anInlineLineOverTheLimitIsRefused() {
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange("PING\r\nECHO " + "x".repeat(40)))
          .isEqualTo("+PONG\r\n-ERR Protocol error: length: 45 (expected: <= 32)\r\n");
      assertThat(c.isOpen()).isFalse();
    }
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange("ECHO " + "x".repeat(25) + "\r\n"))
          .isEqualTo("$25\r\n" + "x".repeat(25) + "\r\n");
    }
  }

  @Test
  void aRequestOverTheByteLimitIsRefused() {
    try (RespTestChannel c = limited()) {
      String ten = "0123456789";
      assertThat(c.call(ten, ten, ten, ten))
          .isEqualTo(
              "-ERR Protocol error: request too big: more than 168 bytes (expected: <= 167)\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.executed()).isEmpty();
    }
  }

  @Test
  void redisLimitsAreTheDefaultsWhereTheNodeKeepsThem() {
    RespConfig d = RespConfig.builder().build();
    assertThat(d.maxInlineBytes()).isEqualTo(64 * 1024);
    assertThat(d.maxClients()).isEqualTo(10_000);
    assertThat(d.maxBulkBytes()).isEqualTo(8 << 20);
    assertThat(d.idleTimeoutMillis())
        .as("unlike Redis' timeout 0, idle clients are closed by default")
        .isEqualTo(300_000);
  }

  @Test
  void tooManyClientsAreTurnedAway() {
    FakeGateway gateway = new FakeGateway();
    RespConfig config = RespConfig.builder().maxClients(1).build();
    try (RespTestChannel first = new RespTestChannel(config, gateway)) {
      ServerContext shared = first.server;
      io.netty.channel.embedded.EmbeddedChannel second =
          new io.netty.channel.embedded.EmbeddedChannel(new RespChannelInitializer(shared));
      io.netty.buffer.ByteBuf reply = second.readOutbound();
      assertThat(reply.toString(java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("-ERR max number of clients reached\r\n");
      reply.release();
      assertThat(second.isOpen()).isFalse();
      assertThat(shared.connectedClients()).isEqualTo(1);
      assertThat(shared.rejectedConnections()).isEqualTo(1);
      assertThat(first.call("PING")).isEqualTo("+PONG\r\n");
      assertThat(second.finish()).isFalse();
    }
  }

  @Test
  void badValuesAreRefusedWhenBuilt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().maxBulkBytes(0).build())
        .hasMessage("maxBulkBytes: 0 (expected: 1..536870912)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().maxInlineBytes(RespConfig.MAX_RESP_LENGTH + 1).build())
        .hasMessage("maxInlineBytes: 536870913 (expected: 1..536870912)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().maxPipelinedCommands(0).build())
        .hasMessage("maxPipelinedCommands: 0 (expected: >= 1)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().password("").build())
        .hasMessage("password: empty (expected: null for none, or 1+ chars)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().idleTimeoutMillis(-1).build())
        .hasMessage("idleTimeoutMillis: -1 (expected: >= 0, 0 for never)");
    assertThat(RespConfig.builder().password("pw").build().toString())
        .contains("password=set")
        .doesNotContain("pw,");
  }
}
