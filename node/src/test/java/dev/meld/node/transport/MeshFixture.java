package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.testing.NoLeaks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real transports on loopback for one test, with short timers; closes them all after the test and
 * then fails it on any leaked buffer.
 */
final class MeshFixture implements AfterEachCallback {

  static final String CLUSTER = "test";
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A started transport and what its listener heard. */
  record Node(String name, MeshTransport transport, RecordingListener listener) {
    InetSocketAddress address() {
      return transport.boundAddress();
    }

    PeerLinkStats stats(String peer) {
      return transport.stats().get(peer);
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();

  /** A builder with the fixture's short timers. */
  static MeshConfig.Builder config(String node, long incarnation) {
    return MeshConfig.builder(CLUSTER, node, incarnation)
        .backoffMillis(20, 200)
        .connectTimeoutMillis(1_000)
        .handshakeTimeoutMillis(2_000)
        .ioThreads(1);
  }

  Node start(String node) {
    return start(config(node, 1).build());
  }

  Node start(String node, UnaryOperator<MeshConfig.Builder> tweak) {
    return start(tweak.apply(config(node, 1)).build());
  }

  Node start(MeshConfig config) {
    RecordingListener listener = new RecordingListener();
    MeshTransport transport = MeshTransport.start(config, listener);
    open.add(transport);
    return new Node(config.nodeName(), transport, listener);
  }

  /** Closes {@code closeable} with the rest after the test. */
  <T extends AutoCloseable> T closeLater(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** Makes every node dial every other. */
  static void fullMesh(Node... nodes) {
    for (Node n : nodes) {
      Map<String, InetSocketAddress> peers = new HashMap<>();
      for (Node other : nodes) {
        if (other != n) {
          peers.put(other.name(), other.address());
        }
      }
      n.transport().setPeers(peers);
    }
  }

  static PeerMessage ping(String from, long hlc) {
    return new PeerMessage.Ping(CLUSTER, new ReplicaId(from, 1), hlc);
  }

  static PeerMessage ack(String origin, long n) {
    return new PeerMessage.ReplicateAck(new ReplicaId(origin, 1), n);
  }

  /** Waits until {@code condition} holds, failing after {@link #WAIT}. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
    assertThat(NoLeaks.collect()).as("leaked Netty buffers").isEmpty();
  }
}
