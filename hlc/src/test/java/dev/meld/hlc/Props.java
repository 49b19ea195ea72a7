package dev.meld.hlc;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.quicktheories.QuickTheory;

/**
 * Property-test settings: the example budget from {@code -Dmeld.props.examples} (default 1000) and
 * the seed from {@code -Dmeld.props.seed} (default: fresh). As a JUnit extension it appends the
 * seed and a one-line replay command to any failure of a test that used {@link #qt()}.
 */
final class Props implements TestExecutionExceptionHandler, AfterEachCallback {

  static final String EXAMPLES = "meld.props.examples";
  static final String SEED = "meld.props.seed";

  private static final ThreadLocal<Long> SEED_IN_USE = new ThreadLocal<>();

  /** A QuickTheories run with this build's budget and a recorded seed. */
  static QuickTheory qt() {
    long seed = seed();
    SEED_IN_USE.set(seed);
    return QuickTheory.qt().withFixedSeed(seed).withExamples(examples());
  }

  static int examples() {
    String value = System.getProperty(EXAMPLES, "1000");
    try {
      int examples = Integer.parseInt(value.trim());
      if (examples > 0) {
        return examples;
      }
    } catch (NumberFormatException notANumber) {
      // reported below with the value
    }
    throw new IllegalArgumentException(EXAMPLES + ": " + value + " (expected: a positive integer)");
  }

  private static long seed() {
    String value = System.getProperty(SEED);
    if (value == null || value.isBlank()) {
      return System.nanoTime();
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException(SEED + ": " + value + " (expected: a long)", notANumber);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    Long seed = SEED_IN_USE.get();
    if (seed == null) {
      throw failure;
    }
    String module = Path.of(System.getProperty("user.dir")).getFileName().toString();
    String replay =
        "mvn -B -q -pl "
            + module
            + " -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest="
            + context.getRequiredTestClass().getSimpleName()
            + "#"
            + context.getRequiredTestMethod().getName()
            + " -D"
            + SEED
            + "="
            + seed;
    System.err.println("property failed with seed " + seed + "; replay: " + replay);
    throw new AssertionError(
        failure.getMessage() + "\nseed: " + seed + "\nreplay: " + replay, failure);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    SEED_IN_USE.remove();
  }
}
