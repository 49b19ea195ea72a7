package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A fault proxy server on a free port, an echo upstream, and a Toxiproxy Java client pointed at the
 * server: what every socket-level proxy test starts from. Closing it checks the invariants every
 * test must leave behind: once the server has closed, it holds no socket to any of the harness's
 * upstreams (not even a connect still under way), every upstream sees its connections closed, and
 * no buffer leaked.
 */
final class ProxyHarness implements AutoCloseable {

  final FaultProxyServer server;
  final EchoServer echo;
  final ToxiproxyClient client;
  private final List<EchoServer> upstreams = new ArrayList<>();

  ProxyHarness() throws IOException {
    server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0), 42);
    echo = newEcho();
    client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
  }

  /** Another echo upstream, checked and closed with the harness. */
  EchoServer newEcho() throws IOException {
    EchoServer upstream = new EchoServer();
    upstreams.add(upstream);
    return upstream;
  }

  /** A proxy in front of the echo server, listening on a free port. */
  Proxy echoProxy(String name) throws IOException {
    return client.createProxy(name, "127.0.0.1:0", echo.hostPort());
  }

  /** Polls {@code condition} every 10 ms until it holds, failing after {@code timeout}. */
  static void eventually(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      for (EchoServer upstream : upstreams) {
        // The kernel's table also shows what the echo server cannot: a dial still in SYN_SENT,
        // or a connection waiting in its accept queue.
        assertThat(TcpTable.openTo(upstream.address().getPort()))
            .as("sockets to upstream %s still open after the server closed", upstream.hostPort())
            .isEmpty();
        eventually(
            Duration.ofSeconds(5),
            "connections to upstream " + upstream.hostPort() + " closed after the server closed",
            () -> upstream.open() == 0);
      }
    } finally {
      for (EchoServer upstream : upstreams) {
        upstream.close();
      }
    }
    assertThat(RecordingLeakDetector.collectLeaks()).as("leaked buffers").isEmpty();
  }
}
