package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Toxiproxy's {@code limit_data}: passes the first {@code bytes} bytes of the stream, then ends it
 * (the connection closes) and drops the rest. The count survives updates of the toxic, so raising
 * the limit lets more bytes through on a live connection.
 */
final class LimitDataStage extends Stage {

  private final long limit;
  private long transmitted;
  private boolean ended;

  LimitDataStage(Pipe pipe, long limit, Stage previous) {
    super(pipe);
    this.limit = limit;
    this.transmitted = previous instanceof LimitDataStage earlier ? earlier.transmitted : 0;
  }

  @Override
  public void data(ByteBuf chunk) {
    if (ended) {
      pipe.discard(chunk);
      return;
    }
    long remaining = Math.max(0, limit - transmitted);
    if (chunk.readableBytes() <= remaining) {
      transmitted += chunk.readableBytes();
      out.data(chunk);
    } else {
      int keep = (int) remaining;
      if (keep > 0) {
        transmitted += keep;
        out.data(chunk.readRetainedSlice(keep));
      }
      pipe.discard(chunk);
    }
    if (transmitted >= limit) {
      end();
    }
  }

  @Override
  public void end() {
    if (!ended) {
      ended = true;
      out.end();
    }
  }
}
