package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.eventually;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.tls.DevCertificates;
import dev.meld.node.tls.MeshTls;
import dev.meld.node.transport.MeshFixture.Node;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on real transports over loopback: a cluster CA's nodes talk; a certificate from
 * another CA, a certificate of another node than the hello claims, and a peer that does not speak
 * TLS are all refused, and none of them delivers anything.
 */
class MeshTlsTest {

  @TempDir static Path dir;
  private static Path cluster;
  private static Path other;

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  @BeforeAll
  static void certificates() {
    cluster = dir.resolve("cluster");
    other = dir.resolve("other");
    DevCertificates certs = new DevCertificates(Instant.now(), Duration.ofDays(1));
    certs.write(cluster, List.of("a", "b", "c"), List.of("127.0.0.1"));
    certs.write(other, List.of("a", "b", "c"), List.of("127.0.0.1"));
  }

  /** Node {@code node}'s TLS with the certificate and key of {@code certOf} from {@code ca}. */
  private static MeshTls tls(Path ca, String certOf) {
    return MeshTls.load(ca.resolve(certOf + ".pem"), ca.resolve(certOf + "-key.pem"), ca.resolve("ca.pem"));
  }

  private static long closed(Node n, Refusal r) {
    return n.transport().counters().closedByReason().get(r.name());
  }

  @Test
  void threeNodesWithMutualTlsTalkEveryWay() throws Exception {
    Node a = mesh.start("a", c -> c.tls(tls(cluster, "a")));
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")));
    Node c = mesh.start("c", x -> x.tls(tls(cluster, "c")));
    MeshFixture.fullMesh(a, b, c);
    for (Node from : List.of(a, b, c)) {
      for (Node to : List.of(a, b, c)) {
        if (from != to) {
          from.transport().send(to.name(), ping(from.name(), 1));
        }
      }
    }
    for (Node n : List.of(a, b, c)) {
      assertThat(n.listener().next(2, WAIT)).extracting(r -> r.from()).doesNotContain(n.name()).hasSize(2);
      assertThat(closed(n, Refusal.TLS)).isZero();
    }
  }

  @Test
  void tlsAndASecretTogetherStillTalk() throws Exception {
    String secret = "the cluster secret, 30 bytes.";
    Node a = mesh.start("a", c -> c.tls(tls(cluster, "a")).sharedSecret(secret));
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")).sharedSecret(secret));
    a.transport().setPeers(Map.of("b", b.address()));
    a.transport().send("b", ping("a", 3));
    assertThat(b.listener().next(WAIT).message()).isEqualTo(ping("a", 3));
  }

  @Test
  void aNodeWithACertificateFromAnotherCaIsRefused() throws Exception {
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")));
    Node a = mesh.start("a", c -> c.tls(tls(other, "a")));
    a.transport().setPeers(Map.of("b", b.address()));
    a.transport().send("b", ping("a", 1));
    eventually("b refuses a's certificate", () -> closed(b, Refusal.TLS) >= 1);
    Thread.sleep(200);
    assertThat(b.listener().messages).isEmpty();
    assertThat(b.transport().stats()).doesNotContainKey("a");
  }

  @Test
  void aNodePresentingN3sCertificateWhileClaimingToBeN1IsRefused() throws Exception {
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")));
    Node impostor = mesh.start("a", c -> c.tls(tls(cluster, "c"))); // c's key, a's name
    impostor.transport().setPeers(Map.of("b", b.address()));
    impostor.transport().send("b", ping("a", 1));
    eventually("b refuses the impostor", () -> closed(b, Refusal.AUTH) >= 1);
    assertThat(b.transport().stats().get("a")).isNull();
    assertThat(b.listener().messages).isEmpty();
    eventually(
        "the impostor hears why",
        () -> impostor.transport().counters().refusedByPeers().get("AUTH") >= 1);
  }

  @Test
  void aDialedPeerWhoseCertificateNamesAnotherNodeIsRefusedByTheDialer() throws Exception {
    Node impostor = mesh.start("b", c -> c.tls(tls(cluster, "c"))); // answers as b with c's key
    Node a = mesh.start("a", c -> c.tls(tls(cluster, "a")));
    a.transport().setPeers(Map.of("b", impostor.address()));
    eventually("a refuses the impostor", () -> closed(a, Refusal.AUTH) >= 1);
    assertThat(impostor.listener().messages).isEmpty();
  }

  @Test
  void aPlainMeshNodeOnATlsMeshPortIsRefused() throws Exception {
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")));
    Node plain = mesh.start("a");
    plain.transport().setPeers(Map.of("b", b.address()));
    plain.transport().send("b", ping("a", 1));
    eventually("b refuses the plain peer", () -> closed(b, Refusal.TLS) >= 1);
    assertThat(b.listener().messages).isEmpty();
  }

  @Test
  void aRawPlainHelloOnATlsMeshPortGetsNoMeshFrameBack() throws Exception {
    Node b = mesh.start("b", c -> c.tls(tls(cluster, "b")));
    byte[] hello =
        new Handshake(
                Handshake.Role.DIALER,
                MeshFixture.CLUSTER,
                new dev.meld.crdt.ReplicaId("a", 1),
                dev.meld.node.peer.PeerCodec.VERSION,
                null,
                "b",
                new byte[16])
            .start()
            .get(0)
            .toBytes();
    try (Socket s = new Socket(b.address().getAddress(), b.address().getPort())) {
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(hello);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readAllBytes(); // until b closes
      assertThat(reply.length == 0 || (reply[0] & 0xFF) != MeshFrame.MAGIC_0)
          .as("no mesh frame in %s bytes back", reply.length)
          .isTrue();
    }
    eventually("counted", () -> closed(b, Refusal.TLS) >= 1);
    assertThat(b.transport().stats()).doesNotContainKey("a");
  }

  @Test
  void aPeerThatHangsUpDuringTheTlsHandshakeIsAnOrdinaryCloseNotATlsRefusal() throws Exception {
    // What a proxy in front of a node that is down does: accept, then close. The chaos bench saw
    // each redial logged as "TLS handshake failed: StacklessClosedChannelException".
    try (java.net.ServerSocket hangsUp = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!hangsUp.isClosed()) {
                  try {
                    hangsUp.accept().close();
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Node a = mesh.start("a", c -> c.tls(tls(cluster, "a")));
      a.transport().setPeers(Map.of("b", (java.net.InetSocketAddress) hangsUp.getLocalSocketAddress()));
      eventually("a redials a few times", () -> a.transport().counters().dialAttempts() >= 3);
      assertThat(closed(a, Refusal.TLS)).isZero();
    }
  }

  @Test
  void aPeerSilentDuringTheTlsHandshakeTimesOutAsATimeoutNotATlsRefusal() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept()); // and never answer
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Node a = mesh.start("a", c -> c.tls(tls(cluster, "a")).handshakeTimeoutMillis(500));
      a.transport().setPeers(Map.of("b", (java.net.InetSocketAddress) silent.getLocalSocketAddress()));
      eventually("a gives up on the handshake", () -> closed(a, Refusal.TIMEOUT) >= 1);
      assertThat(closed(a, Refusal.TLS)).isZero();
      for (java.net.Socket s : held) {
        s.close();
      }
    }
  }
}
