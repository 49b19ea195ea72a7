package dev.meld.chaos.maelstrom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.chaos.nemesis.Grudges;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backend's network alone: routing, one-way cuts, and what it refuses from untrusted nodes. */
class MaelstromNetworkTest {

  private final ObjectMapper json = new ObjectMapper();
  private final BlockingQueue<String> n1 = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> n2 = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonNode> c1 = new LinkedBlockingQueue<>();

  private MaelstromNetwork network() {
    MaelstromNetwork net = new MaelstromNetwork(json, 1);
    net.node("n1", n1::add);
    net.node("n2", n2::add);
    net.client("c1", c1::add);
    return net;
  }

  private static String line(String src, String dest) {
    return "{\"src\":\"" + src + "\",\"dest\":\"" + dest + "\",\"body\":{\"type\":\"x\"}}";
  }

  @Test
  void aGrudgeCutsNodeLinksButNeverClientsAndHealingRestoresThem() throws Exception {
    try (MaelstromNetwork net = network()) {
      // a complete grudge: each side drops the other; clients still hear both.
      net.grudge(Grudges.complete(List.of(List.of("n1"), List.of("n2"))));
      net.fromNode("n1", line("n1", "n2"));
      net.fromNode("n1", line("n1", "c1"));
      assertThat(c1.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(n2.poll(200, TimeUnit.MILLISECONDS)).isNull();
      assertThat(net.serverSent.get()).isEqualTo(1);
      assertThat(net.serverDelivered.get()).isZero();
      net.grudge(Grudges.complete(List.of()));
      net.fromNode("n2", line("n2", "n1"));
      assertThat(n1.poll(5, TimeUnit.SECONDS)).isEqualTo(line("n2", "n1"));
    }
  }

  @Test
  void aNodeThatSignsAsAnotherOrWritesGarbageIsRefusedAndCounted() throws Exception {
    try (MaelstromNetwork net = network()) {
      net.fromNode("n1", line("n2", "c1"));
      net.fromNode("n1", "not json");
      net.fromNode("n1", line("n1", "n9"));
      net.fromNode("n1", "{\"src\":\"n1\",\"dest\":\"c1\",\"body\":3}");
      assertThat(net.rejected.get()).isEqualTo(4);
      assertThat(c1.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void aClientMessageToAnUnknownNodeIsAnError() {
    try (MaelstromNetwork net = network()) {
      assertThatThrownBy(() -> net.fromClient(json.readTree(line("c1", "n7"))))
          .hasMessageContaining("dest: \"n7\" (expected: one of");
    }
  }
}
