package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty reports a leaked buffer during it. Netty's leak detector (at the
 * paranoid level in the node's tests, see the parent pom's surefire configuration) reports a leak
 * as an error log line when it finds the buffer collected unreleased; this extension keeps those
 * lines, and after the class collects garbage, lets the detector look, and fails on any.
 */
final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

  private static final ListAppender<ILoggingEvent> REPORTS = listen();

  private static ListAppender<ILoggingEvent> listen() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setName("netty-leaks");
    appender.start();
    ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(appender);
    return appender;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(ResourceLeakDetector.getLevel())
        .as("leak detection level (io.netty.leakDetection.level)")
        .isEqualTo(ResourceLeakDetector.Level.PARANOID);
    collectLeaks(); // leaks of earlier classes are theirs
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(collectLeaks()).as("leaked buffers").isEmpty();
  }

  /**
   * Collects garbage, lets the detector look at what was collected, and returns (and forgets) every
   * leak reported so far.
   */
  static List<String> collectLeaks() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      // The detector drains its queue of collected buffers whenever it tracks a new one.
      ByteBufAllocator.DEFAULT.buffer(1).release();
    }
    List<String> leaks = new ArrayList<>();
    synchronized (REPORTS) {
      for (ILoggingEvent e : REPORTS.list) {
        leaks.add(e.getFormattedMessage());
      }
      REPORTS.list.clear();
    }
    return leaks;
  }
}
