package dev.meld.chaos.history;

import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void pairsInvocationsWithCompletionsByProcess() {
    History h =
        history(
            invoke(0, "add", 1),
            invoke(1, "read", null),
            ok(1, "read", 0),
            ok(0, "add", 1),
            invoke(0, "add", 2));
    assertThat(h.completion(h.get(0))).contains(h.get(3));
    assertThat(h.completion(h.get(1))).contains(h.get(2));
    assertThat(h.invocation(h.get(3))).contains(h.get(0));
    assertThat(h.completion(h.get(4))).isEmpty();
  }

  @Test
  void valueOfFallsBackToTheInvokedValue() {
    History h = history(invoke(0, "add", 5), info(0, "add", null));
    assertThat(h.valueOf(h.get(1))).isEqualTo(5L);
  }

  @Test
  void loneNemesisOpsPairWithNothing() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INFO, Op.NEMESIS, "start-partition", null),
                new Op(1, 5, OpType.INFO, Op.NEMESIS, "stop-partition", null)));
    assertThat(h.invocation(h.get(1))).isEmpty();
  }

  @Test
  void secondInvokeOnABusyProcessIsMalformed() {
    assertThatThrownBy(() -> history(invoke(0, "add", 1), invoke(0, "add", 2)))
        .isInstanceOf(MalformedHistoryException.class)
        .hasMessage(
            "op 1: process 0 invoked while op 0 was still open"
                + " (expected: one operation at a time per process)");
  }

  @Test
  void clientCompletionWithoutInvocationIsMalformed() {
    assertThatThrownBy(() -> history(ok(3, "read", 0)))
        .isInstanceOf(MalformedHistoryException.class)
        .hasMessage(
            "op 0: process 3 completed \"read\" with no open invocation"
                + " (expected: an invoke before each completion)");
  }

  @Test
  void completionOfAnotherFunctionIsMalformed() {
    assertThatThrownBy(() -> history(invoke(0, "add", 1), ok(0, "read", 1)))
        .isInstanceOf(MalformedHistoryException.class)
        .hasMessage("op 1: f: \"read\" (expected: \"add\", the f of its invocation, op 0)");
  }

  @Test
  void indicesMustIncrease() {
    assertThatThrownBy(
            () ->
                History.of(
                    List.of(
                        new Op(3, 0, OpType.INFO, "nemesis", "x", null),
                        new Op(3, 0, OpType.INFO, "nemesis", "y", null))))
        .isInstanceOf(MalformedHistoryException.class)
        .hasMessage("index: 3 (expected: > 3, the previous index)");
  }

  @Test
  void timeMustNotDecrease() {
    assertThatThrownBy(
            () ->
                History.of(
                    List.of(
                        new Op(0, 10, OpType.INFO, "nemesis", "x", null),
                        new Op(1, 9, OpType.INFO, "nemesis", "y", null))))
        .isInstanceOf(MalformedHistoryException.class)
        .hasMessage("op 1: time: 9 (expected: >= 10, the time of op 0)");
  }

  @Test
  void opCanonicalizesValuesAndKeepsExtras() {
    Op op = new Op(0, 0, OpType.OK, 1, "read", List.of(1, 2.5, "x"), Map.of("node", "n1"));
    assertThat(op.process()).isEqualTo(1L);
    assertThat(op.value()).isEqualTo(List.of(1L, 2.5, "x"));
    assertThat(op.toJsonLine())
        .isEqualTo(
            "{\"index\":0,\"time\":0,\"type\":\"ok\",\"process\":1,\"f\":\"read\","
                + "\"value\":[1,2.5,\"x\"],\"node\":\"n1\"}");
  }

  @Test
  void opRejectsBadFieldsWithClearMessages() {
    assertThatThrownBy(() -> new Op(-1, 0, OpType.OK, 1, "read", null))
        .hasMessage("index: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new Op(0, 0, OpType.OK, List.of(), "read", null))
        .hasMessage(
            "process: [] (expected: an integer for a client or a name such as" + " \"nemesis\")");
    assertThatThrownBy(() -> new Op(0, 0, OpType.OK, 1, "", null))
        .hasMessage("f:  (expected: a non-empty string)");
    assertThatThrownBy(() -> new Op(0, 0, OpType.OK, 1, "read", new Object()))
        .hasMessageStartingWith("value: java.lang.Object@");
    assertThatThrownBy(() -> new Op(0, 0, OpType.OK, 1, "read", Double.NaN))
        .hasMessage("value: NaN (expected: a finite number)");
    assertThatThrownBy(() -> new Op(0, 0, OpType.OK, 1, "read", null, Map.of("f", 1)))
        .hasMessageStartingWith("extra: \"f\" (expected: a key other than");
  }

  @Test
  void valuesOrderAcrossTypes() {
    List<Object> values =
        new java.util.ArrayList<>(
            java.util.Arrays.asList(
                "b", 2L, List.of(1L), null, 1.5, true, "a", Map.of("k", 1L), 10L));
    values.sort(Values.ORDER);
    assertThat(values)
        .containsExactly(null, true, 1.5, 2L, 10L, "a", "b", List.of(1L), Map.of("k", 1L));
  }
}
