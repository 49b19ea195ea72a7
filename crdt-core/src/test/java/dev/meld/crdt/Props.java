package dev.meld.crdt;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Consumer;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * Runs QuickTheories properties the project's way: the example count comes from the system
 * property {@code meld.props.examples} (default 1000), the seed from {@code meld.props.seed}
 * (default: fresh), and a failure names its seed and the one-line command that replays it.
 */
public final class Props {
  private static final SecureRandom SEEDS = new SecureRandom();

  private Props() {}

  /** Examples per property: {@code -Dmeld.props.examples=N}, default 1000. */
  public static int examples() {
    return Integer.getInteger("meld.props.examples", 1000);
  }

  /**
   * Checks {@code property} on {@code examples()} values of {@code gen}; an assertion failing in
   * it falsifies the law.
   *
   * @param testClass the test class that runs this property, named in the replay command
   * @param law what the property states, named in the failure
   */
  public static <A> void check(Class<?> testClass, String law, Gen<A> gen, Consumer<A> property) {
    check(testClass, law, gen, property, Integer.getInteger("meld.props.shrinks", 200));
  }

  /** As {@link #check(Class, String, Gen, Consumer)}, shrinking a failure at most {@code shrinks} times. */
  public static <A> void check(
      Class<?> testClass, String law, Gen<A> gen, Consumer<A> property, int shrinks) {
    long seed = Long.getLong("meld.props.seed", SEEDS.nextLong());
    try {
      QuickTheory.qt()
          .withExamples(examples())
          .withFixedSeed(seed)
          .withShrinkCycles(shrinks)
          .forAll(gen)
          .checkAssert(property);
    } catch (AssertionError e) {
      throw new AssertionError(
          "law falsified: " + law + " (seed " + seed + ")\n  replay: " + replay(testClass, seed)
              + "\n" + e.getMessage(),
          e);
    }
  }

  /** A command that reruns the calling test method with {@code seed}. */
  static String replay(Class<?> testClass, long seed) {
    String method =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .filter(f -> f.getDeclaringClass() != Object.class)
                        .filter(f -> f.getDeclaringClass().isAssignableFrom(testClass))
                        .map(StackWalker.StackFrame::getMethodName)
                        .findFirst())
            .map(m -> "#" + m)
            .orElse("");
    String module = Optional.ofNullable(System.getProperty("meld.props.module")).orElse("crdt-core");
    return "mvn -B -pl " + module + " -am verify -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Dtest='" + testClass.getSimpleName() + method + "' -Dmeld.props.seed=" + seed;
  }
}
