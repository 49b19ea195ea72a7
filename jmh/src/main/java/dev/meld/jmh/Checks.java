package dev.meld.jmh;

/**
 * Setup-time checks that a benchmark's inputs are the scenario its Javadoc describes, so it cannot
 * measure a shortcut.
 */
final class Checks {

  private Checks() {}

  static void require(boolean holds, String expectation) {
    if (!holds) {
      throw new IllegalStateException("benchmark setup (expected: " + expectation + ")");
    }
  }
}
