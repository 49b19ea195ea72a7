package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's {@code reset_peer}: the first data (or end of stream) to arrive is swallowed, and
 * {@code timeout} milliseconds later both sides of the connection are reset: closed with {@code
 * SO_LINGER} 0, so the peers see a TCP RST instead of a FIN. A timeout of 0 resets at once. A
 * connection that already swallowed data is reset when the toxic is removed, since its stream has a
 * hole.
 */
final class ResetPeerStage extends Stage {

  private final long timeoutNanos;
  private boolean triggered;
  private Pipe.Timer timer;

  ResetPeerStage(Pipe pipe, long timeoutMillis) {
    super(pipe);
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  public void data(ByteBuf chunk) {
    pipe.discard(chunk);
    trigger();
  }

  @Override
  public void end() {
    trigger();
  }

  private void trigger() {
    if (triggered) {
      return;
    }
    triggered = true;
    if (timeoutNanos == 0) {
      pipe.abort(true);
    } else {
      timer = pipe.schedule(() -> pipe.abort(true), timeoutNanos);
    }
  }

  @Override
  void detach(boolean removed) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (triggered) {
      pipe.abort(true);
    }
  }

  @Override
  void dispose() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
