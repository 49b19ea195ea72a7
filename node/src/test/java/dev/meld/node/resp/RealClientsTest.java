package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.testing.NoLeaks;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Lettuce (RESP3 by default, and RESP2) and Jedis (RESP2 by default, and RESP3) against a {@link
 * RespServer} on loopback in front of a real single-node replica.
 */
@ExtendWith(NoLeaks.class)
class RealClientsTest {
  private static ClientResources resources;

  private ReplicaGateway replica;
  private RespServer server;

  @BeforeAll
  static void resources() {
    resources =
        DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
  }

  @AfterAll
  static void shutdownResources() {
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() {
    replica = ReplicaGateway.solo();
    server = start(RespConfig.builder());
  }

  private RespServer start(RespConfig.Builder config) {
    return RespServer.start(
        config.bindAddress(new InetSocketAddress("127.0.0.1", 0)).ioThreads(1).build(),
        replica,
        RespMetrics.NOOP);
  }

  @AfterEach
  void stop() {
    server.close();
    replica.close();
  }

  private RedisClient lettuce(ProtocolVersion protocol, String password) {
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(server.boundAddress().getPort())
            .withTimeout(Duration.ofSeconds(10));
    if (password != null) {
      uri.withPassword(password.toCharArray());
    }
    RedisClient client = RedisClient.create(resources, uri.build());
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    return client;
  }

  private void lettuceCommands(ProtocolVersion protocol) {
    RedisClient client = lettuce(protocol, null);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.ping()).isEqualTo("PONG");
      assertThat(redis.echo("hi")).isEqualTo("hi");
      assertThat(redis.set("greeting", "hello")).isEqualTo("OK");
      assertThat(redis.get("greeting")).isEqualTo("hello");
      assertThat(redis.get("missing")).isNull();
      assertThat(redis.incr("visits")).isEqualTo(1);
      assertThat(redis.incrby("visits", 9)).isEqualTo(10);
      assertThat(redis.decr("visits")).isEqualTo(9);
      assertThat(redis.decrby("visits", 4)).isEqualTo(5);
      assertThat(redis.get("visits")).isEqualTo("5");
      assertThat(redis.sadd("tags", "a", "b", "c")).isEqualTo(3);
      assertThat(redis.srem("tags", "c")).isEqualTo(1);
      assertThat(redis.smembers("tags")).isEqualTo(Set.of("a", "b"));
      assertThat(redis.sismember("tags", "a")).isTrue();
      assertThat(redis.scard("tags")).isEqualTo(2);
      assertThat(redis.type("tags")).isEqualTo("set");
      assertThat(redis.type("greeting")).isEqualTo("string");
      assertThat(redis.exists("greeting", "tags", "missing")).isEqualTo(2);
      assertThat(redis.dbsize()).isEqualTo(3);
      assertThat(redis.del("greeting", "missing")).isEqualTo(1);
      assertThat(redis.select(0)).isEqualTo("OK");
      assertThat(redis.clientSetname("lettuce-test")).isEqualTo("OK");
      assertThat(redis.clientGetname()).isEqualTo("lettuce-test");
      assertThat(redis.clientId()).isPositive();
      assertThat(redis.waitForReplication(0, 10)).isZero();
      assertThat(redis.info("keyspace")).contains("db0:keys=2,expires=0,avg_ttl=0");
      assertThat(redis.info()).contains("# Meld").contains("node_name:solo");
      assertThatThrownBy(() -> redis.incr("tags"))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> redis.select(1))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessage("ERR DB index is out of range");
      assertThat(redis.ping()).as("errors leave the connection usable").isEqualTo("PONG");
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void lettuceSpeaksResp3() {
    lettuceCommands(ProtocolVersion.RESP3);
  }

  @Test
  void lettuceSpeaksResp2() {
    lettuceCommands(ProtocolVersion.RESP2);
  }

