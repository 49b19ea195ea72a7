package dev.meld.chaos.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubnetsTest {

  /** Law: every draw gives two distinct /24s inside 10.160.0.0 - 10.223.255.0. */
  @Test
  void drawsAreTwoDistinctPrefixesInTheBenchRange() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      Subnets s = Subnets.draw(random);
      assertThat(s.mesh()).isNotEqualTo(s.edge());
      for (String prefix : new String[] {s.mesh(), s.edge()}) {
        String[] octets = prefix.split("\\.");
        assertThat(octets).hasSize(3);
        assertThat(octets[0]).isEqualTo("10");
        assertThat(Integer.parseInt(octets[1])).isBetween(160, 223);
        assertThat(Integer.parseInt(octets[2])).isBetween(0, 255);
      }
    }
  }

  @Test
  void eachNodeHasItsOwnFixedAddressOnEachNetwork() {
    Subnets s = new Subnets("10.170.4", "10.170.5");
    Set<String> seen = new HashSet<>();
    for (int k = 1; k <= 200; k++) {
      String node = "n" + k;
      assertThat(seen.add(s.meshAddress(node))).isTrue();
      assertThat(s.edgeAddress(node)).isEqualTo("10.170.5." + (10 + k));
    }
    assertThat(s.meshAddress("n1")).isEqualTo("10.170.4.11");
    assertThat(Subnets.cidr("10.170.4")).isEqualTo("10.170.4.0/24");
    assertThat(Subnets.gateway("10.170.4")).isEqualTo("10.170.4.1");
  }

  @Test
  void namesOutsideN1ToN200AreRefused() {
    for (String bad : new String[] {"n0", "n201", "node1", "n01", ""}) {
      assertThatThrownBy(() -> Subnets.address("10.170.4", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected: n1 .. n200");
    }
  }
}
