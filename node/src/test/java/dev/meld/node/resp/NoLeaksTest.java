package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check bites: a buffer dropped without release is reported. */
class NoLeaksTest {

  @Test
  void aDroppedBufferIsReported() {
    NoLeaks.collectLeaks();
    leak();
    assertThat(NoLeaks.collectLeaks()).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
  }

  private static void leak() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
    buf.writeInt(42);
  }
}
