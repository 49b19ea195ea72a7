package dev.meld.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a Netty buffer unreleased. Before each test it forgets older reports;
 * after it, it collects garbage, lets the detector notice what was collected (it looks when it
 * tracks a new buffer), and fails on any leak {@link RecordingLeakDetector} recorded.
 */
public final class NoLeaks implements BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) {
    assertThat(ResourceLeakDetector.getLevel())
        .as("-Dio.netty.leakDetection.level")
        .isEqualTo(ResourceLeakDetector.Level.PARANOID);
    ByteBufAllocator.DEFAULT.buffer(1).release();
    assertThat(RecordingLeakDetector.created)
        .as("-Dio.netty.customResourceLeakDetector=" + RecordingLeakDetector.class.getName())
        .isTrue();
    RecordingLeakDetector.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    assertThat(collect()).as("leaked Netty buffers").isEmpty();
  }

  /** Collects garbage until the detector has seen it; returns the leaks found. */
  public static List<String> collect() throws InterruptedException {
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      for (int i = 0; i < 8; i++) {
        ByteBufAllocator.DEFAULT.heapBuffer(8).release();
      }
    }
    return RecordingLeakDetector.drain();
  }
}
