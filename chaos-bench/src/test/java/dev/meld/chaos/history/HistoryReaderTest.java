package dev.meld.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {

  private static History read(String text) throws IOException {
    return new HistoryReader().read(new StringReader(text), "h.jsonl");
  }

  private static void assertBad(String text, String message) {
    assertThatThrownBy(() -> read(text))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessage(message);
  }

  @Test
  void readsOpsSkipsBlankLinesAndKeepsExtras() throws IOException {
    History h =
        read(
            "{\"index\":0,\"time\":5,\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n"
                + "\n"
                + "{\"index\":1,\"time\":9,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":[1],"
                + "\"node\":\"n2\"}\r\n");
    assertThat(h.size()).isEqualTo(2);
    assertThat(h.get(1).extra("node")).isEqualTo("n2");
    assertThat(h.get(0).value()).isNull();
  }

  @Test
  void missingIndexAndTimeFollowThePreviousOp() throws IOException {
    History h =
        read(
            "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"a\"}\n"
                + "{\"index\":7,\"time\":30,\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"b\"}\n"
                + "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"c\"}");
    assertThat(h.ops()).extracting(Op::index).containsExactly(0L, 7L, 8L);
    assertThat(h.ops()).extracting(Op::time).containsExactly(0L, 30L, 30L);
  }

  @Test
  void malformedLinesNameTheLineTheFieldAndTheExpectation() {
    assertBad(
        "\n{\"type\":\"okay\",\"process\":0,\"f\":\"read\"}\n",
        "h.jsonl:2: type: \"okay\" (expected: one of invoke, ok, fail, info)");
    assertBad(
        "{\"type\":\"ok\",\"f\":\"read\"}",
        "h.jsonl:1: process: missing (expected: every op has \"process\")");
    assertBad(
        "{\"type\":\"ok\",\"process\":1.5,\"f\":\"read\"}",
        "h.jsonl:1: process: 1.5 (expected: an integer or a string such as \"nemesis\")");
    assertBad(
        "{\"index\":-2,\"type\":\"ok\",\"process\":1,\"f\":\"read\"}",
        "h.jsonl:1: index: -2 (expected: an integer >= 0)");
    assertBad("[1,2]", "h.jsonl:1: op: [1,2] (expected: a JSON object)");
    assertThatThrownBy(() -> read("{\"type\":"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageStartingWith("h.jsonl:1: not JSON: ");
    assertThatThrownBy(() -> read("{\"type\":\"ok\",\"type\":\"ok\",\"process\":1,\"f\":\"r\"}"))
        .hasMessageContaining("Duplicate field 'type'");
  }

  @Test
  void pairingErrorsNameTheirLine() {
    assertBad(
        "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n\n"
            + "{\"type\":\"ok\",\"process\":0,\"f\":\"add\"}\n",
        "h.jsonl:3: op 1: f: \"add\" (expected: \"read\", the f of its invocation, op 0)");
  }

  @Test
  void overlongLineIsRejectedBeforeItIsBuffered() {
    String line = "{\"type\":\"ok\",\"process\":0,\"f\":\"" + "x".repeat(200) + "\"}";
    assertThatThrownBy(
            () -> new HistoryReader().maxLineChars(100).read(new StringReader(line), "big.jsonl"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessage("big.jsonl:1: line length: > 100 characters (expected: <= 100)");
  }

  @Test
  void truncatedTailIsDroppedOnlyWhenAllowed() throws IOException {
    String text =
        "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"a\"}\n"
            + "{\"type\":\"info\",\"process\":\"nem";
    assertThatThrownBy(() -> read(text)).isInstanceOf(HistoryFormatException.class);
    HistoryReader lenient = new HistoryReader().allowTruncatedTail(true);
    History h = lenient.read(new StringReader(text), "h.jsonl");
    assertThat(h.size()).isEqualTo(1);
    assertThat(lenient.droppedTail()).isTrue();
  }

  @Test
  void aBrokenLineInTheMiddleIsAnErrorEvenWhenTailsMayBeDropped() {
    String text =
        "{\"type\":\"info\",\"process\":\"nem\n"
            + "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"a\"}\n";
    assertThatThrownBy(
            () ->
                new HistoryReader()
                    .allowTruncatedTail(true)
                    .read(new StringReader(text), "h.jsonl"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageStartingWith("h.jsonl:1: not JSON");
  }
}
