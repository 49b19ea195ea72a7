package dev.meld.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.WARN);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void aFloodIsOneLineThenOneLinePerIntervalWithTheCountItStoodFor() {
    RateLimitedLog log = new RateLimitedLog(logger, 10_000, clock::get);
    for (int i = 0; i < 20_000; i++) {
      log.warn("undecodable", "dropped an undecodable message from {}", "evil");
    }
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage())
        .isEqualTo("dropped an undecodable message from evil");
    clock.addAndGet(9_999);
    log.warn("undecodable", "dropped an undecodable message from {}", "evil");
    assertThat(lines.list).hasSize(1);
    clock.addAndGet(1);
    log.warn("undecodable", "dropped an undecodable message from {}", "evil");
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(1).getFormattedMessage())
        .isEqualTo(
            "dropped an undecodable message from evil (and 20,000 more like it in the last 10 s)");
  }

  @Test
  void kindsAreLimitedSeparately() {
    RateLimitedLog log = new RateLimitedLog(logger, 10_000, clock::get);
    log.warn("a", "first a");
    log.warn("b", "first b");
    log.warn("a", "second a");
    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("first a", "first b");
  }

  @Test
  void kindsBeyondTheLimitShareOneWindow() {
    RateLimitedLog log = new RateLimitedLog(logger, 10_000, clock::get);
    for (int i = 0; i < RateLimitedLog.MAX_KINDS + 1_000; i++) {
      log.warn("kind-" + i, "line {}", i);
    }
    assertThat(lines.list).hasSize(RateLimitedLog.MAX_KINDS + 1);
  }
}
