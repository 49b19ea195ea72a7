package dev.meld.testcontainers;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Whether Meld's containers can run here, and if not, why: tests that need Docker ask this first and
 * skip with the reason rather than fail on a machine without an engine.
 *
 * <pre>{@code
 * @BeforeAll
 * static void docker() {
 *   Optional<String> why = MeldDocker.unavailable(Duration.ofMinutes(10));
 *   Assumptions.assumeTrue(why.isEmpty(), () -> why.get());
 * }
 * }</pre>
 *
 * <p>The project's test command starts {@code debug-image/setup.sh} in the background (installing
 * the engine and building the base images takes minutes on a fresh machine) and names its status
 * directory in {@value #SETUP_ENV}; while that setup is still running, this waits for it.
 */
public final class MeldDocker {

  /** The environment variable naming a background setup's status directory. */
  public static final String SETUP_ENV = "MELD_DOCKER_SETUP";

  private static final Duration POLL = Duration.ofMillis(500);

  private MeldDocker() {}

  /**
   * Empty when an engine answers and Meld's base images exist; otherwise the reason, with what to
   * do about it. Waits up to {@code maxWait} for a background setup still in progress.
   */
  public static Optional<String> unavailable(Duration maxWait) {
    Optional<String> setup = awaitBackgroundSetup(System.getenv(SETUP_ENV), maxWait);
    if (setup.isPresent()) {
      return setup;
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.of(
          "no Docker engine answers (run debug-image/setup.sh as root: it installs docker.io,"
              + " starts dockerd and builds the base images)");
    }
    for (String base : new String[] {MeldImage.JRE_BASE, MeldImage.DEBUG_BASE}) {
      if (!imageExists(base)) {
        return Optional.of(
            "base image " + base + " is missing (build it without a registry: debug-image/setup.sh)");
      }
    }
    return Optional.empty();
  }

  /** Whether the engine holds an image of that name. */
  static boolean imageExists(String image) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Waits while the status file under {@code statusDir} says {@code running}. Empty when there is
   * no background setup or it finished ready; otherwise why the containers cannot be used.
   */
  static Optional<String> awaitBackgroundSetup(String statusDir, Duration maxWait) {
    if (statusDir == null || statusDir.isBlank()) {
      return Optional.empty();
    }
    Path status = Path.of(statusDir, "status");
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      String state = read(status);
      if (state.isEmpty() || state.equals("ready")) {
        return Optional.empty();
      }
      if (state.startsWith("failed")) {
        return Optional.of(
            "the background Docker setup " + state + " (see " + status.resolveSibling("setup.log") + ")");
      }
      if (System.nanoTime() - deadline >= 0) {
        return Optional.of(
            "the background Docker setup was still " + state + " after " + maxWait
                + " (see " + status.resolveSibling("setup.log") + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for the background Docker setup");
      }
    }
  }

  private static String read(Path status) {
    try {
      return Files.readString(status, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
