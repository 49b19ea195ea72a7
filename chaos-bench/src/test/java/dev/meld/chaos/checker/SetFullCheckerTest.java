package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code set-full} checker against every case of Jepsen's {@code set-full-test} in {@code
 * checker_test.clj}: same histories (ops i ms apart, as its {@code history} helper numbers them),
 * same expected results. Jepsen prints {@code :duplicated {}}; ours is the empty array of pairs.
 */
class SetFullCheckerTest {

  private final Checker setFull = new SetFullChecker(false);

  private static final String NEVER_READ_0 =
      "{\"valid\":\"unknown\",\"attempt-count\":1,"
          + "\"stable-count\":0,\"lost-count\":0,\"lost\":[],\"never-read-count\":1,"
          + "\"never-read\":[0],\"stale-count\":0,\"stale\":[],\"worst-stale\":[],"
          + "\"duplicated-count\":0,\"duplicated\":[]}";

  private CheckResult check(Op... ops) {
    return setFull.check(history(ops));
  }

  private final Op a = invoke(0, "add", 0);
  private final Op a2 = ok(0, "add", 0);
  private final Op r = invoke(1, "read", null);
  private final Op rPlus = ok(1, "read", List.of(0));
  private final Op rMinus = ok(1, "read", List.of());

  @Test
  void jepsenNeverRead() {
    assertResult(check(a, a2), NEVER_READ_0);
  }

  @Test
  void jepsenNeverConfirmedNeverRead() {
    assertResult(check(a, r, rMinus), NEVER_READ_0);
  }

  @Test
  void jepsenSuccessfulReadEitherConcurrentlyOrAfter() {
    String stable =
        "{\"valid\":true,\"attempt-count\":1,\"stable-count\":1,\"lost-count\":0,"
            + "\"lost\":[],\"never-read-count\":0,\"never-read\":[],\"stale-count\":0,\"stale\":[],"
            + "\"worst-stale\":[],"
            + "\"stable-latencies\":{\"0\":0,\"0.5\":0,\"0.95\":0,\"0.99\":0,\"1\":0},"
            + "\"duplicated-count\":0,\"duplicated\":[]}";
    assertResult(check(r, a, rPlus, a2), stable);
    assertResult(check(r, a, a2, rPlus), stable);
    assertResult(check(a, r, rPlus, a2), stable);
    assertResult(check(a, r, a2, rPlus), stable);
    assertResult(check(a, a2, r, rPlus), stable);
  }

  @Test
  void jepsenAbsentReadAfter() {
    assertResult(
        check(a, a2, r, rMinus),
        "{\"valid\":false,\"attempt-count\":1,"
            + "\"stable-count\":0,\"lost-count\":1,\"lost\":[0],\"never-read-count\":0,"
            + "\"never-read\":[],\"stale-count\":0,\"stale\":[],\"worst-stale\":[],"
            + "\"lost-latencies\":{\"0\":0,\"0.5\":0,\"0.95\":0,\"0.99\":0,\"1\":0},"
            + "\"duplicated-count\":0,\"duplicated\":[]}");
  }

  @Test
  void jepsenAbsentReadConcurrently() {
    assertResult(check(r, a, rMinus, a2), NEVER_READ_0);
    assertResult(check(r, a, a2, rMinus), NEVER_READ_0);
    assertResult(check(a, r, rMinus, a2), NEVER_READ_0);
    assertResult(check(a, r, a2, rMinus), NEVER_READ_0);
  }

  private final Op a0 = invoke(0, "add", 0);
  private final Op a0ok = ok(0, "add", 0);
  private final Op a1 = invoke(1, "add", 1);
  private final Op a1ok = ok(1, "add", 1);
  private final Op r2 = invoke(2, "read", null);
  private final Op r3 = invoke(3, "read", null);
  private final Op r2empty = ok(2, "read", List.of());
  private final Op r2of0 = ok(2, "read", List.of(0));
  private final Op r3of1 = ok(3, "read", List.of(1));
  private final Op r2of1 = ok(2, "read", List.of(1));
  private final Op r2of01 = ok(2, "read", List.of(0, 1));

  @Test
  void jepsenWritePresentMissing() {
    assertResult(
        check(a0, a1, r2, r2of1, a0ok, a1ok, r2, r2of01, r2, r2of0, r2, r2empty),
        "{\"valid\":false,\"attempt-count\":2,\"stable-count\":0,\"lost-count\":2,"
            + "\"lost\":[0,1],\"never-read-count\":0,\"never-read\":[],\"stale-count\":0,"
            + "\"stale\":[],\"worst-stale\":[],"
            + "\"lost-latencies\":{\"0\":3,\"0.5\":4,\"0.95\":4,\"0.99\":4,\"1\":4},"
            + "\"duplicated-count\":0,\"duplicated\":[]}");
  }

  /**
   * Element 1 is known at 4 ms (a read sees it before its add completes), missed by the read
   * invoked at 6 ms and seen again by one invoked at 7 ms: stable, stale by 2 ms. Element 0 is
   * never seen after the read invoked at 6 ms: lost.
   */
  @Test
  void jepsenWriteFlutterStableLost() {
    assertResult(
        check(a0, a0ok, a1, r2, r2of1, a1ok, r2, r3, r3of1, r2of0),
        "{\"valid\":false,\"attempt-count\":2,\"stable-count\":1,\"lost-count\":1,"
            + "\"lost\":[0],\"never-read-count\":0,\"never-read\":[],\"stale-count\":1,"
            + "\"stale\":[1],\"worst-stale\":[{\"element\":1,\"outcome\":\"stable\","
            + "\"stable-latency\":2,\"lost-latency\":null,"
            + "\"known\":{\"index\":4,\"time\":4000000,\"type\":\"ok\",\"process\":2,"
            + "\"f\":\"read\",\"value\":[1]},"
            + "\"last-absent\":{\"index\":6,\"time\":6000000,\"type\":\"invoke\",\"process\":2,"
            + "\"f\":\"read\",\"value\":null}}],"
            + "\"stable-latencies\":{\"0\":2,\"0.5\":2,\"0.95\":2,\"0.99\":2,\"1\":2},"
            + "\"lost-latencies\":{\"0\":5,\"0.5\":5,\"0.95\":5,\"0.99\":5,\"1\":5},"
            + "\"duplicated-count\":0,\"duplicated\":[]}");
  }

  /**
   * Jepsen's filter for duplicates keeps multiplicities below 1, so it never reports one; ours
   * reports an element a read returned twice, and fails the history.
   */
  @Test
  void duplicateInOneReadIsReportedAndInvalid() {
    History h = history(a, a2, r, ok(1, "read", List.of(0, 0, 0)));
    CheckResult result = setFull.check(h);
    assertThat(result.valid()).isEqualTo(Validity.FALSE);
    assertThat(result.get("stable-count")).isEqualTo(1);
    assertThat(result.get("duplicated-count")).isEqualTo(1);
    assertThat(result.get("duplicated")).isEqualTo(List.of(List.of(0L, 3L)));
  }

  @Test
  void linearizableOptionFailsOnStaleElements() {
    History h = history(a0, a0ok, a1, r2, r2of1, a1ok, r2, r3, ok(3, "read", List.of(0, 1)), r2of0);
    assertThat(new SetFullChecker(false).check(h).valid()).isEqualTo(Validity.TRUE);
    assertThat(new SetFullChecker(false).check(h).get("stale")).isEqualTo(List.of(0L, 1L));
    assertThat(new SetFullChecker(true).check(h).valid()).isEqualTo(Validity.FALSE);
  }
}
