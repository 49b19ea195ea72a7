package dev.meld.testcontainers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** What the engine-backed tests share: skip with the reason when no engine answers; the node jar. */
final class DockerRequired {

  /** A background setup on a fresh machine takes a few minutes; wait that long at most. */
  static final Duration SETUP_WAIT = Duration.ofMinutes(10);

  private DockerRequired() {}

  static void assumeDocker() {
    Optional<String> why = MeldDocker.unavailable(SETUP_WAIT);
    Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
  }

  static Path nodeJar() {
    return Path.of(System.getProperty("meld.node.jar", "../node/target/meld-node.jar"));
  }
}
