package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

class KeyHashingTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The store order depends on this function: it is XXH3-64, seed 0, and stays that. */
  @Test
  void keyHashIsXxh3OfTheKeyBytes() {
    assertThat(KeyHashing.keyHash64(bytes("meld")))
        .isEqualTo(LongHashFunction.xx3().hashBytes(bytes("meld")));
    assertThat(KeyHashing.keyHash64(new byte[0])).isEqualTo(0x2d06800538d394c2L);
  }

  @Test
  void recordDigestSeparatesKeyFromState() {
    assertThat(KeyHashing.recordDigest(bytes("ab"), bytes("c")))
        .isNotEqualTo(KeyHashing.recordDigest(bytes("a"), bytes("bc")));
    assertThat(KeyHashing.recordDigest(bytes(""), bytes("abc")))
        .isNotEqualTo(KeyHashing.recordDigest(bytes("abc"), bytes("")));
  }

  /**
   * Peers that digest versions miss same-version different-content replicas; this digest cannot.
   */
  @Test
  void recordDigestCoversContentNotJustTheKey() {
    assertThat(KeyHashing.recordDigest(bytes("k"), new byte[] {1}))
        .isNotEqualTo(KeyHashing.recordDigest(bytes("k"), new byte[] {2}));
  }

  @Test
  void digestArithmeticCarriesAcrossHalves() {
    Digest max = new Digest(0, -1L);
    assertThat(max.plus(new Digest(0, 1))).isEqualTo(new Digest(1, 0));
    assertThat(new Digest(1, 0).minus(new Digest(0, 1))).isEqualTo(max);
    assertThat(Digest.ZERO.minus(new Digest(0, 1))).isEqualTo(new Digest(-1L, -1L));
    assertThat(new Digest(5, 7).plus(new Digest(9, 11)).minus(new Digest(9, 11)))
        .isEqualTo(new Digest(5, 7));
  }
}
