package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.PieceView;
import dev.meld.node.store.RecordStore;
import dev.meld.node.testing.NoLeaks;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;

/**
 * SMEMBERS of a set above {@link Command.SetMembers#STREAM_ABOVE} members is written from a view of
 * the store as the client reads it (issue 16: "SMEMBERS streams"), never built whole: every member
 * exactly once, the state at the command's place in order, and the view closed however the reply
 * ends. Before, the replica built the whole reply as a list and a RESP array, gigabytes for a set of
 * ten million.
 */
@ExtendWith(NoLeaks.class)
class SmembersStreamsALargeSetTest {
  private static final int MEMBERS = 3 * Command.SetMembers.STREAM_ABOVE;

  private final RecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
  private ReplicaGateway replica;
  private RespServer server;
  private final Set<String> members = new HashSet<>();

  @BeforeEach
  void start() {
    replica =
        new ReplicaGateway(ReplicaConfig.builder("solo").build(), PhysicalClock.system(), store);
    server =
        RespServer.start(
            RespConfig.builder()
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .build(),
            replica,
            RespMetrics.NOOP);
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      Pipeline pipe = jedis.pipelined();
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        String member = "member-" + i + "-" + "x".repeat(i % 40);
        members.add(member);
        batch.add(member);
        if (batch.size() == 500 && i < MEMBERS - 1) {
          pipe.sadd("big", batch.toArray(String[]::new));
          batch.clear();
        }
      }
      pipe.sadd("big", batch.toArray(String[]::new));
      pipe.sync();
      assertThat(jedis.scard("big")).isEqualTo(MEMBERS);
    }
  }

  @AfterEach
  void stop() {
    server.close();
    replica.close();
  }

  private Jedis jedis(RedisProtocol protocol) {
    InetSocketAddress at = server.boundAddress();
    return new Jedis(
        new HostAndPort(at.getHostString(), at.getPort()),
        DefaultJedisClientConfig.builder().protocol(protocol).socketTimeoutMillis(10_000).build());
  }

  @Test
  void everyMemberComesOnceInBothProtocolsAndTheViewIsClosedAfter() {
    for (RedisProtocol protocol : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
      try (Jedis jedis = jedis(protocol)) {
        assertThat(jedis.smembers("big")).as("%s", protocol).isEqualTo(members);
        assertThat(jedis.ping()).isEqualTo("PONG");
      }
      assertThat(store.openViews()).isZero();
    }
  }

  @Test
  void writesPipelinedAfterSmembersAreNotInItsReplyAndAreAnsweredAfterIt() throws IOException {
    try (Socket socket = connect()) {
      socket
          .getOutputStream()
          .write(
              (RespTestChannel.command("SMEMBERS", "big")
                      + RespTestChannel.command("SADD", "big", "late")
                      + RespTestChannel.command("SREM", "big", "member-0-")
                      + RespTestChannel.command("SCARD", "big"))
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      assertThat(line(in)).isEqualTo("*" + MEMBERS);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < MEMBERS; i++) {
        seen.add(bulk(in));
      }
      assertThat(seen).isEqualTo(members);
      assertThat(line(in)).isEqualTo(":1");
      assertThat(line(in)).isEqualTo(":1");
      assertThat(line(in)).isEqualTo(":" + MEMBERS);
    }
    assertThat(store.openViews()).isZero();
  }

  @Test
  void aClientThatReadsSlowlyGetsEveryMember() throws Exception {
    try (Socket socket = smembersWithASmallReceiveBuffer()) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 512);
      assertThat(line(in)).isEqualTo("*" + MEMBERS);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < MEMBERS; i++) {
        if (i % 2_000 == 0) {
          Thread.sleep(20); // the socket fills, the node's channel stops being writable
        }
        seen.add(bulk(in));
      }
      assertThat(seen).isEqualTo(members);
    }
    assertThat(store.openViews()).isZero();
  }

  @Test
  void aConnectionClosedMidReplyClosesItsView() throws Exception {
    try (Socket socket = smembersWithASmallReceiveBuffer()) {
      assertThat(line(new BufferedInputStream(socket.getInputStream(), 64)))
          .isEqualTo("*" + MEMBERS);
      assertThat(store.openViews()).as("the reply is still being written").isEqualTo(1);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (store.openViews() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(store.openViews()).isZero();
  }

  @Test
  void withEveryViewInUseAClientIsToldToRetryOrScanAndNothingIsOpened() throws IOException {
    List<PieceView> held = new ArrayList<>();
    for (int i = 0; i < RecordStore.MAX_OPEN_VIEWS; i++) {
      held.add(store.openPieces(new byte[] {1}));
    }
    try (RawClient client = new RawClient(server.boundAddress())) {
      assertThat(client.call("SMEMBERS", "big"))
          .isEqualTo(
              "-ERR large SMEMBERS replies being sent: "
                  + RecordStore.MAX_OPEN_VIEWS
                  + " (expected: fewer); retry later, or use SSCAN");
      assertThat(client.call("SCARD", "big")).isEqualTo(":" + MEMBERS);
    } finally {
      held.forEach(PieceView::close);
    }
    assertThat(store.openViews()).isZero();
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      assertThat(jedis.smembers("big")).hasSize(MEMBERS);
    }
  }

  /* A socket that takes little at a time, so that the node's channel stops being writable. */
  private Socket smembersWithASmallReceiveBuffer() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(server.boundAddress());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(RespTestChannel.command("SMEMBERS", "big").getBytes(StandardCharsets.ISO_8859_1));
    return socket;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("closed after '" + line + "'");
      }
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
  }

  private static String bulk(InputStream in) throws IOException {
    String header = line(in);
    assertThat(header).startsWith("$");
    byte[] value = in.readNBytes(Integer.parseInt(header.substring(1)));
    assertThat(line(in)).isEmpty();
    return new String(value, StandardCharsets.ISO_8859_1);
  }
}
