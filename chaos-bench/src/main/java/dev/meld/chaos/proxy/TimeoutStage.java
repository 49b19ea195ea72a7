package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's {@code timeout}: no data gets through; it is dropped on the floor. After {@code
 * timeout} milliseconds (counted from when the toxic reached the connection) the connection is
 * closed; with a timeout of 0 it is held open forever. Removing the toxic closes the connection, as
 * Toxiproxy does, since the bytes it swallowed left a hole in the stream; so does an update once
 * bytes were swallowed (Toxiproxy lets such a stream resume with the hole in it, which no real
 * network does).
 */
final class TimeoutStage extends Stage {

  private final long timeoutNanos;
  private Pipe.Timer timer;
  private boolean swallowed;
  private boolean closed;

  TimeoutStage(Pipe pipe, long timeoutMillis) {
    super(pipe);
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  void attached() {
    if (timeoutNanos > 0) {
      timer = pipe.schedule(this::close, timeoutNanos);
    }
  }

  @Override
  public void data(ByteBuf chunk) {
    swallowed = true;
    pipe.discard(chunk);
  }

  @Override
  public void end() {
    close();
  }

  private void close() {
    cancelTimer();
    if (!closed) {
      closed = true;
      out.end();
    }
  }

  @Override
  void detach(boolean removed) {
    if (removed || swallowed) {
      close();
    } else {
      cancelTimer();
    }
  }

  @Override
  void dispose() {
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
