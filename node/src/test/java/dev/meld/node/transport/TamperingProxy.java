package dev.meld.node.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay that understands secret-mode framing in the client-to-upstream direction (two bare
 * handshake frames, then frames each followed by a 32-byte tag) and lets a test rewrite that stream
 * frame by frame on the first connection through it: alter a frame, replay it, drop it, swap two.
 * Later connections (the dialer's redials) are refused at once, so that nothing the test did not
 * mean to send reaches the upstream. The upstream-to-client direction is forwarded untouched.
 */
final class TamperingProxy implements AutoCloseable {

  /** What to forward instead of frame {@code index} (0 = the HELLO) of the first connection. */
  interface FrameEdit {
    List<byte[]> edit(int index, byte[] frame);
  }

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final FrameEdit edit;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  TamperingProxy(InetSocketAddress upstream, FrameEdit edit) throws IOException {
    this.upstream = upstream;
    this.edit = edit;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    spawn(this::acceptLoop);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Connections accepted so far (the first is the tampered one). */
  int connections() {
    return connections.get();
  }

  /** Flips the last byte of a frame's payload (before its tag). */
  static byte[] flipLastPayloadByte(byte[] frame) {
    byte[] out = frame.clone();
    out[out.length - FrameMac.TAG_BYTES - 1] ^= 0x01;
    return out;
  }

  private void acceptLoop() {
    try {
      while (!server.isClosed()) {
        Socket client = server.accept();
        sockets.add(client);
        if (connections.getAndIncrement() > 0) {
          client.close();
          continue;
        }
        Socket up = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(up);
        spawn(() -> rewrite(client, up));
        spawn(() -> forward(up, client));
      }
    } catch (IOException closed) {
      // the proxy is closing
    }
  }

  private void rewrite(Socket from, Socket to) {
    try (DataInputStream in = new DataInputStream(from.getInputStream());
        OutputStream out = to.getOutputStream()) {
      for (int index = 0; ; index++) {
        byte[] header = new byte[MeshFrame.HEADER_BYTES];
        in.readFully(header);
        int length =
            ((header[4] & 0xFF) << 24)
                | ((header[5] & 0xFF) << 16)
                | ((header[6] & 0xFF) << 8)
                | (header[7] & 0xFF);
        int rest = length + (index >= 2 ? FrameMac.TAG_BYTES : 0);
        byte[] frame = Arrays.copyOf(header, MeshFrame.HEADER_BYTES + rest);
        in.readFully(frame, MeshFrame.HEADER_BYTES, rest);
        ByteArrayOutputStream replaced = new ByteArrayOutputStream();
        for (byte[] b : edit.edit(index, frame)) {
          replaced.write(b);
        }
        out.write(replaced.toByteArray());
        out.flush();
      }
    } catch (IOException closed) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void forward(Socket from, Socket to) {
    byte[] buffer = new byte[16 << 10];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
      }
    } catch (IOException closed) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void spawn(Runnable body) {
    Thread t = new Thread(body, "tampering-proxy");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(TamperingProxy::closeQuietly);
  }
}
