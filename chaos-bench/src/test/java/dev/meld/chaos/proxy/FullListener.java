package dev.meld.chaos.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream that never answers a connect: a loopback listener whose accept queue is full, so the
 * kernel drops every further SYN and a connect to it stays in {@code SYN_SENT} until the dialler
 * gives up. This is how a test holds one of the proxy's upstream dials in flight for as long as it
 * likes, without a hook in the proxy.
 */
final class FullListener implements AutoCloseable {

  private static final int MAX_FILLERS = 16;

  private final ServerSocket server;
  private final List<Socket> queued = new ArrayList<>();

  FullListener() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < MAX_FILLERS; i++) {
      Socket filler = new Socket();
      try {
        filler.connect(server.getLocalSocketAddress(), 300);
        queued.add(filler);
      } catch (SocketTimeoutException full) {
        filler.close();
        return;
      }
    }
    close();
    throw new IllegalStateException(
        "accept queue still not full after "
            + MAX_FILLERS
            + " connections (expected: a kernel that drops SYNs to a full queue, as Linux does)");
  }

  int port() {
    return server.getLocalPort();
  }

  String hostPort() {
    return "127.0.0.1:" + port();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  @Override
  public void close() throws IOException {
    for (Socket filler : queued) {
      filler.close();
    }
    server.close();
  }
}
