package dev.meld.node.command;

import dev.meld.crdt.Bytes;
import java.util.Arrays;

/**
 * Times {@link GlobPattern#matches} over a 1 MiB subject (the most a set record holds by default),
 * for the figures in node/README.md: the longest pathological patterns, and short ones. Not a test;
 * run it with the command the README gives beside the figures.
 */
final class GlobPatternTiming {

  private static final int WARM_UPS = 3;
  private static final int RUNS = 10;

  private GlobPatternTiming() {}

  public static void main(String[] args) {
    byte[] subject = new byte[1 << 20];
    Arrays.fill(subject, (byte) 'a');
    Bytes s = Bytes.of(subject);
    time("*a*a...*a*? (1024 bytes, 1024 tokens, 17 words)", "*a".repeat(511) + "*?", s);
    time("a*a*...*b (1023 bytes, 16 words)", "a*".repeat(511) + "b", s);
    time("*a*a...*b (61 bytes, 1 word)", "*a".repeat(30) + "b", s);
    time("user:*:name (dies on the first byte)", "user:*:name", s);
  }

  private static void time(String what, String pattern, Bytes subject) {
    GlobPattern p = GlobPattern.compile(Bytes.utf8(pattern));
    boolean matched = false;
    for (int i = 0; i < WARM_UPS; i++) {
      matched = p.matches(subject);
    }
    long start = System.nanoTime();
    for (int i = 0; i < RUNS; i++) {
      matched = p.matches(subject);
    }
    double millis = (System.nanoTime() - start) / 1e6 / RUNS;
    System.out.printf("%-50s %8.2f ms per MiB (matched: %s)%n", what, millis, matched);
  }
}
