package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A fault proxy server on a free port, an echo upstream, and a Toxiproxy Java client pointed at the
 * server: what every socket-level proxy test starts from. Closing it checks the invariants every
 * test must leave behind: no connection left open on the echo side and no leaked buffer.
 */
final class ProxyHarness implements AutoCloseable {

  final FaultProxyServer server;
  final EchoServer echo;
  final ToxiproxyClient client;

  ProxyHarness() throws IOException {
    server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0), 42);
    echo = new EchoServer();
    client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
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
    eventually(
        Duration.ofSeconds(5),
        "echo connections closed after the proxy stopped",
        () -> echo.open() == 0);
    echo.close();
    assertThat(RecordingLeakDetector.collectLeaks()).as("leaked buffers").isEmpty();
  }
}
