package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's {@code slow_close}: data passes untouched, but when the stream ends the close is held
 * back for {@code delay} milliseconds.
 */
final class SlowCloseStage extends Stage {

  private final long delayNanos;
  private Pipe.Timer pendingEnd;
  private boolean ended;

  SlowCloseStage(Pipe pipe, long delayMillis) {
    super(pipe);
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
  }

  @Override
  public void data(ByteBuf chunk) {
    if (ended) {
      pipe.discard(chunk);
    } else {
      out.data(chunk);
    }
  }

  @Override
  public void end() {
    if (!ended) {
      ended = true;
      pendingEnd = pipe.schedule(this::release, delayNanos);
    }
  }

  private void release() {
    pendingEnd = null;
    out.end();
  }

  @Override
  void detach(boolean removed) {
    if (pendingEnd != null) {
      pendingEnd.cancel();
      release();
    }
  }

  @Override
  void dispose() {
    if (pendingEnd != null) {
      pendingEnd.cancel();
      pendingEnd = null;
    }
  }
}
