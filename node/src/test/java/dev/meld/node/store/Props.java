package dev.meld.node.store;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.quicktheories.QuickTheory;

/**
 * Runs QuickTheories properties with the project's budget and replay conventions: the example count
 * comes from {@code meld.props.examples} (default 1000), the seed from {@code meld.props.seed}
 * (random if unset), and a failure names its seed and the command that replays it.
 */
public final class Props {

  private Props() {}

  /** The configured example count. */
  public static int examples() {
    return Integer.getInteger("meld.props.examples", 1000);
  }

  /**
   * Runs {@code property} on a QuickTheory configured with the budget and a fixed seed.
   *
   * @param test the test as surefire's {@code -Dtest} names it, {@code Class#method}
   */
  public static void check(String test, Consumer<QuickTheory> property) {
    Long fixed = Long.getLong("meld.props.seed");
    long seed = fixed != null ? fixed : new SplittableRandom().nextLong();
    try {
      property.accept(QuickTheory.qt().withFixedSeed(seed).withExamples(examples()));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "property failed with seed "
              + seed
              + "; replay: mvn -B -pl node -am verify -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Dtest='"
              + test
              + "' -Dmeld.props.seed="
              + seed,
          e);
    }
  }
}
