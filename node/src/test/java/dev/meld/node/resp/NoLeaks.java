package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer during it: checks that the recording
 * detector is installed before the class runs, and collects leaks after it.
 */
final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(RecordingLeakDetector.installed())
        .as("RecordingLeakDetector installed through io.netty.customResourceLeakDetector")
        .isTrue();
    RecordingLeakDetector.collectLeaks(); // leaks of earlier classes are theirs
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(RecordingLeakDetector.collectLeaks()).as("leaked buffers").isEmpty();
  }
}
