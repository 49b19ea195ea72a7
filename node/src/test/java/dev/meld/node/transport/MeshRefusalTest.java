package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.eventually;
import static dev.meld.node.transport.MeshFixture.fullMesh;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.transport.MeshFixture.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real transports on loopback refusing each other: cluster, duplicate name, shared secret. */
class MeshRefusalTest {

  private static final String SECRET = "a shared cluster secret";
  private static final String WRONG = "not the cluster secret!";

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  /** The peers' link from {@code from} to {@code to} failed for {@code reason}, and stays down. */
  private static void refused(Node from, String to, String reason) throws InterruptedException {
    eventually(
        from.name() + "'s link to " + to + " refused for " + reason,
        () -> {
          PeerLinkStats s = from.stats(to);
          return s != null && s.lastError().startsWith(reason + ": ");
        });
    assertThat(from.stats(to).connected()).isFalse();
    assertThat(from.stats(to).connects()).isZero();
  }

  @Test
  void aNodeOfAnotherClusterIsRefused() throws InterruptedException {
    Node a = mesh.start("a");
    Node x = mesh.start(MeshConfig.builder("elsewhere", "b", 1).build());
    a.transport().setPeers(Map.of("b", x.address()));
    refused(a, "b", "CLUSTER");
    assertThat(a.stats("b").lastError())
        .isEqualTo(
            "CLUSTER: refused by the peer: cluster of a: \"test\" (expected: this node's cluster)");
    assertThat(x.transport().counters().closedByReason().get("CLUSTER")).isPositive();
    assertThat(a.transport().counters().refusedByPeers().get("CLUSTER")).isPositive();
    a.transport().send("b", ping("a", 1));
    assertThat(x.listener().messages).isEmpty();
    assertThat(x.transport().stats()).as("no peer was ever established").isEmpty();
  }

  @Test
  void aSecondNodeWithAConnectedNameIsRefusedAsADuplicate() throws InterruptedException {
    Node a = mesh.start("a");
    Node b1 = mesh.start(MeshFixture.config("b", 1).build());
    b1.transport().setPeers(Map.of("a", a.address()));
    assertThat(b1.listener().nextEvent(WAIT)).isEqualTo("connected a#1");

    Node b2 = mesh.start(MeshFixture.config("b", 2).build());
    b2.transport().setPeers(Map.of("a", a.address()));
    refused(b2, "a", "DUPLICATE");
    assertThat(b2.stats("a").lastError()).contains("b is connected as b#1 from ");
    assertThat(a.transport().counters().closedByReason().get("DUPLICATE")).isPositive();

    b1.transport().send("a", ping("b", 4));
    assertThat(a.listener().next(WAIT))
        .isEqualTo(new RecordingListener.Received("b", ping("b", 4)));
    assertThat(a.stats("b").incarnation()).isEqualTo(1);
  }

  @Test
  void nodesWithTheSameSecretConnect() throws InterruptedException {
    Node a = mesh.start("a", c -> c.sharedSecret(SECRET));
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    fullMesh(a, b);
    a.transport().send("b", ping("a", 1));
    b.transport().send("a", ping("b", 2));
    assertThat(b.listener().next(WAIT).message()).isEqualTo(ping("a", 1));
    assertThat(a.listener().next(WAIT).message()).isEqualTo(ping("b", 2));
  }

  @Test
  void aNodeWithAnotherSecretIsRefused() throws InterruptedException {
    Node a = mesh.start("a", c -> c.sharedSecret(WRONG));
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    fullMesh(a, b);
    refused(a, "b", "AUTH");
    refused(b, "a", "AUTH");
    assertThat(b.transport().counters().closedByReason().get("AUTH")).isPositive();
    assertThat(a.stats("b").lastError()).contains("does not verify");
    a.transport().send("b", ping("a", 1));
    Thread.sleep(100);
    assertThat(b.listener().messages).isEmpty();
  }

  @Test
  void aNodeWithoutTheSecretIsRefusedAndRefusesInTurn() throws InterruptedException {
    Node a = mesh.start("a");
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    fullMesh(a, b);
    refused(a, "b", "AUTH");
    refused(b, "a", "AUTH");
    assertThat(a.stats("b").lastError())
        .isEqualTo(
            "AUTH: refused by the peer: shared secret of a: none (expected: the cluster's secret)");
    assertThat(b.stats("a").lastError())
        .isEqualTo(
            "AUTH: refused by the peer: shared secret of b: present (expected: none, this node has"
                + " none)");
  }

  @Test
  void aSecretMustBeLongEnoughAndIsNeverShown() {
    assertThat(MeshFixture.config("a", 1).sharedSecret(SECRET).build().toString())
        .doesNotContain(SECRET)
        .contains("secret=(hidden)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MeshFixture.config("a", 1).sharedSecret("short").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sharedSecret length: 5 bytes (expected: >= 16)");
  }
}
