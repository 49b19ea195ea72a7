package dev.meld.jmh;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.DigestTree;
import dev.meld.antientropy.KeyHashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a write costs the anti-entropy digest tree of a replica holding {@code keys} keys.
 *
 * <ul>
 *   <li>{@code update}: the tree update alone (old and new record digest known): one leaf sum and a
 *       dirty bit.
 *   <li>{@code digestAndUpdate}: a whole write's share, hashing the key (XXH3-64) and the new
 *       100-byte record (XXH3-128), then updating the tree.
 *   <li>{@code updateThenRoot}: a write followed by reading the root, which recomputes the one
 *       dirty path (the cost a sync session pays per changed leaf, at most once per session).
 * </ul>
 *
 * Inputs (keys, states, hashes, digests) are prepared in setup, outside the measured loop. Run:
 *
 * <pre>
 * mvn -B -q -pl jmh -am package -DskipTests &amp;&amp; java -jar jmh/target/benchmarks.jar DigestTreeBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DigestTreeBenchmark {

  private static final int INPUTS = 1 << 12;

  @Param({"1000000"})
  public int keys;

  private DigestTree tree;
  private final long[] hashes = new long[INPUTS];
  private final Digest[] before = new Digest[INPUTS];
  private final Digest[] after = new Digest[INPUTS];
  private final byte[][] keyBytes = new byte[INPUTS][];
  private final byte[][] states = new byte[INPUTS][];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    tree = DigestTree.sizedFor(keys);
    for (int i = 0; i < keys; i++) {
      tree.update(random.nextLong(), Digest.ZERO, new Digest(random.nextLong(), random.nextLong()));
    }
    for (int i = 0; i < INPUTS; i++) {
      keyBytes[i] =
          String.format("key-%012d", random.nextInt(keys)).getBytes(StandardCharsets.US_ASCII);
      states[i] = new byte[100];
      random.nextBytes(states[i]);
      hashes[i] = KeyHashing.keyHash64(keyBytes[i]);
      before[i] = new Digest(random.nextLong(), random.nextLong());
      after[i] = KeyHashing.recordDigest(keyBytes[i], states[i]);
    }
    tree.root();
  }

  @Benchmark
  public DigestTree update() {
    int i = next++ & (INPUTS - 1);
    tree.update(hashes[i], before[i], after[i]);
    return tree;
  }

  @Benchmark
  public DigestTree digestAndUpdate() {
    int i = next++ & (INPUTS - 1);
    byte[] key = keyBytes[i];
    tree.update(KeyHashing.keyHash64(key), before[i], KeyHashing.recordDigest(key, states[i]));
    return tree;
  }

  @Benchmark
  public Digest updateThenRoot() {
    int i = next++ & (INPUTS - 1);
    tree.update(hashes[i], before[i], after[i]);
    return tree.root();
  }
}
