package dev.meld.hlc;

import static dev.meld.hlc.HlcTimestamp.millis;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.hlc.ClockScript.Event;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The laws of {@link HybridLogicalClock} on single-threaded histories: a wall clock that steps
 * forwards, steps backwards and jumps, peers skewed anywhere from far behind to years ahead,
 * counters at their limit, and rare bursts of more than 65,536 stamps. The multi-threaded law is in
 * {@link HybridLogicalClockConcurrencyPropertiesTest}.
 */
@ExtendWith(Props.class)
class HybridLogicalClockPropertiesTest {

  /**
   * Law: each stamp, and the clamp count, equal those of the textbook algorithm ({@link HlcModel}).
   */
  @Test
  void agreesWithTheTextbookAlgorithmOnEveryCall() {
    forEveryHistory(
        played -> {
          HlcModel model = new HlcModel(played.script().maxDrift(), 0);
          List<Event> events = played.events();
          for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            long expected = e.isUpdate() ? model.update(e.wall(), e.remote()) : model.now(e.wall());
            if (e.stamp() != expected) {
              fail(
                  "call "
                      + i
                      + " "
                      + describe(e)
                      + ": expected "
                      + HlcTimestamp.toString(expected));
            }
          }
          if (played.clock().clampCount() != model.clamps()) {
            fail(
                "clampCount "
                    + played.clock().clampCount()
                    + " (expected: "
                    + model.clamps()
                    + ")");
          }
        });
  }

  /**
   * Law: every stamp is strictly greater than the one before, whatever the wall clock and the peers
   * do.
   */
  @Test
  void stampsStrictlyIncreaseUnderAnyWallClock() {
    forEveryHistory(
        played -> {
          long[] stamps = played.events().stream().mapToLong(Event::stamp).toArray();
          StampChecks.strictlyIncreasing("single thread", stamps);
        });
  }

  /** Law: {@code update(r) > r} whenever {@code millis(r) <= wall + maxDrift}. */
  @Test
  void updateIsAfterTheRemoteWhenTheRemoteIsWithinBounds() {
    forEveryHistory(
        played -> {
          for (Event e : played.events()) {
            if (e.isUpdate()
                && !played.script().beyondBound(e.wall(), e.remote())
                && e.stamp() <= e.remote()) {
              fail("update not after an in-bounds remote: " + describe(e));
            }
          }
        });
  }

  /**
   * Law (drift): for every stamp {@code s} issued at wall reading {@code w}, {@code w <= millis(s)
   * <= W + maxDrift + ceil(k / 65536)}, where {@code W} is the highest wall reading so far and
   * {@code k} counts the stamps since the clock last jumped ({@code s != before + 1}), {@code s}
   * included. With fewer than 65,536 stamps per jump, borrowing adds at most one millisecond; for a
   * wall clock that never steps back, {@code W = w}, so {@code |millis(s) - w| <= maxDrift + 1}.
   */
  @Test
  void staysWithinTheDriftBoundOfTheWallClock() {
    forEveryHistory(
        played -> {
          long sinceJump = 0;
          for (Event e : played.events()) {
            sinceJump = e.stamp() == e.before() + 1 ? sinceJump + 1 : 1;
            long borrowed = (sinceJump + HlcTimestamp.MAX_LOGICAL) / (HlcTimestamp.MAX_LOGICAL + 1);
            long upper = e.maxWall() + played.script().maxDrift() + borrowed;
            if (millis(e.stamp()) < e.wall() || millis(e.stamp()) > upper) {
              fail(
                  "millis outside ["
                      + e.wall()
                      + ", "
                      + upper
                      + "] (k = "
                      + sinceJump
                      + "): "
                      + describe(e));
            }
          }
        });
  }

  /**
   * Law: {@code clampCount()} equals the number of remotes with {@code millis(r) > wall +
   * maxDrift}, and such an update moves the clock no further than {@code max(wall + maxDrift,
   * millis(before + 1))}: the remote is never adopted.
   */
  @Test
  void clampsAreCountedAndTheRemoteIsNeverAdopted() {
    forEveryHistory(
        played -> {
          long expectedClamps = 0;
          for (Event e : played.events()) {
            if (e.isUpdate() && played.script().beyondBound(e.wall(), e.remote())) {
              expectedClamps++;
              long limit = Math.max(e.wall() + played.script().maxDrift(), millis(e.before() + 1));
              if (millis(e.stamp()) > limit) {
                fail("clamped update went past " + limit + ": " + describe(e));
              }
            }
          }
          if (played.clock().clampCount() != expectedClamps) {
            fail(
                "clampCount "
                    + played.clock().clampCount()
                    + " (expected: "
                    + expectedClamps
                    + ")");
          }
        });
  }

  /**
   * Law (restart): a clock restored from a high-water mark persisted after any prefix of a history
   * (optionally reserved ahead) issues only stamps above every stamp of that prefix and above the
   * mark, strictly increasing, even when the restarted wall clock is far behind.
   */
  @Test
  void neverRunsBackwardsAcrossARestartFromThePersistedHighWaterMark() {
    Props.qt()
        .forAll(
            ClockScript.scripts(),
            ClockScript.scripts(longs().between(0, ClockScript.WALL_LIMIT / 16), 20),
            integers().between(0, 1_000),
            longs().between(0, 10_000).mix(longs().between(0, 0)))
        .checkAssert(
            (before, after, persistPermille, reserveMillis) -> {
              ManualClock wall = new ManualClock(0);
              List<Event> history =
                  before.run(new HybridLogicalClock(wall, before.maxDrift()), wall);
              int durable = (int) ((long) history.size() * persistPermille / 1_000);
              long highestDurable =
                  history.subList(0, durable).stream().mapToLong(Event::stamp).max().orElse(0);
              long mark = highestDurable + HlcTimestamp.pack(reserveMillis, 0);

              HybridLogicalClock restarted =
                  HybridLogicalClock.restore(wall, after.maxDrift(), mark);
              long[] stamps = after.run(restarted, wall).stream().mapToLong(Event::stamp).toArray();
              StampChecks.strictlyIncreasing("after restart", stamps);
              if (stamps[0] <= mark) {
                fail(
                    "first stamp after restart "
                        + HlcTimestamp.toString(stamps[0])
                        + " is not above the mark "
                        + HlcTimestamp.toString(mark)
                        + " (highest durable "
                        + HlcTimestamp.toString(highestDurable)
                        + ")");
              }
            });
  }

  private static void forEveryHistory(Consumer<ClockScript.Played> law) {
    Props.qt().forAll(ClockScript.scripts()).checkAssert(script -> law.accept(script.play()));
  }

  private static String describe(Event e) {
    return "wall="
        + e.wall()
        + " maxWall="
        + e.maxWall()
        + (e.isUpdate() ? " update(" + HlcTimestamp.toString(e.remote()) + ")" : " now()")
        + " before="
        + HlcTimestamp.toString(e.before())
        + " -> "
        + HlcTimestamp.toString(e.stamp());
  }
}
