package dev.meld.chaos.history;

import java.util.function.Consumer;
import org.quicktheories.QuickTheory;

/**
 * Runs a QuickTheories property with the project's budget: {@code meld.props.examples} examples
 * (default 1000) from seed {@code meld.props.seed} (default: fresh each run). A failure is rethrown
 * with its seed and the one-line command that replays it.
 */
public final class Props {

  public static final int EXAMPLES = Integer.getInteger("meld.props.examples", 1000);

  private Props() {}

  public static void check(Consumer<QuickTheory> property) {
    long seed = Long.getLong("meld.props.seed", System.nanoTime());
    StackWalker.StackFrame caller =
        StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow());
    String test = caller.getClassName() + "#" + caller.getMethodName();
    try {
      property.accept(QuickTheory.qt().withExamples(EXAMPLES).withFixedSeed(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          e.getMessage()
              + "\nProperty failed with seed "
              + seed
              + ". Replay: mvn -B -q -pl chaos-bench -am verify -Dtest='"
              + test
              + "' -Dsurefire.failIfNoSpecifiedTests=false -Dmeld.props.seed="
              + seed,
          e);
    }
  }
}
