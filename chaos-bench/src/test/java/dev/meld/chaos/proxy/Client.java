package dev.meld.chaos.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Test client: a blocking socket whose every read is bounded in time, with helpers that say what a
 * test expects to see (bytes, end of stream, a reset, or silence).
 */
final class Client implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  Client(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 2_000);
    socket.setSoTimeout(5_000);
    in = socket.getInputStream();
  }

  static Client to(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    return new Client(
        new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
  }

  /** The client's own port, as the proxy sees it in the connection's remote address. */
  int localPort() {
    return socket.getLocalPort();
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Reads exactly {@code n} bytes, failing on end of stream or after {@code timeout}. */
  byte[] read(int n, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    byte[] result = new byte[n];
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int at = 0; at < n; ) {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("read " + at + " of " + n + " bytes within " + timeout);
      }
      int got = in.read(result, at, n - at);
      if (got < 0) {
        throw new IOException("end of stream after " + at + " of " + n + " bytes");
      }
      at += got;
    }
    return result;
  }

  /** Reads until end of stream (bounded), returning everything that arrived. */
  byte[] readToEnd(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int n; (n = in.read(buffer)) >= 0; ) {
      all.write(buffer, 0, n);
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("no end of stream within " + timeout);
      }
    }
    return all.toByteArray();
  }

  /** Reads once: the number of bytes, -1 at end of stream, 0 if nothing came within the wait. */
  int readOnce(byte[] buffer, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return in.read(buffer);
    } catch (SocketTimeoutException silent) {
      return 0;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
