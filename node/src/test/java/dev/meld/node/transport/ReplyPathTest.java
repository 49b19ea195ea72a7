package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.eventually;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.transport.MeshFixture.Node;
import dev.meld.node.transport.RecordingListener.Received;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exception to the direction rule: a node that dialed here and passed the handshake, but that
 * this node does not dial (not a peer: a joiner the members do not list yet, a leaver they stopped
 * listing), gets this node's messages back on the connection it dialed; peers never do.
 */
class ReplyPathTest {

  private static final String SECRET = "the cluster secret, 30 bytes.";

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  /**
   * Found by the chaos bench: a joiner dialed the members, which sent their answers to a node that
   * was not their peer, and the transport dropped them all (counted as unroutable), so the joiner
   * never heard from anyone and its member record never shipped.
   */
  @Test
  void aJoiningNodeHearsTheMembersAnswers() throws InterruptedException {
    Node member = mesh.start("member", c -> c.sharedSecret(SECRET));
    Node joiner = mesh.start("joiner", c -> c.sharedSecret(SECRET));
    joiner.transport().setPeers(Map.of("member", member.address()));
    assertThat(joiner.listener().nextEvent(WAIT)).isEqualTo("connected member#1");
    joiner.transport().send("member", ping("joiner", 1));
    assertThat(member.listener().next(WAIT)).isEqualTo(new Received("joiner", ping("joiner", 1)));

    for (int i = 1; i <= 100; i++) {
      member.transport().send("joiner", ping("member", i));
    }
    List<Received> answers = joiner.listener().next(100, WAIT);
    assertThat(answers).allMatch(r -> r.from().equals("member"));
    assertThat(answers.get(99).message()).isEqualTo(ping("member", 100));
    assertThat(member.transport().counters().unroutableMessages()).isZero();
    assertThat(member.transport().counters().dialAttempts()).as("the member dials no one").isZero();
    PeerLinkStats back = member.stats("joiner");
    assertThat(back.messagesOut()).isEqualTo(100);
    assertThat(back.inboundConnections()).isEqualTo(1);
    assertThat(back.dropped()).isZero();
  }

  @Test
  void repliesCrossTheJoinersLinkUntilTheMemberDialsItThenOnlyTheMembersOwn() throws Exception {
    Node member = mesh.start("member");
    RecordingProxy joinerToMember = mesh.closeLater(new RecordingProxy(member.address()));
    Node joiner =
        mesh.start("joiner", c -> c.dialOverride("member", joinerToMember.address()));
    joiner.transport().setPeers(Map.of("member", member.address()));
    assertThat(joiner.listener().nextEvent(WAIT)).isEqualTo("connected member#1");
    eventually("the member sees the joiner", () -> member.stats("joiner") != null);

    member.transport().send("joiner", ping("member", 1));
    assertThat(joiner.listener().next(WAIT).message()).isEqualTo(ping("member", 1));
    assertThat(messages(joinerToMember.sentToClients()))
        .as("a reply to a non-peer goes back on the link the joiner dialed")
        .isEqualTo(1);

    // The member learns the joiner's record and dials it: the rule holds again.
    RecordingProxy memberToJoiner = mesh.closeLater(new RecordingProxy(joiner.address()));
    member.transport().setPeers(Map.of("joiner", memberToJoiner.address()));
    assertThat(member.listener().nextEvent(WAIT)).isEqualTo("connected joiner#1");
    for (int i = 2; i <= 11; i++) {
      member.transport().send("joiner", ping("member", i));
    }
    assertThat(joiner.listener().next(10, WAIT)).allMatch(r -> r.from().equals("member"));
    assertThat(messages(memberToJoiner.sentUpstream())).isEqualTo(10);
    assertThat(messages(joinerToMember.sentToClients())).isEqualTo(1);
  }

  private static long messages(byte[] stream) throws java.io.IOException {
    return RawFrames.parse(stream).stream().filter(f -> f.type() == MeshFrame.MESSAGE).count();
  }

  @Test
  void aNodeThatNeverDialedHereOrFailedTheHandshakeIsUnroutable() throws InterruptedException {
    Node member = mesh.start("member", c -> c.sharedSecret(SECRET));
    Node intruder = mesh.start("intruder"); // no secret: refused at the handshake
    intruder.transport().setPeers(Map.of("member", member.address()));
    eventually(
        "the member refused the intruder",
        () -> member.transport().counters().closedByReason().get("AUTH") > 0);
    member.transport().send("intruder", ping("member", 1));
    member.transport().send("stranger", ping("member", 2));
    assertThat(member.transport().counters().unroutableMessages()).isEqualTo(2);
    Thread.sleep(100);
    assertThat(intruder.listener().messages).isEmpty();
  }

  @Test
  void aReplyPathClosesWithItsConnection() throws InterruptedException {
    Node member = mesh.start("member");
    Node joiner = mesh.start("joiner");
    joiner.transport().setPeers(Map.of("member", member.address()));
    assertThat(joiner.listener().nextEvent(WAIT)).isEqualTo("connected member#1");
    eventually("the member sees the joiner", () -> member.stats("joiner") != null);
    joiner.transport().setPeers(Map.of()); // the joiner hangs up
    eventually("the member forgot the joiner", () -> member.stats("joiner") == null);
    member.transport().send("joiner", ping("member", 1));
    assertThat(member.transport().counters().unroutableMessages()).isEqualTo(1);
  }
}
