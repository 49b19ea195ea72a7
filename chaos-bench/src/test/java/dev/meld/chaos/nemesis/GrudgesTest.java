package dev.meld.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grudges, with the cases of Jepsen's {@code nemesis_test.clj} ({@code bisect-test}, {@code
 * complete-grudge-test}, {@code bridge-test}, {@code majorities-ring-test}) and the 3- and 5-node
 * cases of each.
 */
class GrudgesTest {

  private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);
  private static final List<String> THREE = List.of("n1", "n2", "n3");

  @Test
  void jepsenBisect() {
    assertThat(Grudges.bisect(List.of())).isEqualTo(List.of(List.of(), List.of()));
    assertThat(Grudges.bisect(List.of(1))).isEqualTo(List.of(List.of(), List.of(1)));
    assertThat(Grudges.bisect(List.of(1, 2, 3, 4)))
        .isEqualTo(List.of(List.of(1, 2), List.of(3, 4)));
    assertThat(Grudges.bisect(FIVE)).isEqualTo(List.of(List.of(1, 2), List.of(3, 4, 5)));
  }

  @Test
  void jepsenCompleteGrudge() {
    assertThat(Grudges.complete(Grudges.bisect(FIVE)).drops())
        .isEqualTo(
            Map.of(
                1,
                Set.of(3, 4, 5),
                2,
                Set.of(3, 4, 5),
                3,
                Set.of(1, 2),
                4,
                Set.of(1, 2),
                5,
                Set.of(1, 2)));
  }

  @Test
  void jepsenBridge() {
    assertThat(Grudges.bridge(FIVE).drops())
        .isEqualTo(Map.of(1, Set.of(4, 5), 2, Set.of(4, 5), 4, Set.of(1, 2), 5, Set.of(1, 2)));
  }

  @Test
  void jepsenMajoritiesRingOnFiveNodes() {
    Grudge<Integer> g = Grudges.majoritiesRing(FIVE, new Random(42));
    assertThat(g.drops().keySet()).isEqualTo(Set.of(1, 2, 3, 4, 5));
    g.drops()
        .forEach(
            (node, dropped) -> {
              assertThat(dropped).hasSize(2).doesNotContain(node);
            });
    assertThat(new HashSet<>(g.drops().values())).hasSize(5);
  }

  @Test
  void halvesOfThreeIsolateTheFirstNode() {
    assertThat(Grudges.halves(THREE).drops())
        .isEqualTo(Map.of("n1", Set.of("n2", "n3"), "n2", Set.of("n1"), "n3", Set.of("n1")));
  }

  @Test
  void splitOneOfThreeIsolatesOneNodeBothWays() {
    Grudge<String> g = Grudges.isolateOne(THREE, new Random(7));
    String loner =
        g.drops().entrySet().stream()
            .filter(e -> e.getValue().size() == 2)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    for (String other : THREE) {
      if (!other.equals(loner)) {
        assertThat(g.dropsFrom(other)).containsExactly(loner);
        assertThat(g.delivers(loner, other)).isFalse();
        assertThat(g.delivers(other, loner)).isFalse();
      }
    }
  }

  @Test
  void bridgeOfThreeKeepsOneNodeInTouchWithBoth() {
    assertThat(Grudges.bridge(THREE).drops())
        .isEqualTo(Map.of("n1", Set.of("n3"), "n3", Set.of("n1")));
    assertThat(Grudges.bridge(THREE).dropsFrom("n2")).isEmpty();
  }

  /** With three nodes each hears itself and one neighbour; the drops go one way round. */
  @Test
  void majoritiesRingOfThree() {
    Grudge<String> g = Grudges.majoritiesRing(THREE, new Random(1));
    assertThat(g.drops().keySet()).containsExactlyElementsOf(THREE);
    g.drops().forEach((node, dropped) -> assertThat(dropped).hasSize(1).doesNotContain(node));
    assertThat(new HashSet<>(g.drops().values())).hasSize(3);
  }

  @Test
  void sameSeedSameGrudgeForEveryKind() {
    List<String> nodes = List.of("a", "b", "c", "d", "e", "f", "g");
    for (String name : Grudges.names()) {
      Grudge<String> one = Grudges.<String>named(name).apply(nodes, new Random(99));
      Grudge<String> two = Grudges.<String>named(name).apply(nodes, new Random(99));
      assertThat(one).as(name).isEqualTo(two);
    }
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> Grudges.majoritiesRing(List.of("a", "b"), new Random(1)))
        .hasMessage("nodes: 2 (expected: >= 3)");
    assertThatThrownBy(() -> Grudges.bridge(List.of("a", "b")))
        .hasMessage("nodes: 2 (expected: >= 3)");
    assertThatThrownBy(() -> Grudges.halves(List.of("a", "a")))
        .hasMessage("nodes: [a, a] (expected: no node twice)");
    assertThatThrownBy(() -> Grudges.complete(List.of(List.of("a", "b"), List.of("b"))))
        .hasMessage("components: [[a, b], [b]] (expected: disjoint; b is in two)");
    assertThatThrownBy(() -> Grudges.named("ring"))
        .hasMessage(
            "grudge: \"ring\" (expected: one of halves, random-halves, one, bridge,"
                + " majorities-ring)");
  }
}
