package dev.meld.chaos.proxy;

import static dev.meld.chaos.proxy.ProxyHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy as a plain relay, driven through the Toxiproxy Java client: bytes, connections. */
class RelayTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ProxyHarness harness;

  RelayTest() throws IOException {
    harness = new ProxyHarness();
  }

  @AfterEach
  void close() throws IOException {
    harness.close();
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void relaysALargeTransferBothWaysUnchanged() throws Exception {
    Proxy proxy = harness.echoProxy("echo");
    byte[] sent = random(8 << 20, 1);
    try (Client client = Client.to(proxy.getListen())) {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  client.send(sent);
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      assertThat(client.read(sent.length, WAIT)).isEqualTo(sent);
      writer.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void carriesManyConnectionsAtOnce() throws Exception {
    Proxy proxy = harness.echoProxy("echo");
    List<Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        clients.add(Client.to(proxy.getListen()));
      }
      for (int i = 0; i < clients.size(); i++) {
        clients.get(i).send(random(64 << 10, i));
      }
      for (int i = 0; i < clients.size(); i++) {
        assertThat(clients.get(i).read(64 << 10, WAIT))
            .as("connection %d", i)
            .isEqualTo(random(64 << 10, i));
      }
      assertThat(harness.echo.accepted()).isEqualTo(50);
    } finally {
      for (Client client : clients) {
        client.close();
      }
    }
  }

  @Test
  void disablingClosesExistingConnectionsAndRefusesNewOnesUntilEnabled() throws Exception {
    Proxy proxy = harness.echoProxy("echo");
    String listen = proxy.getListen();
    try (Client client = Client.to(listen)) {
      client.send(new byte[] {1, 2, 3});
      assertThat(client.read(3, WAIT)).containsExactly(1, 2, 3);

      proxy.disable();

      assertThat(readEndOrReset(client)).as("existing connection closed").isTrue();
      assertThatThrownBy(() -> Client.to(listen)).isInstanceOf(ConnectException.class);
      eventually(WAIT, "upstream side closed too", () -> harness.echo.open() == 0);
    }
    proxy.enable();
    assertThat(proxy.getListen()).isEqualTo(listen);
    try (Client client = Client.to(listen)) {
      client.send(new byte[] {4});
      assertThat(client.read(1, WAIT)).containsExactly(4);
    }
  }

  @Test
  void closingTheClientClosesTheUpstreamConnection() throws Exception {
    Proxy proxy = harness.echoProxy("echo");
    try (Client client = Client.to(proxy.getListen())) {
      client.send(new byte[] {1});
      client.read(1, WAIT);
      assertThat(harness.echo.open()).isOne();
    }
    eventually(WAIT, "echo connection closed", () -> harness.echo.open() == 0);
  }

  @Test
  void theUpstreamClosingDeliversItsLastBytesThenClosesTheClient() throws Exception {
    try (ServerSocket farewell = farewellServer()) {
      Proxy proxy =
          harness.client.createProxy("bye", "127.0.0.1:0", "127.0.0.1:" + farewell.getLocalPort());
      try (Client client = Client.to(proxy.getListen())) {
        assertThat(new String(client.readToEnd(WAIT), StandardCharsets.US_ASCII)).isEqualTo("bye");
      }
    }
  }

  @Test
  void anUnreachableUpstreamClosesTheClient() throws Exception {
    int closedPort;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = unused.getLocalPort();
    }
    Proxy proxy = harness.client.createProxy("nowhere", "127.0.0.1:0", "127.0.0.1:" + closedPort);
    try (Client client = Client.to(proxy.getListen())) {
      assertThat(readEndOrReset(client)).isTrue();
    }
  }

  @Test
  void aNewUpstreamServesNewConnections() throws Exception {
    Proxy proxy = harness.echoProxy("echo");
    EchoServer second = harness.newEcho();
    proxy.setUpstream(second.hostPort());
    try (Client client = Client.to(proxy.getListen())) {
      client.send(new byte[] {9});
      assertThat(client.read(1, WAIT)).containsExactly(9);
    }
    assertThat(second.accepted()).isOne();
    assertThat(harness.echo.accepted()).isZero();
  }

  @Test
  void aReceiverThatStopsReadingStopsTheSenderInsteadOfFillingTheProxy() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Proxy proxy =
          harness.client.createProxy("silent", "127.0.0.1:0", "127.0.0.1:" + silent.getLocalPort());
      AtomicLong written = new AtomicLong();
      try (Client client = Client.to(proxy.getListen());
          Socket upstream = silent.accept()) {
        Thread writer = new Thread(() -> writeForever(client, written), "writer");
        writer.setDaemon(true);
        writer.start();
        long settled = settle(written);
        // Bounded by the proxy's in-flight budget plus the kernel's socket buffers on both hops.
        assertThat(settled).isBetween((long) Flow.MAX_IN_FLIGHT, 64L << 20);
        assertThat(upstream.isClosed()).as("the receiver is only slow, not gone").isFalse();
      }
    }
  }

  /** Waits until the counter stops moving for half a second (at most 10 s) and returns it. */
  private static long settle(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = -1;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("sender never blocked; wrote " + counter.get() + " bytes");
  }

  private static void writeForever(Client client, AtomicLong written) {
    byte[] chunk = new byte[64 << 10];
    try {
      while (true) {
        client.send(chunk);
        written.addAndGet(chunk.length);
      }
    } catch (IOException closed) {
      // The test is over.
    }
  }

  /**
   * True if the connection ends (EOF or reset) within the wait, after whatever bytes were still on
   * their way; false if it stays silent.
   */
  static boolean readEndOrReset(Client client) throws IOException {
    try {
      byte[] buffer = new byte[4096];
      for (int i = 0; i < 10_000; i++) {
        int n = client.readOnce(buffer, WAIT);
        if (n <= 0) {
          return n < 0;
        }
      }
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** A server that greets each connection with "bye" and closes it. */
  static ServerSocket farewellServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                  OutputStream out = socket.getOutputStream();
                  out.write("bye".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "farewell");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }
}
