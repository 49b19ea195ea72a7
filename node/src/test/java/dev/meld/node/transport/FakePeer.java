package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.transport.Handshake.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A peer on plain blocking sockets that accepts mesh connections and then misbehaves on purpose: it
 * either never reads at all (a process stopped with SIGSTOP before the handshake), or completes the
 * handshake and then stops reading (stopped afterwards), so that everything sent to it piles up in
 * the socket buffers and then in the sender.
 */
final class FakePeer implements AutoCloseable {

  enum Mode {
    NEVER_READ,
    HANDSHAKE_THEN_STOP_READING
  }

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch established = new CountDownLatch(1);
  private final Thread acceptor;

  FakePeer(String cluster, String node, Mode mode) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              try {
                while (!server.isClosed()) {
                  Socket s = server.accept();
                  s.setReceiveBufferSize(64 << 10);
                  sockets.add(s);
                  if (mode == Mode.HANDSHAKE_THEN_STOP_READING) {
                    handshake(s, cluster, node);
                  }
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "fake-peer-" + node);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void handshake(Socket s, String cluster, String node) throws IOException {
    byte[] nonce = new byte[16];
    Handshake handshake =
        new Handshake(
            Role.ACCEPTOR, cluster, new ReplicaId(node, 1), PeerCodec.VERSION, null, null, nonce);
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    while (!handshake.done()) {
      Handshake.Step step = handshake.receive(RawFrames.read(in));
      if (step instanceof Handshake.Continue c) {
        RawFrames.write(out, c.frames());
      } else if (step instanceof Handshake.Established e) {
        RawFrames.write(out, e.frames());
        established.countDown();
      }
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  boolean awaitEstablished(long millis) throws InterruptedException {
    return established.await(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
