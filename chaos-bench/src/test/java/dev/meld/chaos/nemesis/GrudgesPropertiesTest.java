package dev.meld.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.history.Props;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The laws of each grudge, for 3 to 11 nodes and any seed. */
class GrudgesPropertiesTest {

  private static List<String> nodes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "n" + i).collect(Collectors.toList());
  }

  private static Set<String> hears(Grudge<String> g, String node, List<String> all) {
    Set<String> heard = new HashSet<>(all);
    heard.removeAll(g.dropsFrom(node));
    return heard;
  }

  /** Halves: two disjoint components covering every node, each deaf to exactly the other. */
  @Test
  void randomHalvesAreDisjointComponentsCoveringAllNodes() {
    Props.check(
        qt ->
            qt.forAll(integers().between(2, 11), longs().all())
                .checkAssert(
                    (n, seed) -> {
                      List<String> all = nodes(n);
                      Grudge<String> g = Grudges.randomHalves(all, new Random(seed));
                      Set<Set<String>> components = new HashSet<>();
                      for (String node : all) {
                        components.add(hears(g, node, all));
                      }
                      assertThat(components).hasSize(2);
                      Set<String> union = new HashSet<>();
                      components.forEach(union::addAll);
                      assertThat(union).containsExactlyInAnyOrderElementsOf(all);
                      assertThat(components.stream().mapToInt(Set::size).sum()).isEqualTo(n);
                      assertThat(components.stream().mapToInt(Set::size).min().orElseThrow())
                          .isEqualTo(n / 2);
                    }));
  }

  /** One: a single node hears only itself; every other node drops only that node. */
  @Test
  void isolateOneCutsExactlyOneNode() {
    Props.check(
        qt ->
            qt.forAll(integers().between(3, 11), longs().all())
                .checkAssert(
                    (n, seed) -> {
                      List<String> all = nodes(n);
                      Grudge<String> g = Grudges.isolateOne(all, new Random(seed));
                      List<String> loners =
                          all.stream()
                              .filter(node -> hears(g, node, all).equals(Set.of(node)))
                              .collect(Collectors.toList());
                      assertThat(loners).hasSize(1);
                      for (String node : all) {
                        if (!node.equals(loners.get(0))) {
                          assertThat(g.dropsFrom(node)).containsExactly(loners.get(0));
                        }
                      }
                    }));
  }

  /**
   * Bridge: the bridge hears and is heard by all; the halves either side cannot hear each other.
   */
  @Test
  void bridgeNodeSeesAllAndHalvesAreCut() {
    Props.check(
        qt ->
            qt.forAll(integers().between(3, 11), longs().all())
                .checkAssert(
                    (n, seed) -> {
                      List<String> all = nodes(n);
                      Grudge<String> g = Grudges.bridge(all, new Random(seed));
                      List<String> bridges =
                          all.stream()
                              .filter(node -> hears(g, node, all).size() == n)
                              .collect(Collectors.toList());
                      assertThat(bridges).hasSize(1);
                      String bridge = bridges.get(0);
                      for (String node : all) {
                        assertThat(g.delivers(bridge, node)).isTrue();
                        assertThat(g.delivers(node, bridge)).isTrue();
                      }
                      Set<Set<String>> sides = new HashSet<>();
                      for (String node : all) {
                        if (!node.equals(bridge)) {
                          Set<String> side = hears(g, node, all);
                          side.remove(bridge);
                          sides.add(side);
                        }
                      }
                      assertThat(sides).hasSize(2);
                      for (Set<String> side : sides) {
                        for (String a : side) {
                          for (String b : all) {
                            if (!side.contains(b) && !b.equals(bridge)) {
                              assertThat(g.delivers(b, a)).isFalse();
                            }
                          }
                        }
                      }
                    }));
  }

  /**
   * Majorities ring: every node hears a majority including itself, no two hear the same set, and
   * beyond 5 nodes the grudge is symmetric.
   */
  @Test
  void majoritiesRingGivesEachNodeADistinctMajority() {
    Props.check(
        qt ->
            qt.forAll(integers().between(3, 11), longs().all())
                .checkAssert(
                    (n, seed) -> {
                      List<String> all = nodes(n);
                      Grudge<String> g = Grudges.majoritiesRing(all, new Random(seed));
                      Set<Set<String>> majorities = new HashSet<>();
                      for (String node : all) {
                        Set<String> heard = hears(g, node, all);
                        assertThat(heard).contains(node).hasSizeGreaterThanOrEqualTo(n / 2 + 1);
                        majorities.add(heard);
                        if (n > 5) {
                          for (String other : all) {
                            assertThat(g.delivers(other, node)).isEqualTo(g.delivers(node, other));
                          }
                        }
                      }
                      assertThat(majorities).hasSize(n);
                    }));
  }

  @Test
  void sameSeedGivesTheSameGrudge() {
    Props.check(
        qt ->
            qt.forAll(integers().between(3, 11), longs().all())
                .checkAssert(
                    (n, seed) -> {
                      for (String name : Grudges.names()) {
                        assertThat(Grudges.<String>named(name).apply(nodes(n), new Random(seed)))
                            .isEqualTo(
                                Grudges.<String>named(name).apply(nodes(n), new Random(seed)));
                      }
                    }));
  }
}
