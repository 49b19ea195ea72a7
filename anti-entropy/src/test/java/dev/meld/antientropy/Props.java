package dev.meld.antientropy;

import java.util.function.Consumer;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * Runs QuickTheories properties the Meld way: the example count comes from {@code
 * meld.props.examples} (default 1000; {@code just props} runs 100,000), the seed from {@code
 * meld.props.seed} (random if unset), and a failure names its seed and the one-line command that
 * replays it.
 */
final class Props {

  static final int EXAMPLES = Integer.getInteger("meld.props.examples", 1000);

  private Props() {}

  /** {@code small} in the default run, {@code large} in long runs (10,000 examples or more). */
  static int scale(int small, int large) {
    return EXAMPLES >= 10_000 ? large : small;
  }

  /** Checks {@code property} for {@code examples} generated values. */
  static <T> void forAll(int examples, Gen<T> gen, Consumer<T> property) {
    long seed = Long.getLong("meld.props.seed", System.nanoTime());
    StackWalker.StackFrame caller =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .dropWhile(f -> f.getClassName().equals(Props.class.getName()))
                        .findFirst())
            .orElseThrow();
    try {
      QuickTheory.qt().withExamples(examples).withFixedSeed(seed).forAll(gen).checkAssert(property);
    } catch (AssertionError | RuntimeException e) {
      String test = caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1);
      throw new AssertionError(
          e.getMessage()
              + "\nseed: "
              + seed
              + "\nreplay: mvn -B -q -pl anti-entropy -am verify -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Dtest="
              + test
              + "#"
              + caller.getMethodName()
              + " -Dmeld.props.seed="
              + seed,
          e);
    }
  }

  /** Checks {@code property} for {@link #EXAMPLES} generated values. */
  static <T> void forAll(Gen<T> gen, Consumer<T> property) {
    forAll(EXAMPLES, gen, property);
  }
}
