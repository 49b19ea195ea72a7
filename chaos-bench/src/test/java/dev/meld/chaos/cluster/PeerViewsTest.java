package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meld.chaos.cluster.LocalMesh.Link;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A partition or heal counts only when the nodes' own views agree. */
class PeerViewsTest {

  /** Node to (member to state). */
  private final Map<String, Map<String, String>> views = new HashMap<>();

  private final PeerViews peerViews = new PeerViews(this::health, Duration.ofMillis(300));

  private NodeHealth health(String node) throws NodeUnreachable {
    Map<String, String> view = views.get(node);
    if (view == null) {
      throw new NodeUnreachable(node, "down", null);
    }
    List<NodeHealth.Member> members =
        view.entrySet().stream()
            .map(e -> new NodeHealth.Member(e.getKey(), e.getValue(), 0))
            .toList();
    return new NodeHealth(
        node, 1, true, false, 0, 0, 0, "", members, JsonNodeFactory.instance.objectNode());
  }

  @Test
  void aCutIsSeenWhenTheReceiverReportsTheSenderUnreachable() throws Exception {
    views.put("n2", Map.of("n1", "UNREACHABLE", "n2", "SELF"));
    assertThat(peerViews.awaitCut(Set.of(new Link("n1", "n2")), n -> true))
        .startsWith("receivers see their cut senders unreachable");
  }

  @Test
  void aCutTheReceiverDoesNotSeeIsNotVerified() {
    views.put("n2", Map.of("n1", "LIVE", "n2", "SELF"));
    assertThatThrownBy(() -> peerViews.awaitCut(Set.of(new Link("n1", "n2")), n -> true))
        .isInstanceOf(NotVerified.class)
        .hasMessageContaining("last seen: [n2 sees n1 LIVE]");
  }

  @Test
  void aReceiverThatIsDownIsNotAsked() throws Exception {
    assertThat(peerViews.awaitCut(Set.of(new Link("n1", "n2")), n -> !n.equals("n2")))
        .contains("[]");
  }

  @Test
  void healedNodesMustSeeEachOtherLive() throws Exception {
    views.put("n1", Map.of("n1", "SELF", "n2", "LIVE"));
    views.put("n2", Map.of("n1", "UNREACHABLE", "n2", "SELF"));
    assertThatThrownBy(() -> peerViews.awaitConnected(List.of("n1", "n2")))
        .hasMessageContaining("n2 sees n1 UNREACHABLE");
    views.put("n2", Map.of("n1", "LIVE", "n2", "SELF"));
    assertThat(peerViews.awaitConnected(List.of("n1", "n2"))).startsWith("all of [n1, n2]");
  }

  @Test
  void membershipIsCheckedOnEveryOtherMember() throws Exception {
    views.put("n1", Map.of("n1", "SELF", "n4", "LIVE"));
    views.put("n2", Map.of("n2", "SELF"));
    assertThatThrownBy(() -> peerViews.awaitMember("n4", true, List.of("n1", "n2", "n4")))
        .hasMessageContaining("n2 does not list n4");
    assertThat(peerViews.awaitMember("n4", false, List.of("n2", "n4")))
        .startsWith("[n2] no longer list n4");
  }
}
