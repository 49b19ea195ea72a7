package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a chain in stage tests: keeps the bytes (releasing every chunk), the size and arrival
 * time of each chunk, and when the stream ended. Like the proxy's socket, it takes no data once the
 * connection was aborted, and notes data that arrives after the end.
 */
final class Collector implements Outlet {

  private final ManualPipe pipe;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final List<Integer> sizes = new ArrayList<>();
  final List<Long> arrivalMillis = new ArrayList<>();
  int ends;
  long endMillis = -1;
  boolean dataAfterEnd;

  Collector(ManualPipe pipe) {
    this.pipe = pipe;
  }

  @Override
  public void data(ByteBuf chunk) {
    if (ends > 0 || pipe.aborts > 0) {
      dataAfterEnd |= ends > 0;
      chunk.release();
      return;
    }
    sizes.add(chunk.readableBytes());
    arrivalMillis.add(pipe.nowMillis());
    byte[] copy = new byte[chunk.readableBytes()];
    chunk.readBytes(copy);
    bytes.writeBytes(copy);
    chunk.release();
  }

  @Override
  public void end() {
    ends++;
    endMillis = pipe.nowMillis();
  }

  byte[] bytes() {
    return bytes.toByteArray();
  }

  int size() {
    return bytes.size();
  }
}
