package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, the client port's node-wide limits, on a real {@link RespServer} on loopback: 20
 * connections each holding an unfinished 62 MB request exhausted direct memory; a full client table
 * went unnoticed; idle clients were never closed.
 */
@ExtendWith(NoLeaks.class)
class NodeWideLimitsTest {

  private static final int BUDGET = 2 << 20;
  private static final int BULK = 600_000;

  private RespServer server;

  private RespServer start(RespConfig.Builder config) {
    server =
        RespServer.start(
            config.bindAddress(new InetSocketAddress("127.0.0.1", 0)).ioThreads(1).build(),
            new FakeGateway(),
            RespMetrics.NOOP);
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** {@code SET k <600,000 bytes>} cut off after its first 1,000 value bytes. */
  private static String halfASet() {
    return "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + BULK + "\r\n" + "x".repeat(1_000);
  }

  @Test
  void heldPartialRequestsStayWithinTheNodeWideBudgetAndTheNodeKeepsServing() throws Exception {
    start(
        RespConfig.builder()
            .maxBulkBytes(1 << 20)
            .maxRequestBytes(1 << 20)
            .maxUnfinishedRequestBytes(BUDGET));
    long perRequest =
        BULK + 3 + 1 + 3L * RespConfig.ARGUMENT_OVERHEAD_BYTES - RespConfig.UNCOUNTED_REQUEST_BYTES;
    long fits = BUDGET / perRequest; // 3
    List<RawClient> held = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        RawClient c = new RawClient(server.boundAddress()).send(halfASet());
        String reply = c.line(300);
        if (reply == null) {
          held.add(c);
        } else {
          refusals.add(reply);
          assertThat(c.closedWithin(5_000)).as("a refused connection is closed").isTrue();
          c.close();
        }
        assertThat(server.context().unfinishedBytes()).isLessThanOrEqualTo(BUDGET);
      }
      assertThat(held).hasSize((int) fits);
      assertThat(refusals).hasSize(8 - (int) fits);
      assertThat(refusals.get(0))
          .isEqualTo(
              "-ERR request refused: unfinished requests on this node would hold "
                  + (fits + 1) * perRequest
                  + " bytes with this one (expected: <= "
                  + BUDGET
                  + "); retry later");
      assertThat(server.context().unfinishedBytes()).isEqualTo(fits * perRequest);

      try (RawClient normal = new RawClient(server.boundAddress())) {
        assertThat(normal.call("PING")).isEqualTo("+PONG");
        assertThat(normal.call("SET", "a", "b")).isEqualTo("+OK");
        assertThat(normal.call("GET", "a")).isEqualTo("$1");
      }

      // A held request that finishes gives its share back and is answered.
      RawClient first = held.remove(0);
      first.send("x".repeat(BULK - 1_000) + "\r\n");
      assertThat(first.line(5_000)).isEqualTo("+OK");
      first.close();
      awaitUnfinished((fits - 1) * perRequest);
      // So does one that disconnects.
      held.remove(0).close();
      awaitUnfinished((fits - 2) * perRequest);
      // And there is room for a big request again.
      RawClient again = new RawClient(server.boundAddress()).send(halfASet());
      held.add(again);
      assertThat(again.line(300)).isNull();
    } finally {
      for (RawClient c : held) {
        c.close();
      }
    }
    awaitUnfinished(0);
  }

  private void awaitUnfinished(long bytes) throws InterruptedException {
    for (int i = 0; i < 250 && server.context().unfinishedBytes() != bytes; i++) {
      Thread.sleep(20);
    }
    assertThat(server.context().unfinishedBytes()).isEqualTo(bytes);
  }

  @Test
  void aFullClientTableTurnsClientsAwayUntilOneLeaves() throws Exception {
    start(RespConfig.builder().maxClients(2));
    try (RawClient a = new RawClient(server.boundAddress());
        RawClient b = new RawClient(server.boundAddress())) {
      assertThat(a.call("PING")).isEqualTo("+PONG");
      assertThat(b.call("PING")).isEqualTo("+PONG");
      assertThat(server.full()).isTrue();
      try (RawClient c = new RawClient(server.boundAddress())) {
        assertThat(c.line(5_000)).isEqualTo("-ERR max number of clients reached");
        assertThat(c.closedWithin(5_000)).isTrue();
      }
      a.close();
      for (int i = 0; i < 250 && server.full(); i++) {
        Thread.sleep(20);
      }
      assertThat(server.full()).isFalse();
      try (RawClient d = new RawClient(server.boundAddress())) {
        assertThat(d.call("PING")).isEqualTo("+PONG");
      }
    }
  }

  @Test
  void anIdleClientIsClosedAfterTheIdleTimeout() throws Exception {
    start(RespConfig.builder().idleTimeoutMillis(300));
    try (RawClient idle = new RawClient(server.boundAddress());
        RawClient busy = new RawClient(server.boundAddress())) {
      assertThat(idle.call("PING")).isEqualTo("+PONG");
      long start = System.nanoTime();
      boolean busyStayed = true;
      for (int i = 0; i < 10; i++) {
        Thread.sleep(100);
        busyStayed &= "+PONG".equals(busy.call("PING"));
      }
      assertThat(idle.closedWithin(5_000)).isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
      assertThat(busyStayed).as("a client with traffic stays").isTrue();
      assertThat(busy.call("PING")).isEqualTo("+PONG");
    }
  }

  @Test
  void theBudgetMayNotBeSmallerThanOneRequest() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RespConfig.builder().maxRequestBytes(1 << 20).maxUnfinishedRequestBytes(1).build())
        .hasMessage("maxUnfinishedRequestBytes: 1 (expected: >= maxRequestBytes 1048576)");
  }
}
