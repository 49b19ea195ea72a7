package dev.meld.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis' glob syntax, case by case: its documented examples, then the corners of its parser. */
class GlobPatternTest {

  /** A pattern, a subject, and whether Redis says they match. Strings are ISO-8859-1 bytes. */
  private record Case(String pattern, String subject, boolean matches) {}

  private static Case yes(String pattern, String subject) {
    return new Case(pattern, subject, true);
  }

  private static Case no(String pattern, String subject) {
    return new Case(pattern, subject, false);
  }

  private static Bytes b(String latin1) {
    return Bytes.of(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void check(List<Case> cases) {
    SoftAssertions soft = new SoftAssertions();
    for (Case c : cases) {
      soft.assertThat(GlobPattern.compile(b(c.pattern)).matches(b(c.subject)))
          .as("'%s' against '%s'", c.pattern, c.subject)
          .isEqualTo(c.matches);
    }
    soft.assertAll();
  }

  /** The examples of Redis' KEYS documentation. */
  @Test
  void redisDocumentedExamples() {
    check(
        List.of(
            yes("h?llo", "hello"),
            yes("h?llo", "hallo"),
            yes("h?llo", "hxllo"),
            no("h?llo", "hllo"),
            yes("h*llo", "hllo"),
            yes("h*llo", "heeeello"),
            no("h*llo", "heeeelo"),
            yes("h[ae]llo", "hello"),
            yes("h[ae]llo", "hallo"),
            no("h[ae]llo", "hillo"),
            yes("h[^e]llo", "hallo"),
            yes("h[^e]llo", "hbllo"),
            no("h[^e]llo", "hello"),
            yes("h[a-b]llo", "hallo"),
            yes("h[a-b]llo", "hbllo"),
            no("h[a-b]llo", "hcllo"),
            yes("h\\*llo", "h*llo"),
            no("h\\*llo", "hello"),
            yes("h\\?llo", "h?llo"),
            no("h\\?llo", "hallo")));
  }

  @Test
  void starsAndQuestionMarks() {
    check(
        List.of(
            yes("*", "anything"),
            yes("*", ""),
            yes("***", ""),
            yes("a**", "a"),
            yes("**a", "a"),
            yes("a*b*c", "abc"),
            yes("a*b*c", "axxbyyc"),
            no("a*b*c", "axxbyy"),
            no("a*b*c", "xabc"),
            yes("*a", "aaa"),
            no("*a", "aab"),
            yes("?*?", "ab"),
            no("?*?", "a"),
            no("?", ""),
            no("a*", ""),
            yes("", ""),
            no("", "a"),
            no("abc", "abcd"),
            no("abcd", "abc")));
  }

  @Test
  void bracketClasses() {
    check(
        List.of(
            yes("[z-a]", "m"), // a reversed range is the same range
            no("[z-a]", "A"),
            yes("[a-]", "]"), // '-' then ']' reads as the range from ']' to 'a'
            yes("[a-]", "^"),
            no("[a-]", "-"),
            yes("[-a]", "-"), // a '-' with nothing before it stands for itself
            yes("[\\]]", "]"),
            yes("[\\-x]", "-"),
            no("[\\-x]", "a"),
            yes("[a\\", "\\"), // a backslash last in an unclosed class stands for itself
            yes("[^]", "x"), // "^]" is an empty negated class: any byte
            no("[]", "]"), // an empty class: nothing
            no("[]", ""),
            no("[]]", "]"), // "[]" (nothing) then a literal ']'
            no("[]]", "]]"),
            yes("[abc", "b"), // never closed: the class runs to the end
            no("[abc", "bc"),
            yes("x[^", "xq"), // "[^" at the end: any one byte
            no("x[^", "x"),
            no("[", "["), // a lone '[' matches nothing
            no("[", ""),
            yes("[a-c-e]", "-"), // after a range, "-e" is two literals
            yes("[a-c-e]", "e"),
            no("[a-c-e]", "d"),
            yes("[^a-c]", "d"),
            no("[^a-c]", "b")));
  }

  @Test
  void escapes() {
    check(
        List.of(
            yes("\\\\", "\\"),
            yes("a\\", "a\\"), // a trailing backslash stands for itself
            no("a\\", "a"),
            yes("\\a", "a"),
            yes("\\[x]", "[x]"),
            no("\\[x]", "x"),
            yes("*\\*", "abc*"),
            no("*\\*", "abc")));
  }

  /** Bytes, not characters: NUL and high bytes are ordinary, ranges compare unsigned values. */
  @Test
  void bytesAreUnsigned() {
    check(
        List.of(
            yes("a\0b", "a\0b"),
            no("a\0b", "a"),
            yes("?", "\u00ff"),
            yes("[\u0080-\u00ff]", "\u00c3"),
            no("[\u0080-\u00ff]", "a"),
            yes("[a-\u00ff]", "\u00ff"),
            yes("[a-\u00ff]", "z"),
            no("[a-\u00ff]", "A"), // Redis on x86 says yes: signed, its range is 0xff and 0..'a'
            yes("[^\0]", "\u00ff"),
            no("[^\0]", "\0")));
  }

  /**
   * Regression guard for the backtracking Redis bounds with a nesting limit: thousands of stars
   * against a long subject that almost matches. A backtracking matcher would not finish; the
   * timeout guards against a hang, it is not a speed claim.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void manyStarsDoNotBacktrack() {
    String stars = "a*".repeat(511) + "b"; // 1023 bytes, 511 stars, 16 words of states
    byte[] subject = new byte[100_000];
    Arrays.fill(subject, (byte) 'a');
    GlobPattern p = GlobPattern.compile(b(stars));
    assertThat(p.matches(Bytes.of(subject))).isFalse();
    subject[subject.length - 1] = 'b';
    assertThat(p.matches(Bytes.of(subject))).isTrue();
  }

  @Test
  void patternLengthIsBounded() {
    byte[] longest = new byte[GlobPattern.MAX_PATTERN_BYTES];
    Arrays.fill(longest, (byte) '?');
    assertThat(GlobPattern.compile(Bytes.of(longest)).matches(Bytes.of(longest))).isTrue();
    assertThatThrownBy(() -> GlobPattern.compile(Bytes.of(new byte[1025])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pattern: 1025 bytes (expected: <= 1024)");
  }
}
