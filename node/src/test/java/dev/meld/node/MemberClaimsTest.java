package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Of two sessions with one peer claiming one set, the smaller session id compares it. */
class MemberClaimsTest {

  private static final byte[] KEY = "big".getBytes(StandardCharsets.UTF_8);

  @Test
  void theSessionWithTheSmallerIdComparesOnBothReplicas() {
    Object s1 = new Object();
    Object s2 = new Object();
    // On a: s1 (id 5) claimed first, then s2 (id 9) arrives: s2 leaves the set to s1.
    MemberClaims a = new MemberClaims();
    assertThat(a.claim("b", KEY, s1, 5)).isTrue();
    assertThat(a.claim("b", KEY, s2, 9)).isFalse();
    // On b, the other order: s2 first, then s1, which still compares; s2's peer declined it.
    MemberClaims b = new MemberClaims();
    assertThat(b.claim("a", KEY, s2, 9)).isTrue();
    assertThat(b.claim("a", KEY, s1, 5)).isTrue();
    // Again for the same session, and for another peer or key: no conflict.
    assertThat(a.claim("b", KEY, s1, 5)).isTrue();
    assertThat(a.claim("c", KEY, s2, 9)).isTrue();
    assertThat(a.claim("b", "other".getBytes(StandardCharsets.UTF_8), s2, 9)).isTrue();
  }

  @Test
  void claimsEndWithTheirSession() {
    Object s1 = new Object();
    Object s2 = new Object();
    MemberClaims claims = new MemberClaims();
    claims.claim("b", KEY, s1, -3);
    assertThat(claims.claim("b", KEY, s2, 4)).isFalse();
    claims.release(s1);
    assertThat(claims.claim("b", KEY, s2, 4)).isTrue();
    claims.release(s2);
    assertThat(claims.size()).isZero();
  }
}
