package dev.meld.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check the node tests rely on does catch a buffer nobody released. */
class NoLeaksTest {

  @Test
  void aBufferNobodyReleasedIsReported() throws InterruptedException {
    new NoLeaks().beforeEach(null);
    leak();
    assertThat(NoLeaks.collect()).isNotEmpty();
  }

  private static void leak() {
    ByteBufAllocator.DEFAULT.directBuffer(32).writeLong(7);
  }
}
