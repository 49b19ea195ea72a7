package dev.meld.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.crdt.Bytes;
import dev.meld.node.store.Props;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Laws of {@link GlobPattern} over random patterns and subjects (QuickTheories; {@code
 * -Dmeld.props.examples}, a failure prints its seed and the command that replays it).
 */
class GlobPatternPropertyTest {

  /** Any bytes, but mostly the few that mean something to a pattern, so that they meet. */
  private static Gen<Bytes> bytesFrom(String alphabet, int maxLength) {
    byte[] letters = alphabet.getBytes(StandardCharsets.ISO_8859_1);
    return lists()
        .of(integers().between(0, letters.length - 1))
        .ofSizeBetween(0, maxLength)
        .map(
            ix -> {
              byte[] out = new byte[ix.size()];
              for (int i = 0; i < out.length; i++) {
                out[i] = letters[ix.get(i)];
              }
              return Bytes.of(out);
            });
  }

  private static Gen<Bytes> subjects() {
    return bytesFrom("ab-]^\\*?[\0\u00ff", 12);
  }

  /** Law: a pattern made of the subject with every byte escaped matches exactly that subject. */
  @Test
  void anEscapedSubjectMatchesOnlyItself() {
    Props.check(
        "GlobPatternPropertyTest#anEscapedSubjectMatchesOnlyItself",
        qt ->
            qt.forAll(subjects(), subjects())
                .checkAssert(
                    (s, other) -> {
                      GlobPattern p = GlobPattern.compile(escaped(s));
                      assertThat(p.matches(s)).isTrue();
                      assertThat(p.matches(other)).isEqualTo(other.equals(s));
                    }));
  }

  /** Law: {@code *} matches every subject, the empty one included. */
  @Test
  void aStarMatchesEverything() {
    GlobPattern star = GlobPattern.compile(Bytes.utf8("*"));
    Props.check(
        "GlobPatternPropertyTest#aStarMatchesEverything",
        qt -> qt.forAll(subjects()).checkAssert(s -> assertThat(star.matches(s)).isTrue()));
  }

  /**
   * Law: a pattern generalized from a subject matches it: each byte kept escaped, or replaced by
   * {@code ?}, or by a class holding it, and any run of bytes replaced by {@code *}.
   */
  @Test
  void aPatternGeneralizedFromASubjectMatchesIt() {
    Props.check(
        "GlobPatternPropertyTest#aPatternGeneralizedFromASubjectMatchesIt",
        qt ->
            qt.forAll(subjects(), lists().of(integers().between(0, 5)).ofSizeBetween(1, 12))
                .checkAssert(
                    (s, choices) -> {
                      Bytes pattern = generalized(s, choices);
                      assertThat(GlobPattern.compile(pattern).matches(s))
                          .as("pattern %s", pattern)
                          .isTrue();
                    }));
  }

  /**
   * Law: the compiled automaton agrees with a direct recursive reading of the pattern (the way
   * Redis walks it, stars matching the empty string) on every short pattern and subject.
   */
  @Test
  void agreesWithARecursiveReading() {
    Props.check(
        "GlobPatternPropertyTest#agreesWithARecursiveReading",
        qt ->
            qt.forAll(bytesFrom("ab*?[]^-\\", 9), bytesFrom("ab-]^\\", 6))
                .checkAssert(
                    (pattern, s) ->
                        assertThat(GlobPattern.compile(pattern).matches(s))
                            .as("pattern %s subject %s", pattern, s)
                            .isEqualTo(recursive(pattern.toByteArray(), 0, s.toByteArray(), 0))));
  }

  /**
   * Law: a literal prefix changes nothing: {@code Lp} matches {@code Ls} exactly when {@code p}
   * matches {@code s}. With a prefix of 100 bytes, {@code Lp}'s states span several 64-bit words,
   * so this holds the many-word matcher to the one-word one.
   */
  @Test
  void aLiteralPrefixChangesNothing() {
    String prefix = "c".repeat(100);
    Props.check(
        "GlobPatternPropertyTest#aLiteralPrefixChangesNothing",
        qt ->
            qt.forAll(bytesFrom("ab*?[]^-\\", 30), bytesFrom("ab-]^\\", 30))
                .checkAssert(
                    (p, s) ->
                        assertThat(
                                GlobPattern.compile(concat(prefix, p)).matches(concat(prefix, s)))
                            .as("pattern %s subject %s", p, s)
                            .isEqualTo(GlobPattern.compile(p).matches(s))));
  }

  private static Bytes concat(String prefix, Bytes rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(rest.toByteArray());
    return Bytes.of(out.toByteArray());
  }

  private static Bytes escaped(Bytes s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      out.write('\\');
      out.write(s.byteAt(i));
    }
    return Bytes.of(out.toByteArray());
  }

  private static Bytes generalized(Bytes s, List<Integer> choices) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    for (int k = 0; i < s.length(); k++) {
      int choice = choices.get(k % choices.size());
      switch (choice) {
        case 0 -> out.write('?');
        case 1 -> {
          out.write('[');
          out.write('\\');
          out.write(s.byteAt(i));
          out.write(']');
        }
        case 2 -> {
          out.write('*');
          i += choices.get((k + 1) % choices.size()) % 3; // swallows 0 to 2 more bytes
          i = Math.min(i, s.length() - 1);
        }
        default -> {
          out.write('\\');
          out.write(s.byteAt(i));
        }
      }
      i++;
    }
    if (choices.get(0) == 2) {
      out.write('*'); // a trailing star may match nothing
    }
    return Bytes.of(out.toByteArray());
  }

  /**
   * Whether {@code p} from {@code pi} matches {@code s} from {@code si}: tries every split at each
   * star, and reads a class by walking it against the subject byte, as Redis does. Exponential, so
   * only for short inputs.
   */
  private static boolean recursive(byte[] p, int pi, byte[] s, int si) {
    if (pi == p.length) {
      return si == s.length;
    }
    int c = p[pi] & 0xff;
    if (c == '*') {
      return recursive(p, pi + 1, s, si) || (si < s.length && recursive(p, pi, s, si + 1));
    }
    if (si == s.length) {
      return false;
    }
    int x = s[si] & 0xff;
    if (c == '?') {
      return recursive(p, pi + 1, s, si + 1);
    }
    if (c == '[') {
      int i = pi + 1;
      boolean negated = i < p.length && p[i] == '^';
      if (negated) {
        i++;
      }
      boolean hit = false;
      while (i < p.length) {
        if (p[i] == '\\' && i + 1 < p.length) {
          hit |= (p[i + 1] & 0xff) == x;
          i += 2;
        } else if (p[i] == ']') {
          i++;
          break;
        } else if (i + 2 < p.length && p[i + 1] == '-') {
          int lo = Math.min(p[i] & 0xff, p[i + 2] & 0xff);
          int hi = Math.max(p[i] & 0xff, p[i + 2] & 0xff);
          hit |= lo <= x && x <= hi;
          i += 3;
        } else {
          hit |= (p[i] & 0xff) == x;
          i++;
        }
      }
      return hit != negated && recursive(p, i, s, si + 1);
    }
    if (c == '\\' && pi + 1 < p.length) {
      pi++;
      c = p[pi] & 0xff;
    }
    return c == x && recursive(p, pi + 1, s, si + 1);
  }
}
