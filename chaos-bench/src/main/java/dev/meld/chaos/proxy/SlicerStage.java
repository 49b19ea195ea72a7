package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Toxiproxy's {@code slicer}: cuts every chunk into pieces of about {@code average_size} bytes
 * (give or take {@code size_variation}) and sends them {@code delay} microseconds apart, to
 * exercise a receiver's handling of partial frames. No byte is lost or reordered.
 */
final class SlicerStage extends TimedQueueStage {

  private final int averageSize;
  private final int sizeVariation;
  private final long delayNanos;

  SlicerStage(Pipe pipe, int averageSize, int sizeVariation, long delayMicros) {
    super(pipe);
    checkSizes(averageSize, sizeVariation);
    this.averageSize = averageSize;
    this.sizeVariation = sizeVariation;
    this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
  }

  @Override
  public void data(ByteBuf chunk) {
    long now = pipe.nanoTime();
    int length = chunk.readableBytes();
    int[] previousEnd = {0};
    cut(
        0,
        length,
        averageSize,
        sizeVariation,
        pipe.random(),
        end -> {
          ByteBuf piece = end == length ? chunk : chunk.readRetainedSlice(end - previousEnd[0]);
          previousEnd[0] = end;
          enqueue(piece, Math.max(now, lastDueOr(now - delayNanos) + delayNanos));
        });
  }

  /*
   * How a chunk is cut: a range longer than average + variation is split near its middle, the
   * split point moved by a random offset in [-variation, variation), and both halves are cut the
   * same way. With average 100 and variation 20, a 500-byte chunk may go:
   *
   *   [0, 500)   -> split at 250 - 10 = 240
   *   [0, 240)   -> split at 120 + 5  = 125 -> [0, 125) is 125 > 120, split at 62 + 3 = 65
   *   [240, 500) -> split at 370 - 20 = 350 -> [240, 350) and [350, 500), the latter split again
   *
   * Every piece ends up at most average + variation bytes. Because variation < average, each
   * split point lies strictly inside its range, so no piece is empty and the recursion ends.
   */

  /**
   * Cuts [start, end) and reports the end offset of every piece, in order; the last reported offset
   * is {@code end}.
   */
  static void cut(
      int start, int end, int average, int variation, SplittableRandom random, IntConsumer ends) {
    if (end - start - average <= variation) {
      ends.accept(end);
      return;
    }
    int offset = variation == 0 ? 0 : random.nextInt(2 * variation) - variation;
    int middle = start + (end - start) / 2 + offset;
    cut(start, middle, average, variation, random, ends);
    cut(middle, end, average, variation, random, ends);
  }

  /** The offsets a chunk of {@code length} bytes is cut at, from 0 to {@code length}. */
  static int[] cutPoints(int length, int average, int variation, SplittableRandom random) {
    checkSizes(average, variation);
    IntStream.Builder points = IntStream.builder().add(0);
    cut(0, length, average, variation, random, points::add);
    return points.build().toArray();
  }

  private static void checkSizes(int average, int variation) {
    if (average < 1 || variation < 0 || variation >= average) {
      throw new IllegalArgumentException(
          "average_size: "
              + average
              + ", size_variation: "
              + variation
              + " (expected: average_size >= 1 and 0 <= size_variation < average_size)");
    }
  }
}
