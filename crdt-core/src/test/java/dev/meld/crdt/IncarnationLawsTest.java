package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Why incarnations exist. Replica a writes, a peer b receives those writes, then a loses its
 * state (crash, wipe, restore from an old backup) and starts again from nothing. Under a fresh
 * incarnation its new writes carry new slots and dots, and survive the merge with b. Under the
 * reused id they reuse slots and dots b already holds, and the merge swallows them: the tests
 * with "reused" in their names assert that this loss really happens.
 */
class IncarnationLawsTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  /** (increments before the crash, increments after), each 1-60. */
  private static Gen<int[]> histories() {
    return Generate.range(1, 60).zip(Generate.range(1, 60), (before, after) -> new int[] {before, after});
  }

  @Test
  void aFreshIncarnationNeverHasItsIncrementsSwallowed() {
    Props.check(
        getClass(),
        "increments after a restart under a fresh incarnation survive",
        histories(),
        h -> {
          assertThat(gcounterAfterRestart(h[0], h[1], A.nextIncarnation())).isEqualTo(h[0] + h[1]);
          assertThat(pncounterAfterRestart(h[0], h[1], A.nextIncarnation())).isEqualTo(h[0] + h[1]);
        });
  }

  @Test
  void aFreshIncarnationNeverHasItsAddsSwallowed() {
    Props.check(
        getClass(),
        "adds after a restart under a fresh incarnation survive",
        histories(),
        h -> assertThat(setAfterRestart(h[0], h[1], A.nextIncarnation()).size()).isEqualTo(h[0] + h[1]));
  }

  @Test
  void aReusedIdLosesIncrementsMadeAfterTheRestart() {
    Props.check(
        getClass(),
        "increments after a restart under the reused id are swallowed",
        histories(),
        h -> {
          long expectedIfNothingWereLost = h[0] + h[1];
          assertThat(gcounterAfterRestart(h[0], h[1], A)).isEqualTo(Math.max(h[0], h[1]))
              .isLessThan(expectedIfNothingWereLost);
          assertThat(pncounterAfterRestart(h[0], h[1], A)).isLessThan(expectedIfNothingWereLost);
        });
  }

  @Test
  void aReusedIdLosesAddsMadeAfterTheRestart() {
    // a adds old-0..old-2 (dots a:1..a:3), b merges them; a restarts empty under the same id and
    // adds new-0 and new-1, which get dots a:1 and a:2 again. b has seen those dots, so its merge
    // takes them for adds it already knows, and the new elements never appear.
    Orswot<String> merged = setAfterRestart(3, 2, A);
    assertThat(merged.elements()).containsExactlyInAnyOrder("old-0", "old-1", "old-2");
    assertThat(merged.contains("new-0")).isFalse();
    assertThat(merged.contains("new-1")).isFalse();
  }

  private static long gcounterAfterRestart(int before, int after, ReplicaId restartedAs) {
    GCounter a = new GCounter();
    for (int i = 0; i < before; i++) {
      a.increment(A, 1);
    }
    GCounter b = new GCounter().merge(a);
    GCounter restarted = new GCounter(); // a's state is lost
    for (int i = 0; i < after; i++) {
      restarted.increment(restartedAs, 1);
    }
    return b.merge(restarted).value();
  }

  private static long pncounterAfterRestart(int before, int after, ReplicaId restartedAs) {
    PNCounter a = new PNCounter();
    for (int i = 0; i < before; i++) {
      a.increment(A, 1);
    }
    PNCounter b = new PNCounter().merge(a);
    b.increment(B, 1);
    b.decrement(B, 1);
    PNCounter restarted = new PNCounter();
    for (int i = 0; i < after; i++) {
      restarted.increment(restartedAs, 1);
    }
    return b.merge(restarted).value();
  }

  private static Orswot<String> setAfterRestart(int before, int after, ReplicaId restartedAs) {
    Orswot<String> a = new Orswot<>(ElementCodec.UTF8);
    for (int i = 0; i < before; i++) {
      a.add(A, "old-" + i);
    }
    Orswot<String> b = new Orswot<>(ElementCodec.UTF8).merge(a);
    Orswot<String> restarted = new Orswot<>(ElementCodec.UTF8);
    for (int i = 0; i < after; i++) {
      restarted.add(restartedAs, "new-" + i);
    }
    return b.merge(restarted);
  }
}
