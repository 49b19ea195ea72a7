package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GrudgesTest {

  private static final List<String> FIVE = List.of("a", "b", "c", "d", "e");

  /** Who {@code node} hears under {@code grudge}, itself included. */
  private static Set<String> hears(Grudge grudge, List<String> nodes, String node) {
    Set<String> heard = new HashSet<>();
    for (String from : nodes) {
      if (!grudge.blocks(from, node)) {
        heard.add(from);
      }
    }
    return heard;
  }

  @Test
  void halvesCutBothWaysBetweenTheHalvesOnly() {
    Grudge g = Grudges.halves(FIVE);
    assertThat(hears(g, FIVE, "a")).containsExactlyInAnyOrder("a", "b");
    assertThat(hears(g, FIVE, "c")).containsExactlyInAnyOrder("c", "d", "e");
    for (String x : FIVE) {
      for (String y : FIVE) {
        assertThat(g.blocks(x, y)).isEqualTo(g.blocks(y, x));
      }
    }
  }

  @Test
  void isolatedCutsOneNodeFromAllOthers() {
    Grudge g = Grudges.isolated(FIVE, new SplittableRandom(7));
    List<String> alone = new ArrayList<>();
    for (String node : FIVE) {
      if (hears(g, FIVE, node).size() == 1) {
        alone.add(node);
      } else {
        assertThat(hears(g, FIVE, node)).hasSize(4);
      }
    }
    assertThat(alone).hasSize(1);
  }

  @Test
  void theBridgeHearsEveryoneAndTheHalvesHearOnlyThemselvesAndTheBridge() {
    Grudge g = Grudges.bridge(FIVE);
    assertThat(hears(g, FIVE, "c")).containsExactlyInAnyOrderElementsOf(FIVE);
    assertThat(hears(g, FIVE, "a")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(hears(g, FIVE, "e")).containsExactlyInAnyOrder("c", "d", "e");
    for (String node : FIVE) {
      assertThat(g.blocks("c", node)).isFalse();
    }
  }

  @Test
  void everyMajoritiesRingNodeHearsADistinctMajority() {
    for (int n = 3; n <= 7; n++) {
      List<String> nodes = FIVE.size() >= n ? FIVE.subList(0, n) : names(n);
      Grudge g = Grudges.majoritiesRing(nodes);
      Set<Set<String>> windows = new HashSet<>();
      for (String node : nodes) {
        Set<String> heard = hears(g, nodes, node);
        assertThat(heard).as("n=%d node %s", n, node).hasSize(n / 2 + 1).contains(node);
        windows.add(heard);
      }
      assertThat(windows).as("n=%d", n).hasSize(n);
    }
  }

  @Test
  void theThreeNodeRingIsOneWay() {
    Grudge g = Grudges.majoritiesRing(List.of("a", "b", "c"));
    assertThat(g.blocks("c", "a")).isFalse();
    assertThat(g.blocks("a", "c")).isTrue();
  }

  @Test
  void oneWayDropsOnlyOneDirection() {
    for (long seed = 0; seed < 50; seed++) {
      Grudge g = Grudges.oneWay(FIVE, new SplittableRandom(seed));
      assertThat(g.isEmpty()).isFalse();
      for (String x : FIVE) {
        for (String y : FIVE) {
          assertThat(g.blocks(x, y) && g.blocks(y, x)).as("seed %d: %s<->%s", seed, x, y).isFalse();
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameGrudge() {
    for (String name : Grudges.NAMES) {
      Grudge first = Grudges.named(name, FIVE, new SplittableRandom(42));
      Grudge second = Grudges.named(name, FIVE, new SplittableRandom(42));
      assertThat(second).as(name).isEqualTo(first);
    }
  }

  @Test
  void unionCombinesDrops() {
    Grudge g = Grudges.components(List.of(List.of("a"), List.of("b", "c")));
    Grudge more = g.union(Grudge.of(java.util.Map.of("b", Set.of("c"))));
    assertThat(more.blocks("c", "b")).isTrue();
    assertThat(more.blocks("a", "b")).isTrue();
    assertThat(more.blocks("b", "c")).isFalse();
  }

  @Test
  void badInputIsRefusedWithTheValueAndTheExpectation() {
    assertThatThrownBy(() -> Grudges.named("ring", FIVE, new SplittableRandom(1)))
        .hasMessage(
            "grudge: \"ring\" (expected: one of halves, isolated, bridge, majorities-ring, one-way)");
    assertThatThrownBy(() -> Grudges.bridge(List.of("a", "b")))
        .hasMessage("nodes: 2 (expected: >= 3 for this grudge)");
    assertThatThrownBy(() -> Grudges.components(List.of(List.of("a"), List.of("a", "b"))))
        .hasMessageContaining("expected: disjoint; a is in two");
    assertThatThrownBy(() -> Grudge.of(java.util.Map.of("a", Set.of("a"))))
        .hasMessageContaining("expected: a node never drops itself");
  }

  private static List<String> names(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add("n" + i);
    }
    return names;
  }
}
