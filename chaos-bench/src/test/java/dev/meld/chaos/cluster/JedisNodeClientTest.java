package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's outcomes: a reply is returned, an error reply is a definite failure (history {@code
 * fail}), a timeout or a refused connection is indeterminate (history {@code info}).
 */
class JedisNodeClientTest {

  private FakeRespServer server;
  private JedisNodeClient client;

  @BeforeEach
  void start() throws IOException {
    server = new FakeRespServer();
    client = new JedisNodeClient("n1", server.address(), Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void repliesAreReturned() {
    server.replies.put("INCRBY", ":5\r\n");
    server.replies.put("DECRBY", ":2\r\n");
    server.replies.put("GET", "$2\r\n-7\r\n");
    server.replies.put("SADD", ":1\r\n");
    server.replies.put("SREM", ":0\r\n");
    assertThat(client.incrBy("k", 5)).isEqualTo(5);
    assertThat(client.decrBy("k", 3)).isEqualTo(2);
    assertThat(client.counterGet("k")).isEqualTo(-7);
    assertThat(client.sadd("s", "1")).isEqualTo(1);
    assertThat(client.srem("s", "2")).isZero();
    assertThat(server.received)
        .contains("INCRBY k 5", "DECRBY k 3", "GET k", "SADD s 1", "SREM s 2");
  }

  @Test
  void aMissingCounterReadsZero() {
    server.replies.put("GET", "$-1\r\n");
    assertThat(client.counterGet("nothing")).isZero();
  }

  @Test
  void smembersKeepsADuplicateTheNodeReturned() {
    server.replies.put("SMEMBERS", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n");
    assertThat(client.smembers("s")).containsExactly("1", "2", "1");
  }

  @Test
  void anErrorReplyIsADefiniteFailure() {
    server.replies.put(
        "INCRBY", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assertThatThrownBy(() -> client.incrBy("s", 1))
        .isInstanceOfSatisfying(
            NodeClientException.class, e -> assertThat(e.indeterminate()).isFalse())
        .hasMessageContaining("n1: INCRBY s 1: WRONGTYPE");
  }

  @Test
  void aTimeoutIsIndeterminateAndTheNextOperationReconnects() {
    assertThatThrownBy(() -> client.incrBy("k", 1)) // INCRBY not scripted: no answer
        .isInstanceOfSatisfying(
            NodeClientException.class, e -> assertThat(e.indeterminate()).isTrue());
    server.replies.put("INCRBY", ":1\r\n");
    // The late reply of the first INCRBY must not answer the second: a new connection is used.
    assertThat(client.incrBy("k", 1)).isEqualTo(1);
  }

  @Test
  void aRefusedConnectionIsIndeterminate() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (JedisNodeClient nowhere =
        new JedisNodeClient(
            "n9", new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(300))) {
      assertThatThrownBy(() -> nowhere.counterGet("k"))
          .isInstanceOfSatisfying(
              NodeClientException.class, e -> assertThat(e.indeterminate()).isTrue());
    }
  }

  @Test
  void waitWaitsLongerThanTheOperationTimeout() {
    server.replies.put("WAIT", ":2\r\n");
    assertThat(client.waitReplicas(2, Duration.ofMillis(1000))).isEqualTo(2);
    assertThat(server.received).contains("WAIT 2 1000");
    assertThatThrownBy(() -> client.waitReplicas(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("WAIT -1 0 (expected: replicas >= 0");
  }

  @Test
  void aNonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> new JedisNodeClient("n1", server.address(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeout: PT0S (expected: positive");
  }
}
