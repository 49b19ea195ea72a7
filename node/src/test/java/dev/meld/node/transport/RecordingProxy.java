package dev.meld.node.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to one upstream that keeps a copy of every byte it forwards, per direction, and can
 * black-hole the client-to-upstream direction (a one-way partition). A node dials a peer through it
 * by a dial override, as the chaos bench's fault proxy is used.
 */
final class RecordingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final ByteArrayOutputStream toUpstream = new ByteArrayOutputStream();
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean cutUpstream;

  RecordingProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    spawn("proxy-accept", this::acceptLoop);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Black-holes (true) or forwards again (false) what clients send upstream. */
  void cutUpstream(boolean cut) {
    cutUpstream = cut;
  }

  /** A copy of every byte forwarded from clients to the upstream so far. */
  byte[] sentUpstream() {
    synchronized (toUpstream) {
      return toUpstream.toByteArray();
    }
  }

  /** A copy of every byte forwarded from the upstream to clients so far. */
  byte[] sentToClients() {
    synchronized (toClient) {
      return toClient.toByteArray();
    }
  }

  private void acceptLoop() {
    try {
      while (!server.isClosed()) {
        Socket client = server.accept();
        Socket up = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(client);
        sockets.add(up);
        spawn("proxy-up", () -> pump(client, up, toUpstream, true));
        spawn("proxy-down", () -> pump(up, client, toClient, false));
      }
    } catch (IOException closed) {
      // the proxy is closing
    }
  }

  private void pump(Socket from, Socket to, ByteArrayOutputStream record, boolean upstream) {
    byte[] buffer = new byte[16 << 10];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (upstream && cutUpstream) {
          continue;
        }
        synchronized (record) {
          record.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException closed) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void spawn(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
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
    sockets.forEach(RecordingProxy::closeQuietly);
    try {
      for (Thread t : threads) {
        t.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
