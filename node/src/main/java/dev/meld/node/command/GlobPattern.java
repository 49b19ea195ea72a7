package dev.meld.node.command;

import dev.meld.crdt.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Redis glob pattern ({@code KEYS}, {@code SCAN ... MATCH}), compiled once and matched against
 * byte strings. The syntax is that of Redis' {@code stringmatchlen} (case-sensitive):
 *
 * <ul>
 *   <li>{@code *} any run of bytes, empty included; {@code ?} any one byte;
 *   <li>{@code [abc]} one of the listed bytes, {@code [^abc]} any other, {@code [a-z]} a range
 *       ({@code [z-a]} is the same range), {@code \x} inside brackets the byte {@code x};
 *   <li>{@code \x} the byte {@code x} itself; a trailing {@code \} is a backslash;
 *   <li>a {@code [} never closed runs to the end of the pattern: {@code [ab} is {@code [ab]},
 *       {@code [^} is any byte, a lone {@code [} matches nothing (nor does {@code []});
 *   <li>every other byte stands for itself.
 * </ul>
 *
 * <p>Where this differs from Redis:
 *
 * <ul>
 *   <li>A pattern of stars only ({@code **}, and {@code *} itself) matches the empty string. Redis'
 *       loop never runs for an empty subject, so there only the empty pattern matches it (its
 *       {@code SCAN} treats a lone {@code *} as no pattern, which hides this in the common case;
 *       reported as redis/redis#15643).
 *   <li>Ranges compare unsigned byte values: {@code [a-\xff]} is {@code a} to {@code 0xff}. Redis
 *       compares C {@code char}s, which are signed on x86 (the same pattern there is -1 to 97:
 *       {@code 0xff} and {@code 0x00} to {@code a}) and unsigned on ARM.
 *   <li>Patterns are at most {@link #MAX_PATTERN_BYTES} bytes (Redis: any length).
 * </ul>
 *
 * <p>Matching cannot backtrack: Redis matches recursively, one level per {@code *}, and gives up
 * (no match) beyond 1,000 levels to protect its stack against patterns like {@code a*a*a*...*b}.
 * Here the pattern's automaton runs over the subject with all its states at once in a bit set: no
 * recursion, no backtracking, and each subject byte costs {@code ceil((tokens + 1) / 64)} 64-bit
 * word updates whatever the pattern's shape: one word up to 63 tokens, at most 17 for the longest
 * pattern. A pattern needs 2,002 bytes ({@code *a} 1,001 times) to reach Redis' nesting limit, so
 * none accepted here is one where Redis would give up.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class GlobPattern {

  /**
   * The longest pattern {@link #compile} accepts. Redis has no such limit; real patterns are far
   * shorter, and this bounds a match at 17 word updates per subject byte and the automaton's tables
   * (256 bit sets of its states) at 34 KiB.
   */
  public static final int MAX_PATTERN_BYTES = 1024;

  private static final int WORD_BITS = 64;

  /* State i: the first i tokens have matched the bytes read so far; state `tokens` accepts. */
  private final int tokens;
  private final int words;
  /* Per byte value b, at words [b * words, (b + 1) * words): the states whose token consumes b. */
  private final long[] advance;
  /* The states whose token is a star: they stay active on any byte. */
  private final long[] stars;
  /* The states active before any byte is read: 0, and 1 if the first token is a star. */
  private final long[] start;

  private GlobPattern(List<long[]> classes) {
    this.tokens = classes.size();
    this.words = tokens / WORD_BITS + 1;
    this.advance = new long[256 * words];
    this.stars = new long[words];
    for (int t = 0; t < tokens; t++) {
      long[] accepted = classes.get(t);
      if (accepted == null) {
        set(stars, 0, t);
        continue;
      }
      for (int b = 0; b < 256; b++) {
        if ((accepted[b >>> 6] & (1L << b)) != 0) {
          set(advance, b * words, t);
        }
      }
    }
    this.start = new long[words];
    start[0] = 1;
    closeOverStars(start);
  }

  /**
   * Compiles {@code pattern}; any bytes form a pattern (as in Redis, nothing is a syntax error).
   *
   * @throws IllegalArgumentException if it is longer than {@link #MAX_PATTERN_BYTES}
   */
  public static GlobPattern compile(Bytes pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.length() > MAX_PATTERN_BYTES) {
      throw new IllegalArgumentException(
          "pattern: " + pattern.length() + " bytes (expected: <= " + MAX_PATTERN_BYTES + ")");
    }
    return new GlobPattern(tokenize(pattern));
  }

  /** Whether the whole of {@code subject} matches the pattern. */
  public boolean matches(Bytes subject) {
    if (words == 1) {
      return matchesInOneWord(subject);
    }
    long[] active = start.clone();
    long[] next = new long[words];
    for (int i = 0; i < subject.length(); i++) {
      int base = (subject.byteAt(i) & 0xff) * words;
      long any = 0;
      long stepCarry = 0;
      long starCarry = 0;
      for (int w = 0; w < words; w++) {
        long moved = active[w] & advance[base + w];
        long states = (moved << 1) | stepCarry | (active[w] & stars[w]);
        stepCarry = moved >>> 63;
        long atStar = states & stars[w];
        states |= (atStar << 1) | starCarry;
        starCarry = atStar >>> 63;
        next[w] = states;
        any |= states;
      }
      if (any == 0) {
        return false;
      }
      long[] t = active;
      active = next;
      next = t;
    }
    return (active[tokens >>> 6] & (1L << tokens)) != 0;
  }

  /* The same as the loop above for patterns of up to 63 tokens, nearly all of them. */
  private boolean matchesInOneWord(Bytes subject) {
    long active = start[0];
    long star = stars[0];
    for (int i = 0; i < subject.length(); i++) {
      active = ((active & advance[subject.byteAt(i) & 0xff]) << 1) | (active & star);
      if (active == 0) {
        return false;
      }
      active |= (active & star) << 1;
    }
    return (active & (1L << tokens)) != 0;
  }

  /* A star may match nothing, so reaching its state reaches the state after it too. Consecutive
   * stars were merged into one token, so one step of this closure is the whole of it. */
  private void closeOverStars(long[] states) {
    long carry = 0;
    for (int w = 0; w < words; w++) {
      long atStar = states[w] & stars[w];
      long nextCarry = atStar >>> 63;
      states[w] |= (atStar << 1) | carry;
      carry = nextCarry;
    }
  }

  private static void set(long[] bits, int offset, int index) {
    bits[offset + (index >>> 6)] |= 1L << index;
  }

  /**
   * The pattern as tokens, each the 256-bit set of bytes it consumes, or null for a star. Follows
   * {@code stringmatchlen}'s reading of the pattern, its corner cases included.
   */
  private static List<long[]> tokenize(Bytes p) {
    List<long[]> out = new ArrayList<>();
    int n = p.length();
    int i = 0;
    while (i < n) {
      int c = p.byteAt(i) & 0xff;
      if (c == '*') {
        while (i < n && p.byteAt(i) == '*') {
          i++;
        }
        out.add(null);
      } else if (c == '?') {
        out.add(new long[] {-1L, -1L, -1L, -1L});
        i++;
      } else if (c == '[') {
        long[] accepted = new long[4];
        i = readClass(p, i + 1, accepted);
        out.add(accepted);
      } else {
        if (c == '\\' && i + 1 < n) {
          i++; // an escaped byte; a trailing backslash stands for itself
          c = p.byteAt(i) & 0xff;
        }
        long[] one = new long[4];
        one[c >>> 6] = 1L << c;
        out.add(one);
        i++;
      }
    }
    return out;
  }

  /**
   * Reads a bracket class starting just after its {@code [} into {@code accepted}; returns the
   * index after its {@code ]}, or the pattern's length if it is never closed.
   */
  private static int readClass(Bytes p, int i, long[] accepted) {
    int n = p.length();
    boolean negated = i < n && p.byteAt(i) == '^';
    if (negated) {
      i++;
    }
    while (i < n) {
      int c = p.byteAt(i) & 0xff;
      if (c == '\\' && i + 1 < n) {
        addRange(accepted, p.byteAt(i + 1) & 0xff, p.byteAt(i + 1) & 0xff);
        i += 2;
      } else if (c == ']') {
        i++;
        break;
      } else if (i + 2 < n && p.byteAt(i + 1) == '-') {
        // Redis takes any byte as the end, ']' included: "[a-]" is the range from ']' to 'a'
        addRange(accepted, c, p.byteAt(i + 2) & 0xff);
        i += 3;
      } else {
        addRange(accepted, c, c);
        i++;
      }
    }
    if (negated) {
      for (int w = 0; w < 4; w++) {
        accepted[w] = ~accepted[w];
      }
    }
    return i;
  }

  private static void addRange(long[] accepted, int from, int to) {
    for (int b = Math.min(from, to); b <= Math.max(from, to); b++) {
      accepted[b >>> 6] |= 1L << b;
    }
  }
}
