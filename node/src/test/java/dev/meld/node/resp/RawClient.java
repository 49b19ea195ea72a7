package dev.meld.node.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A loopback socket that writes raw bytes and reads reply lines, for tests that need what real
 * clients cannot do: hold half a request, say nothing, guess passwords.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawClient(InetSocketAddress server) throws IOException {
    socket = new Socket(server.getAddress(), server.getPort());
    socket.setSoTimeout(5_000);
    in = socket.getInputStream();
  }

  RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** {@code command(words)}, then the first reply line (without CRLF). */
  String call(String... words) throws IOException {
    send(RespTestChannel.command(words));
    return line(5_000);
  }

  /**
   * The next reply line without its CRLF; null if nothing came within {@code millis}; throws if
   * the server closed the connection first.
   */
  String line(int millis) throws IOException {
    socket.setSoTimeout(millis);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      while (true) {
        int b = in.read();
        if (b == -1) {
          throw new IOException("closed by the server after '" + line + "'");
        }
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          return new String(bytes, 0, Math.max(0, bytes.length - 1), StandardCharsets.ISO_8859_1);
        }
        line.write(b);
      }
    } catch (SocketTimeoutException quiet) {
      if (line.size() > 0) {
        throw new IOException("half a line: '" + line + "'");
      }
      return null;
    }
  }

  /** Whether the server closes the connection within {@code millis} (reading what is left). */
  boolean closedWithin(int millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    socket.setSoTimeout(50);
    while (System.nanoTime() < deadline) {
      try {
        if (in.read() == -1) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        // keep waiting
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
