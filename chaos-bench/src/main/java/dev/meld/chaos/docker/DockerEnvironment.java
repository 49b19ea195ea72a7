package dev.meld.chaos.docker;

import java.util.Map;

/**
 * What Testcontainers needs on machines without an image registry: without these variables it tries
 * to pull its reaper and other helper images and stalls for minutes before failing (measured on
 * such a machine; README, "The two commands", prepares Docker the same way). They are read from the environment only, so
 * the bench checks them up front and says how to set them.
 */
final class DockerEnvironment {

  static final Map<String, String> REQUIRED =
      Map.of(
          "TESTCONTAINERS_RYUK_DISABLED", "true",
          "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
          "TESTCONTAINERS_CHECKS_DISABLE", "true");

  private DockerEnvironment() {}

  /** What is missing from {@code env}, as {@code NAME=value} pairs to export; empty if nothing. */
  static String missing(Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    REQUIRED.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .filter(e -> !e.getValue().equalsIgnoreCase(env.getOrDefault(e.getKey(), "")))
        .forEach(e -> out.append(out.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue()));
    return out.toString();
  }

  /** @throws IllegalStateException naming the variables to export (scripts/chaos-docker does) */
  static void requireUsable() {
    String missing = missing(System.getenv());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Testcontainers environment: export "
              + missing
              + " (expected: set as scripts/chaos-docker does; without them Testcontainers tries to"
              + " pull helper images and stalls)");
    }
  }
}
