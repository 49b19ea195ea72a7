package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth and speed report in {@code anti-entropy/README.md}: real sessions between two
 * in-memory key spaces of n = 10^4, 10^5, 10^6 keys with d = 0, 1, 10, 100, 1,000 differing keys
 * (16-byte keys, 100-byte states), printed next to the information floor (the differing records
 * themselves) and to a flat digest exchange like Pekko's (every key with a 20-byte digest, plus the
 * same records).
 *
 * <p>Excluded from the default run (tag {@code report}). Run it with:
 *
 * <pre>
 * mvn -B -q -pl anti-entropy -am verify -Dae.excludedGroups=none -Dgroups=report \
 *     -Dtest=BandwidthReport -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Tag("report")
class BandwidthReport {

  private static final int KEY_BYTES = 16;
  private static final int STATE_BYTES = 100;
  private static final int[] DIFFS = {0, 1, 10, 100, 1000};

  @Test
  void report() {
    SplittableRandom random = new SplittableRandom(20240611L);
    run(10_000, random, false, configured());
    System.out.println(
        "| n | d | kind | bytes | messages | round trips | ms | floor | bytes/floor | flat | flat/bytes |");
    System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    SyncConfig config = configured();
    for (int n : new int[] {10_000, 100_000, 1_000_000}) {
      run(n, random, true, config);
    }
  }

  private static SyncConfig configured() {
    SyncConfig config = SyncConfig.DEFAULT;
    if (System.getProperty("ae.fanout") != null) {
      config = config.withFanoutBits(Integer.getInteger("ae.fanout"));
    }
    if (System.getProperty("ae.widths") != null) {
      String[] w = System.getProperty("ae.widths").split(",");
      config = config.withWidths(Integer.parseInt(w[0]), Integer.parseInt(w[1]));
    }
    System.out.println("config: " + config);
    return config;
  }

  private void run(int n, SplittableRandom random, boolean print, SyncConfig config) {
    InMemoryKeyspace a = new InMemoryKeyspace(BandwidthReport::max);
    for (int i = 0; i < n; i++) {
      a.merge(key('k', i), state(random));
    }
    InMemoryKeyspace b = a.copy();
    int fresh = 0;
    for (String kind : new String[] {"one-sided", "content"}) {
      for (int d : DIFFS) {
        long floor = 0;
        for (int i = 0; i < d; i++) {
          if (kind.equals("one-sided")) {
            byte[] k = key('d', fresh++);
            byte[] s = state(random);
            (i % 2 == 0 ? a : b).merge(k, s);
            floor += k.length + s.length;
          } else {
            byte[] k = key('k', random.nextInt(n));
            byte[] sa = state(random);
            byte[] sb = state(random);
            a.put(k, sa);
            b.put(k, sb);
            floor += 2 * (k.length + STATE_BYTES);
          }
        }
        long flat = a.keyCount() * (KEY_BYTES + 20L) + floor;
        System.gc();
        long start = System.nanoTime();
        SessionDriver.Outcome outcome = SessionDriver.sync(a, b, random.nextLong(), config);
        double ms = (System.nanoTime() - start) / 1e6;
        assertThat(outcome.completed()).isTrue();
        assertThat(a.digests().root()).isEqualTo(b.digests().root());
        if (print) {
          System.out.printf(
              "| %,d | %,d | %s | %,d | %d | %d | %.1f | %,d | %s | %,d | %s |%n",
              n,
              d,
              kind,
              outcome.bytes(),
              outcome.messages(),
              (outcome.messages() + 1) / 2,
              ms,
              floor,
              floor == 0 ? "-" : String.format("%.2f", (double) outcome.bytes() / floor),
              flat,
              String.format("%,.0fx", (double) flat / outcome.bytes()));
        }
      }
    }
  }

  private static byte[] key(char prefix, int i) {
    byte[] key =
        String.format("%c%015d", prefix, i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(key).hasSize(KEY_BYTES);
    return key;
  }

  private static byte[] state(SplittableRandom random) {
    byte[] s = new byte[STATE_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(s);
    while (buf.remaining() >= 8) {
      buf.putLong(random.nextLong());
    }
    while (buf.hasRemaining()) {
      buf.put((byte) random.nextInt());
    }
    return s;
  }

  /** Unsigned-lexicographic max: a join on arbitrary byte strings. */
  private static byte[] max(byte[] x, byte[] y) {
    return Arrays.compareUnsigned(x, y) >= 0 ? x : y;
  }
}
