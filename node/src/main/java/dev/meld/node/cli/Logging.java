package dev.meld.node.cli;

import java.util.Locale;
import java.util.Set;

/**
 * Sets up the runnable jar's logging before the first logger exists: SLF4J through Logback, to
 * stderr, at the level of {@code --log-level} (the configuration is {@code meld-node-logback.xml}).
 * An operator's own {@code -Dlogback.configurationFile} wins.
 */
final class Logging {

  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

  private Logging() {}

  /**
   * The level named {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the levels
   */
  static String level(String text) {
    String level = text.trim().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "--log-level: '" + text + "' (expected: error, warn, info, debug, trace or off)");
    }
    return level;
  }

  /** Points Logback at the node's configuration with {@code level}; call before any logging. */
  static void configure(String level) {
    System.setProperty("meld.log.level", level);
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "meld-node-logback.xml");
    }
  }
}
