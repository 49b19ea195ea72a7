package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.testing.NoLeaks;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * SSCAN and SMISMEMBER as Lettuce and Jedis read them, in RESP2 and RESP3, from a {@link
 * RespServer} on loopback in front of the fake gateway (which scans in 63-bit hash order like the
 * replica).
 */
@ExtendWith(NoLeaks.class)
class SetCommandsRealClientsTest {
  /* 30 members and a COUNT of 4: a full iteration takes 8 calls; the loops stop at 100 anyway. */
  private static final int MEMBERS = 30;
  private static final int MAX_CALLS = 100;

  private static ClientResources resources;

  private RespServer server;
  private final List<String> members = new ArrayList<>();

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
    server =
        RespServer.start(
            RespConfig.builder()
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .build(),
            new FakeGateway(),
            RespMetrics.NOOP);
    for (int i = 0; i < MEMBERS; i++) {
      members.add((i % 2 == 0 ? "even:" : "odd:") + i);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void lettuceResp3() {
    lettuce(ProtocolVersion.RESP3);
  }

  @Test
  void lettuceResp2() {
    lettuce(ProtocolVersion.RESP2);
  }

  @Test
  void jedisResp2() {
    jedis(RedisProtocol.RESP2);
  }

  @Test
  void jedisResp3() {
    jedis(RedisProtocol.RESP3);
  }

  private void lettuce(ProtocolVersion protocol) {
    RedisURI uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(server.boundAddress().getPort())
            .withTimeout(Duration.ofSeconds(10))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      redis.sadd("s", members.toArray(String[]::new));
      assertThat(redis.smismember("s", "odd:1", "odd:2", "even:2"))
          .containsExactly(true, false, true);

      Set<String> seen = new HashSet<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.limit(4).match("even:*");
      for (int calls = 0; !cursor.isFinished() && calls < MAX_CALLS; calls++) {
        ValueScanCursor<String> step = redis.sscan("s", cursor, args);
        seen.addAll(step.getValues());
        cursor = step;
      }
      assertThat(cursor.isFinished()).isTrue();
      assertThat(seen).containsExactlyInAnyOrderElementsOf(matching("even:"));

      assertThatThrownBy(() -> redis.sscan("s", ScanCursor.of("-1")))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessage("ERR invalid cursor");
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  private void jedis(RedisProtocol protocol) {
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build();
    try (Jedis jedis =
        new Jedis(new HostAndPort("127.0.0.1", server.boundAddress().getPort()), config)) {
      jedis.sadd("s", members.toArray(String[]::new));
      assertThat(jedis.smismember("s", "even:0", "even:1", "odd:1"))
          .containsExactly(true, false, true);

      Set<String> seen = new HashSet<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams params = new ScanParams().count(4).match("odd:*");
      int calls = 0;
      do {
        ScanResult<String> step = jedis.sscan("s", cursor, params);
        seen.addAll(step.getResult());
        cursor = step.getCursor();
        calls++;
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && calls < MAX_CALLS);
      assertThat(cursor).isEqualTo(ScanParams.SCAN_POINTER_START);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(matching("odd:"));
    }
  }

  private List<String> matching(String prefix) {
    return members.stream().filter(m -> m.startsWith(prefix)).toList();
  }
}
