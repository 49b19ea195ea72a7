package dev.meld.chaos.docker;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names every container and network of one cluster: {@code meld-chaos-<time>-<random>}, so runs side
 * by side (and a run's leftovers) never collide, and cleanup can remove exactly one run's objects.
 */
final class RunPrefix {

  /** The label every container and network of the bench carries, valued with the run prefix. */
  static final String LABEL = "dev.meld.chaos.run";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunPrefix() {}

  static String fresh() {
    return "meld-chaos-"
        + LocalDateTime.now().format(STAMP)
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }
}
