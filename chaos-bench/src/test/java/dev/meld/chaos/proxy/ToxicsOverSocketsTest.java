package dev.meld.chaos.proxy;

import static dev.meld.chaos.proxy.RelayTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every toxic through real sockets, configured only with the Toxiproxy Java client, against an echo
 * upstream. Times are checked from below: a toxic must never make things faster than configured.
 * Upper bounds ({@link #SLOW_MILLIS}) only catch a toxic gone badly wrong, since a loaded machine
 * can stretch a loopback round trip to hundreds of milliseconds (a 150 ms bound failed that way);
 * where a toxic must be inactive, it is made so large that an active one would time the read out.
 */
class ToxicsOverSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private static final long SLOW_MILLIS = 5_000;

  private final ProxyHarness harness;
  private final Proxy proxy;

  ToxicsOverSocketsTest() throws IOException {
    harness = new ProxyHarness();
    proxy = harness.echoProxy("echo");
  }

  @AfterEach
  void close() throws IOException {
    harness.close();
  }

  /** Sends one byte and returns the milliseconds until it came back. */
  private static long roundTripMillis(Client client) throws IOException {
    long start = System.nanoTime();
    client.send(new byte[] {7});
    client.read(1, WAIT);
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void latencyDelaysAnExistingConnectionByTheConfiguredTime() throws Exception {
    try (Client client = Client.to(proxy.getListen())) {
      roundTripMillis(client); // the connection exists before the toxic does
      proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
      assertThat(roundTripMillis(client)).isBetween(200L, SLOW_MILLIS);
    }
  }

  @Test
  void latencyOnBothStreamsAddsUpOnNewConnections() throws Exception {
    proxy.toxics().latency("up", ToxicDirection.UPSTREAM, 100);
    proxy.toxics().latency("down", ToxicDirection.DOWNSTREAM, 100).setJitter(20);
    try (Client client = Client.to(proxy.getListen())) {
      assertThat(roundTripMillis(client)).isBetween(180L, SLOW_MILLIS);
    }
  }

  @Test
  void bandwidthLimitsThroughput() throws Exception {
    proxy.toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 100); // 100 KB/s
    byte[] sent = random(50_000, 3);
    try (Client client = Client.to(proxy.getListen())) {
      long start = System.nanoTime();
      client.send(sent);
      assertThat(client.read(sent.length, WAIT)).isEqualTo(sent);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).as("50 KB at 100 KB/s").isBetween(450L, SLOW_MILLIS);
    }
  }

  @Test
  void timeoutDropsDataThenClosesTheConnectionAfterTheTimeout() throws Exception {
    proxy.toxics().timeout("stall", ToxicDirection.DOWNSTREAM, 300);
    try (Client client = Client.to(proxy.getListen())) {
      long start = System.nanoTime();
      client.send(new byte[] {1, 2, 3});
      assertThat(client.readToEnd(WAIT)).isEmpty();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, SLOW_MILLIS);
    }
  }

  @Test
  void timeoutZeroHoldsTheConnectionSilentlyUntilRemoved() throws Exception {
    proxy.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);
    try (Client client = Client.to(proxy.getListen())) {
      client.send(new byte[] {1});
      assertThat(client.readOnce(new byte[8], Duration.ofMillis(500))).as("silence").isZero();
      proxy.toxics().get("hole").remove();
      assertThat(RelayTest.readEndOrReset(client)).as("closed once the hole is gone").isTrue();
    }
  }

  @Test
  void resetPeerResetsTheConnectionOnData() throws Exception {
    proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0);
    try (Client client = Client.to(proxy.getListen())) {
      client.send(new byte[] {1});
      assertThatThrownBy(() -> client.readOnce(new byte[8], WAIT))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void resetPeerWaitsForItsTimeoutBeforeResetting() throws Exception {
    proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 300);
    try (Client client = Client.to(proxy.getListen())) {
      long start = System.nanoTime();
      client.send(new byte[] {1});
      assertThatThrownBy(() -> client.readOnce(new byte[8], WAIT))
          .isInstanceOf(SocketException.class);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, SLOW_MILLIS);
    }
  }

  @Test
  void limitDataClosesAfterTheConfiguredBytes() throws Exception {
    proxy.toxics().limitData("cap", ToxicDirection.DOWNSTREAM, 1000);
    byte[] sent = random(5000, 4);
    try (Client client = Client.to(proxy.getListen())) {
      client.send(sent);
      byte[] received = client.readToEnd(WAIT);
      assertThat(received).hasSize(1000);
      assertThat(received).isEqualTo(java.util.Arrays.copyOf(sent, 1000));
    }
  }

  /**
   * The pieces themselves are checked on a manual clock in {@code StageTest}; over sockets the
   * receiver may read many pieces at once (a busy machine schedules it late, and a count of reads
   * once failed here), so what is checked is their pacing: at most 120-byte pieces 1 ms apart take
   * at least 83 ms for 10 KB, however the receiver is scheduled.
   */
  @Test
  void slicerDeliversAllBytesInPiecesDelayApart() throws Exception {
    proxy.toxics().slicer("slices", ToxicDirection.DOWNSTREAM, 100, 1000).setSizeVariation(20);
    byte[] sent = random(10_000, 5);
    try (Client client = Client.to(proxy.getListen())) {
      long start = System.nanoTime();
      client.send(sent);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[sent.length];
      while (received.size() < sent.length) {
        int n = client.readOnce(buffer, WAIT);
        assertThat(n).as("bytes read after %d", received.size()).isPositive();
        received.write(buffer, 0, n);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(received.toByteArray()).isEqualTo(sent);
      assertThat(millis)
          .as("10 KB in pieces of at most 120 bytes, 1 ms apart")
          .isBetween(83L, SLOW_MILLIS);
    }
  }

  @Test
  void slowCloseHoldsBackTheClose() throws Exception {
    try (ServerSocket farewell = RelayTest.farewellServer()) {
      Proxy bye =
          harness.client.createProxy("bye", "127.0.0.1:0", "127.0.0.1:" + farewell.getLocalPort());
      bye.toxics().slowClose("linger", ToxicDirection.DOWNSTREAM, 300);
      try (Client client = Client.to(bye.getListen())) {
        long start = System.nanoTime();
        assertThat(client.readToEnd(WAIT)).hasSize(3);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, SLOW_MILLIS);
      }
    }
  }

  @Test
  void toxicityZeroLeavesConnectionsAlone() throws Exception {
    Latency latency = proxy.toxics().latency("maybe", ToxicDirection.DOWNSTREAM, 60_000);
    latency.setToxicity(0f);
    try (Client client = Client.to(proxy.getListen())) {
      assertThat(roundTripMillis(client)).isLessThan(SLOW_MILLIS);
    }
    assertThat(harness.client.getProxy("echo").toxics().get("maybe").getToxicity()).isZero();
  }
}
