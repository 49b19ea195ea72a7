package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's {@code latency}: every chunk leaves {@code latency ± jitter} milliseconds after it
 * arrived. Chunks are pipelined (a steady stream is delayed, not throttled), and a chunk whose
 * jitter would let it overtake an earlier one waits for it instead.
 */
final class LatencyStage extends TimedQueueStage {

  private final long latencyNanos;
  private final long jitterNanos;

  LatencyStage(Pipe pipe, long latencyMillis, long jitterMillis) {
    super(pipe);
    this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
    this.jitterNanos = TimeUnit.MILLISECONDS.toNanos(jitterMillis);
  }

  @Override
  public void data(ByteBuf chunk) {
    long delay = latencyNanos;
    if (jitterNanos > 0) {
      delay += pipe.random().nextLong(2 * jitterNanos) - jitterNanos;
    }
    enqueue(chunk, pipe.nanoTime() + Math.max(0, delay));
  }
}
