package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inline command lines split as Redis' {@code sdssplitargs} splits them. */
class InlineCommandTest {

  private static List<String> split(String line) {
    return InlineCommand.split(line).stream()
        .map(b -> new String(b, StandardCharsets.ISO_8859_1))
        .toList();
  }

  @Test
  void wordsAreSeparatedByBlanks() {
    assertThat(split("SET  key\tvalue ")).containsExactly("SET", "key", "value");
    assertThat(split("")).isEmpty();
    assertThat(split("   ")).isEmpty();
  }

  @Test
  void doubleQuotesUnderstandEscapes() {
    assertThat(split("SET \"a key\" \"\\x41\\x4a\\n\\t\\\\\\\"\""))
        .containsExactly("SET", "a key", "AJ\n\t\\\"");
    assertThat(split("ECHO \"\\x4\""))
        .as("not two hex digits: the x is itself")
        .containsExactly("ECHO", "x4");
    assertThat(split("ECHO \"\\xff\"")).containsExactly("ECHO", "\u00ff");
    assertThat(split("ECHO \"\"")).containsExactly("ECHO", "");
  }

  @Test
  void singleQuotesUnderstandOnlyAnEscapedQuote() {
    assertThat(split("ECHO 'it\\'s \\n'")).containsExactly("ECHO", "it's \\n");
  }

  @Test
  void aQuoteInsideAWordStartsQuoting() {
    assertThat(split("ECHO a\"b c\"")).containsExactly("ECHO", "ab c");
  }

  @Test
  void unbalancedQuotesAreAProtocolError() {
    for (String line : List.of("GET \"a", "GET 'a", "SET \"a\"b", "SET 'a'b", "GET \"a\\")) {
      assertThatThrownBy(() -> InlineCommand.split(line))
          .as(line)
          .isInstanceOf(RespProtocolException.class)
          .hasMessage("unbalanced quotes in request");
    }
  }
}
