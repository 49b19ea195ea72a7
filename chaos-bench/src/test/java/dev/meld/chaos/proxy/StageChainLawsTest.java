package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Laws of toxic chains, over random chains, chunkings, timings and live reconfiguration, on a
 * manual clock. Each example is one scenario drawn from a seed; the falsifying seed is printed.
 */
class StageChainLawsTest {

  /** Toxic types that never drop a byte when their limits are out of reach. */
  private static final String[] LOSSLESS = {"latency", "bandwidth", "slicer", "slow_close"};

  private static final String[] ALL = {
    "latency", "bandwidth", "slicer", "slow_close", "limit_data", "timeout", "reset_peer"
  };

  @AfterAll
  static void noLeaks() {
    assertThat(RecordingLeakDetector.collectLeaks()).isEmpty();
  }

  /**
   * Law: through any chain of lossless toxics, added, updated and removed while data flows, the
   * receiver gets exactly the bytes sent, in order, then one end of stream; nothing is dropped,
   * nothing is reset, and no timer is left behind.
   */
  @Test
  void losslessChainsDeliverTheStreamIntactWhateverTheReconfiguration() {
    Props.check(
        "StageChainLawsTest#losslessChainsDeliverTheStreamIntactWhateverTheReconfiguration",
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      Outcome outcome = run(seed, LOSSLESS);
                      assertPrefix(outcome, seed);
                      assertThat(outcome.received)
                          .as("scenario %d", seed)
                          .hasSameSizeAs(outcome.sent);
                      assertThat(outcome.sink.ends).as("ends, scenario %d", seed).isOne();
                      assertThat(outcome.sink.dataAfterEnd).isFalse();
                      assertThat(outcome.pipe.discardedBytes).isZero();
                      assertThat(outcome.pipe.aborts).isZero();
                      assertThat(outcome.pipe.idle()).isTrue();
                    }));
  }

  /**
   * Law: whatever toxics a chain holds (including the ones that drop, cut or reset) and however it
   * is reconfigured, what the receiver gets is a prefix of what was sent (toxics lose bytes, they
   * never reorder or invent them), followed by at most one end of stream and nothing after.
   */
  @Test
  void anyChainDeliversAPrefixOfTheStream() {
    Props.check(
        "StageChainLawsTest#anyChainDeliversAPrefixOfTheStream",
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      Outcome outcome = run(seed, ALL);
                      assertPrefix(outcome, seed);
                      assertThat(outcome.sink.ends)
                          .as("ends, scenario %d", seed)
                          .isLessThanOrEqualTo(1);
                      assertThat(outcome.sink.dataAfterEnd)
                          .as("data after end, scenario %d", seed)
                          .isFalse();
                    }));
  }

  /**
   * Law: the slicer's cut points partition a chunk: they run from 0 to its length, strictly
   * increasing, and no piece is longer than average + variation unless the chunk was never cut.
   */
  @Test
  void slicerCutPointsPartitionTheChunk() {
    Props.check(
        "StageChainLawsTest#slicerCutPointsPartitionTheChunk",
        qt ->
            qt.forAll(
                    integers().between(1, 70_000),
                    integers().between(1, 2_000),
                    integers().between(0, 999),
                    longs().all())
                .checkAssert(
                    (length, average, permille, seed) -> {
                      int variation = average * permille / 1000; // always below the average
                      int[] cuts =
                          SlicerStage.cutPoints(
                              length, average, variation, new SplittableRandom(seed));
                      assertThat(cuts[0]).isZero();
                      assertThat(cuts[cuts.length - 1]).isEqualTo(length);
                      for (int i = 1; i < cuts.length; i++) {
                        assertThat(cuts[i]).isGreaterThan(cuts[i - 1]);
                        if (cuts.length > 2) {
                          assertThat(cuts[i] - cuts[i - 1])
                              .isLessThanOrEqualTo(average + variation);
                        }
                      }
                    }));
  }

  private static void assertPrefix(Outcome outcome, long seed) {
    byte[] sent = outcome.sent;
    byte[] received = outcome.received;
    assertThat(received.length)
        .as("scenario %d: bytes received (sent %d)", seed, sent.length)
        .isLessThanOrEqualTo(sent.length);
    int mismatch =
        java.util.Arrays.mismatch(sent, 0, received.length, received, 0, received.length);
    assertThat(mismatch)
        .as("scenario %d: first received byte that differs from the sent one", seed)
        .isEqualTo(-1);
  }

  private record Outcome(byte[] sent, byte[] received, Collector sink, ManualPipe pipe) {}

  /**
   * One scenario: up to 30 chunks with random gaps, and between them random additions, updates and
   * removals of toxics drawn from {@code types}; then the end of the stream and every timer.
   */
  private static Outcome run(long seed, String[] types) {
    SplittableRandom random = new SplittableRandom(seed);
    ManualPipe pipe = new ManualPipe(seed);
    Collector sink = new Collector(pipe);
    StageChain chain = new StageChain(pipe, sink);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    Map<String, String> toxics = new LinkedHashMap<>();
    int chunks = random.nextInt(31);
    for (int i = 0; i < chunks; i++) {
      if (random.nextInt(4) == 0) {
        reconfigure(chain, toxics, types, random);
      }
      byte[] bytes = new byte[1 + random.nextInt(3000)];
      random.nextBytes(bytes);
      sent.writeBytes(bytes);
      ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
      chain.data(chunk.writeBytes(bytes));
      pipe.advanceMillis(random.nextInt(4) == 0 ? random.nextInt(300) : 0);
    }
    chain.end();
    pipe.runAll(1_000_000);
    chain.dispose();
    return new Outcome(sent.toByteArray(), sink.bytes(), sink, pipe);
  }

  private static void reconfigure(
      StageChain chain, Map<String, String> toxics, String[] types, SplittableRandom random) {
    List<String> names = new ArrayList<>(toxics.keySet());
    int action = names.isEmpty() ? 0 : random.nextInt(3);
    if (action == 0 && names.size() < 5) {
      String name = "t" + random.nextInt(1_000_000);
      String type = types[random.nextInt(types.length)];
      toxics.put(name, type);
      chain.add(randomToxic(name, type, random));
    } else if (action == 1) {
      String name = names.get(random.nextInt(names.size()));
      chain.update(randomToxic(name, toxics.get(name), random));
    } else if (action == 2) {
      String name = names.get(random.nextInt(names.size()));
      toxics.remove(name);
      chain.remove(name);
    }
  }

  private static ToxicSpec randomToxic(String name, String type, SplittableRandom random) {
    Map<String, Long> attributes = new LinkedHashMap<>();
    switch (type) {
      case "latency" -> {
        long latency = random.nextInt(301);
        attributes.put("latency", latency);
        attributes.put("jitter", (long) random.nextInt((int) latency + 1));
      }
      case "bandwidth" -> attributes.put("rate", 1L + random.nextInt(200));
      case "slicer" -> {
        int average = 32 + random.nextInt(600);
        attributes.put("average_size", (long) average);
        attributes.put("size_variation", (long) random.nextInt(average));
        attributes.put("delay", (long) random.nextInt(2001));
      }
      case "slow_close" -> attributes.put("delay", (long) random.nextInt(501));
      case "limit_data" -> attributes.put("bytes", (long) random.nextInt(100_001));
      case "timeout", "reset_peer" -> attributes.put("timeout", (long) random.nextInt(501));
      default -> throw new IllegalArgumentException("type: " + type);
    }
    float toxicity =
        switch (random.nextInt(3)) {
          case 0 -> 0f;
          case 1 -> 1f;
          default -> (float) random.nextDouble();
        };
    return new ToxicSpec(
        name, ToxicType.fromWire(type), ToxicStream.DOWNSTREAM, toxicity, attributes);
  }
}