  @Test
  void lettucePipelinesInOrder() throws Exception {
    RedisClient client = lettuce(ProtocolVersion.RESP3, null);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisAsyncCommands<String, String> redis = connection.async();
      connection.setAutoFlushCommands(false);
      List<RedisFuture<Long>> increments = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        increments.add(redis.incr("counter"));
      }
      connection.flushCommands();
      assertThat(
              LettuceFutures.awaitAll(
                  Duration.ofSeconds(10), increments.toArray(new RedisFuture[0])))
          .isTrue();
      for (int i = 0; i < increments.size(); i++) {
        assertThat(increments.get(i).get()).isEqualTo(i + 1);
      }
      connection.setAutoFlushCommands(true);
      assertThat(redis.get("counter").get()).isEqualTo("500");
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void lettuceAuthenticatesWithHello() {
    server.close();
    server = start(RespConfig.builder().password("pw"));
    RedisClient client = lettuce(ProtocolVersion.RESP3, "pw");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("k", "v")).isEqualTo("OK");
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTakenPortIsAClearError() {
    InetSocketAddress taken = server.boundAddress();
    assertThatThrownBy(
            () ->
                RespServer.start(
                    RespConfig.builder().bindAddress(taken).ioThreads(1).build(),
                    replica,
                    RespMetrics.NOOP))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("client port 127.0.0.1:" + taken.getPort() + ": ")
        .hasMessageContaining("in use");
  }

  private Jedis jedis(RedisProtocol protocol, String password) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000);
    if (password != null) {
      config.password(password);
    }
    return new Jedis(new HostAndPort("127.0.0.1", server.boundAddress().getPort()), config.build());
  }

  private void jedisCommands(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol, null)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.set("greeting", "hello")).isEqualTo("OK");
      assertThat(jedis.get("greeting")).isEqualTo("hello");
      assertThat(jedis.get("missing")).isNull();
      assertThat(jedis.incrBy("n", 5)).isEqualTo(5);
      assertThat(jedis.decr("n")).isEqualTo(4);
      assertThat(jedis.get("n")).isEqualTo("4");
      assertThat(jedis.sadd("s", "x", "y")).isEqualTo(2);
      assertThat(jedis.smembers("s")).containsExactlyInAnyOrder("x", "y");
      assertThat(jedis.sismember("s", "y")).isTrue();
      assertThat(jedis.scard("s")).isEqualTo(2);
      assertThat(jedis.exists("greeting", "s", "nope")).isEqualTo(2);
      assertThat(jedis.type("n")).isEqualTo("string");
      assertThat(jedis.dbSize()).isEqualTo(3);
      assertThat(jedis.del("s")).isEqualTo(1);
      assertThat(jedis.waitReplicas(0, 10)).isZero();
      assertThat(jedis.info("meld")).contains("node_name:solo");
      assertThatThrownBy(() -> jedis.sadd("n", "x"))
          .isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("WRONGTYPE");
      Pipeline pipeline = jedis.pipelined();
      List<redis.clients.jedis.Response<Long>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        replies.add(pipeline.incr("p"));
      }
      pipeline.sync();
      for (int i = 0; i < replies.size(); i++) {
        assertThat(replies.get(i).get()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void jedisSpeaksResp2() {
    jedisCommands(RedisProtocol.RESP2);
  }

  @Test
  void jedisSpeaksResp3() {
    jedisCommands(RedisProtocol.RESP3);
  }

  @Test
  void jedisAuthenticates() {
    server.close();
    server = start(RespConfig.builder().password("pw"));
    try (Jedis jedis = jedis(RedisProtocol.RESP2, "pw")) {
      assertThat(jedis.set("k", "v")).isEqualTo("OK");
    }
    // Without a protocol Jedis sends no HELLO, so the first command meets the password.
    try (Jedis anonymous = new Jedis("127.0.0.1", server.boundAddress().getPort())) {
      assertThatThrownBy(() -> anonymous.get("k"))
          .isInstanceOf(JedisDataException.class)
          .hasMessage("NOAUTH Authentication required.");
    }
  }
}
