package dev.meld.chaos.history;

import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TuplesTest {

  @Test
  void keyedHistorySplitsByKeyAndUnwraps() {
    History h =
        history(
            invoke(0, "add", List.of("a", 1)), invoke(1, "add", List.of("b", 2)),
            ok(0, "add", List.of("a", 1)), ok(1, "add", List.of("b", 2)),
            invoke(0, "read", null), ok(0, "read", List.of("b", 2)));
    assertThat(Tuples.isKeyed(h)).isTrue();
    assertThat(Tuples.keys(h)).containsExactly("a", "b");
    History b = Tuples.subhistory(h, "b");
    assertThat(b.stream().map(Op::index)).containsExactly(1L, 3L, 4L, 5L);
    assertThat(b.stream().map(Op::value)).containsExactly(2L, 2L, null, 2L);
  }

  @Test
  void plainValuesAreNotKeyed() {
    History h =
        history(
            invoke(0, "add", 1),
            ok(0, "add", 1),
            invoke(0, "read", null),
            ok(0, "read", List.of(1, 2)));
    assertThat(Tuples.isKeyed(h)).isFalse();
  }

  @Test
  void mismatchedKeysInOnePairAreRejected() {
    History h = history(invoke(0, "add", List.of("a", 1)), ok(0, "add", List.of("b", 1)));
    assertThatThrownBy(() -> Tuples.keys(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("op 0: key \"a\" (expected: \"b\", the key of op 1)");
  }
}
