package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.proxy.MeshLinks.Fault;
import dev.meld.chaos.proxy.MeshLinks.Probe;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's link facade over the Toxiproxy client: two "nodes" (echo servers) with a link each
 * way, and every fault checked by what a node would see on the wire.
 */
class MeshLinksTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ProxyHarness harness;
  private final EchoServer nodeB;
  private final MeshLinks links;

  MeshLinksTest() throws IOException {
    harness = new ProxyHarness();
    nodeB = harness.newEcho();
    links = new MeshLinks(harness.client);
    links.addLink("a", "b", nodeB.address());
    links.addLink("b", "a", harness.echo.address());
  }

  @AfterEach
  void close() throws IOException {
    harness.close();
  }

  private Client dial(String from, String to) throws IOException {
    return new Client(links.address(from, to));
  }

  private static void echoes(Client client, int bytes) throws IOException {
    byte[] sent = RelayTest.random(bytes, bytes);
    client.send(sent);
    assertThat(client.read(bytes, WAIT)).isEqualTo(sent);
  }

  @Test
  void aLinkCarriesTrafficToItsNode() throws Exception {
    assertThat(MeshLinks.linkName("a", "b")).isEqualTo("a_to_b");
    try (Client client = dial("a", "b")) {
      echoes(client, 1000);
    }
    assertThat(nodeB.accepted()).isOne();
    assertThat(links.faults("a", "b")).isEmpty();
  }

  @Test
  void cutClosesTheLinkInOneDirectionOnly() throws Exception {
    try (Client client = dial("a", "b")) {
      echoes(client, 10);
      links.cut("a", "b");
      assertThat(RelayTest.readEndOrReset(client)).isTrue();
    }
    links.verifyCut("a", "b");
    assertThat(links.faults("a", "b")).containsExactly(Fault.CUT);
    assertThat(links.probe("a", "b", WAIT)).isEqualTo(Probe.REFUSED);
    assertThat(links.probe("b", "a", WAIT)).isEqualTo(Probe.ACCEPTED);
  }

  @Test
  void verifyCutFailsOnALinkThatIsNotCut() {
    assertThatThrownBy(() -> links.verifyCut("a", "b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("link a_to_b: faults [], probe ACCEPTED (expected: CUT and REFUSED)");
  }

  @Test
  void healRemovesEveryFault() throws Exception {
    links.cut("a", "b");
    links.slow("a", "b", 1000, 0);
    links.lossy("a", "b", 1, 0);
    assertThat(links.faults("a", "b"))
        .containsExactlyInAnyOrder(Fault.CUT, Fault.SLOW, Fault.LOSSY);
    links.heal("a", "b");
    links.verifyHealed("a", "b");
    try (Client client = dial("a", "b")) {
      echoes(client, 100);
    }
  }

  @Test
  void slowDelaysWhatTheDialingNodeSendsAndCanBeRetuned() throws Exception {
    try (Client client = dial("a", "b")) {
      links.slow("a", "b", 200, 0);
      long start = System.nanoTime();
      echoes(client, 1);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 1_000L);
      links.slow("a", "b", 0, 0);
      start = System.nanoTime();
      echoes(client, 1);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(200L);
    }
    assertThat(links.faults("a", "b")).containsExactly(Fault.SLOW);
  }

  @Test
  void lossyWithCertaintyCutsEveryConnectionAfterTheGivenBytes() throws Exception {
    try (Client before = dial("a", "b")) {
      echoes(before, 10);
      links.lossy("a", "b", 1.0, 100);
      before.send(new byte[1000]);
      // The connection is cut both ways: what node b echoed after the cut is lost too.
      assertThat(RelayTest.readEndOrReset(before)).isTrue();
    }
    ProxyHarness.eventually(WAIT, "node b saw 10 + 100 bytes", () -> nodeB.received() == 110);
    try (Client after = dial("a", "b")) {
      after.send(new byte[1000]);
      assertThat(RelayTest.readEndOrReset(after)).isTrue();
    }
    ProxyHarness.eventually(WAIT, "node b saw 100 more", () -> nodeB.received() == 210);
    Thread.sleep(100);
    assertThat(nodeB.received()).isEqualTo(210);
  }

  @Test
  void lossyWithProbabilityZeroLeavesConnectionsWhole() throws Exception {
    links.lossy("a", "b", 0, 10);
    try (Client client = dial("a", "b")) {
      echoes(client, 1000);
    }
  }

  @Test
  void lossyCutsAboutTheGivenShareOfConnections() throws Exception {
    links.lossy("a", "b", 0.5, 0);
    int cut = 0;
    for (int i = 0; i < 40; i++) {
      try (Client client = dial("a", "b")) {
        client.send(new byte[] {1});
        byte[] back = new byte[1];
        if (client.readOnce(back, WAIT) <= 0) {
          cut++;
        }
      }
    }
    assertThat(cut).as("connections cut out of 40 at probability 0.5").isBetween(8, 32);
  }

  @Test
  void blackholeSilencesTheLinkAndHealingClosesTheConnectionsItHeld() throws Exception {
    try (Client client = dial("a", "b")) {
      echoes(client, 10);
      links.blackhole("a", "b");
      links.blackhole("a", "b"); // idempotent
      client.send(new byte[] {1});
      assertThat(client.readOnce(new byte[8], Duration.ofMillis(300))).as("silence").isZero();
      assertThat(links.faults("a", "b")).containsExactly(Fault.BLACKHOLE);
      assertThat(links.probe("a", "b", WAIT)).isEqualTo(Probe.ACCEPTED);
      links.heal("a", "b");
      assertThat(RelayTest.readEndOrReset(client)).isTrue();
    }
    links.verifyHealed("a", "b");
  }

  @Test
  void healAllHealsEveryLink() throws Exception {
    links.cut("a", "b");
    links.slow("b", "a", 500, 100);
    links.healAll();
    links.verifyHealed("a", "b");
    links.verifyHealed("b", "a");
  }

  @Test
  void removeAllDeletesTheLinksFromTheServer() throws Exception {
    links.removeAll();
    assertThat(harness.client.getProxies()).isEmpty();
    assertThatThrownBy(() -> links.cut("a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("link a_to_b: unknown (expected one of: [])");
  }

  @Test
  void badArgumentsSayWhatWasExpected() {
    assertThatThrownBy(() -> MeshLinks.linkName("a b", "c"))
        .hasMessageStartingWith("from: a b (expected: a node id matching");
    assertThatThrownBy(() -> links.lossy("a", "b", 1.5, 0))
        .hasMessage(
            "probability: 1.5, bytesBeforeCut: 0 (expected: probability in 0..1,"
                + " bytesBeforeCut >= 0)");
    assertThatThrownBy(() -> links.slow("a", "b", -1, 0))
        .hasMessage("latencyMs: -1, jitterMs: 0 (expected: both >= 0)");
    assertThatThrownBy(() -> links.addLink("a", "b", nodeB.address()))
        .hasMessage("link a_to_b exists (expected: each link added once)");
  }
}
