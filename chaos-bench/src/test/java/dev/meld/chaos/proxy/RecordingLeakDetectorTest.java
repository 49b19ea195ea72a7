package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check the proxy tests rely on is live: it does catch a buffer nobody released. */
class RecordingLeakDetectorTest {

  @Test
  void catchesAnUnreleasedBuffer() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    assertThat(RecordingLeakDetector.installed())
        .as("-Dio.netty.customResourceLeakDetector=%s", RecordingLeakDetector.class.getName())
        .isTrue();
    RecordingLeakDetector.collectLeaks();
    leakOneBuffer();
    assertThat(RecordingLeakDetector.collectLeaks()).isNotEmpty();
  }

  private static void leakOneBuffer() {
    ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
  }
}
