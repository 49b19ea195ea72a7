package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Toxiproxy's {@code bandwidth}: bytes leave at no more than {@code rate} KB/s (1 KB = 1000 bytes,
 * as Toxiproxy counts). Each chunk is held for its own transmission time after the previous one
 * finished; chunks larger than 100 ms worth of bytes go out in 100 ms pieces so the receiver sees a
 * steady trickle. A rate of 0 means unlimited.
 */
final class BandwidthStage extends TimedQueueStage {

  private final long bytesPerSecond;
  private final int pieceBytes;

  BandwidthStage(Pipe pipe, long rateKiloBytesPerSecond) {
    super(pipe);
    this.bytesPerSecond = rateKiloBytesPerSecond * 1000;
    this.pieceBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytesPerSecond / 10));
  }

  @Override
  public void data(ByteBuf chunk) {
    long now = pipe.nanoTime();
    if (bytesPerSecond == 0) {
      enqueue(chunk, now);
      return;
    }
    while (chunk.readableBytes() > pieceBytes) {
      send(chunk.readRetainedSlice(pieceBytes), now);
    }
    send(chunk, now);
  }

  private void send(ByteBuf piece, long now) {
    long start = Math.max(now, lastDueOr(now));
    enqueue(piece, start + piece.readableBytes() * 1_000_000_000L / bytesPerSecond);
  }
}
