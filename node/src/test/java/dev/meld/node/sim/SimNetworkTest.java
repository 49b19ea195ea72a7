package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

  private final EventQueue queue = new EventQueue();
  private final List<String> arrived = new ArrayList<>();

  private SimNetwork network(NetworkProfile profile, long seed) {
    return new SimNetwork(
        queue,
        new SplittableRandom(seed),
        profile,
        Trace.silent(),
        (from, to, frame, tag) ->
            arrived.add(from + ">" + to + ":" + frame[0] + "@" + queue.now()));
  }

  @Test
  void framesArriveWithinTheDelayBounds() {
    SimNetwork net = network(new NetworkProfile(3, 7, 0, 0), 1);
    for (int i = 0; i < 100; i++) {
      net.send("a", "b", new byte[] {(byte) i}, 0);
    }
    queue.runUntil(2);
    assertThat(arrived).isEmpty();
    queue.runUntil(7);
    assertThat(arrived).hasSize(100);
    assertThat(net.delivered()).isEqualTo(100);
  }

  @Test
  void independentDelaysReorderFrames() {
    SimNetwork net = network(new NetworkProfile(1, 50, 0, 0), 2);
    for (int i = 0; i < 20; i++) {
      net.send("a", "b", new byte[] {(byte) i}, 0);
    }
    queue.runUntil(100);
    List<String> inOrder = new ArrayList<>(arrived);
    inOrder.sort((x, y) -> Integer.compare(payload(x), payload(y)));
    assertThat(arrived).hasSize(20).isNotEqualTo(inOrder);
  }

  @Test
  void lossAndDuplicationFollowTheRates() {
    SimNetwork net = network(new NetworkProfile(1, 1, 0.25, 0.25), 3);
    for (int i = 0; i < 4000; i++) {
      net.send("a", "b", new byte[] {1}, 0);
    }
    queue.runUntil(10);
    assertThat(net.dropped()).isBetween(800L, 1200L);
    assertThat(net.duplicated()).isBetween(550L, 950L);
    assertThat(arrived.size()).isEqualTo(4000 - net.dropped() + net.duplicated());
  }

  @Test
  void aGrudgeDropsCutLinksOnlyAndSwallowsWhatWasInFlight() {
    SimNetwork net = network(new NetworkProfile(5, 5, 0, 0), 4);
    net.send("a", "b", new byte[] {1}, 0);
    net.send("b", "a", new byte[] {2}, 0);
    net.setGrudge(Grudge.of(Map.of("b", Set.of("a"))));
    net.send("a", "b", new byte[] {3}, 0);
    net.send("b", "a", new byte[] {4}, 0);
    queue.runUntil(10);
    assertThat(arrived).containsExactly("b>a:2@5", "b>a:4@5");
    assertThat(net.dropped()).isEqualTo(2);
  }

  @Test
  void theSameSeedDeliversTheSameWay() {
    SimNetwork first = network(new NetworkProfile(1, 9, 0.1, 0.1), 5);
    for (int i = 0; i < 50; i++) {
      first.send("a", "b", new byte[] {(byte) i}, 0);
    }
    queue.runUntil(20);
    List<String> once = new ArrayList<>(arrived);
    arrived.clear();
    EventQueue again = new EventQueue();
    SimNetwork second =
        new SimNetwork(
            again,
            new SplittableRandom(5),
            new NetworkProfile(1, 9, 0.1, 0.1),
            Trace.silent(),
            (from, to, frame, tag) ->
                arrived.add(from + ">" + to + ":" + frame[0] + "@" + again.now()));
    for (int i = 0; i < 50; i++) {
      second.send("a", "b", new byte[] {(byte) i}, 0);
    }
    again.runUntil(20);
    assertThat(arrived).isEqualTo(once);
  }

  @Test
  void profilesRefuseImpossibleValues() {
    assertThatThrownBy(() -> new NetworkProfile(5, 4, 0, 0))
        .hasMessage("maxDelayMillis: 4 (expected: >= minDelayMillis, 5)");
    assertThatThrownBy(() -> new NetworkProfile(0, 4, 1.5, 0))
        .hasMessage("dropRate: 1.5 (expected: in [0, 1])");
    assertThatThrownBy(() -> new NetworkProfile(-1, 4, 0, 0))
        .hasMessage("minDelayMillis: -1 (expected: >= 0)");
  }

  private static int payload(String arrival) {
    return Integer.parseInt(arrival.substring(arrival.indexOf(':') + 1, arrival.indexOf('@')));
  }
}
