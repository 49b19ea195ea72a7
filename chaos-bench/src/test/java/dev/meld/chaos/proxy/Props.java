package dev.meld.chaos.proxy;

import java.util.function.Consumer;
import org.quicktheories.QuickTheory;

/**
 * How property tests run: {@code meld.props.examples} examples (default 1000) from seed {@code
 * meld.props.seed} (default random). A failure names its seed and the command that replays it.
 */
final class Props {

  private Props() {}

  static void check(String testClassAndMethod, Consumer<QuickTheory> property) {
    int examples = Integer.getInteger("meld.props.examples", 1000);
    long seed = Long.getLong("meld.props.seed", System.nanoTime());
    try {
      property.accept(QuickTheory.qt().withExamples(examples).withFixedSeed(seed));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "\nseed: "
              + seed
              + "\nreplay: mvn -B -q -pl chaos-bench -am verify -Dtest='"
              + testClassAndMethod
              + "' -Dsurefire.failIfNoSpecifiedTests=false -Dmeld.props.seed="
              + seed,
          e);
    }
  }
}
