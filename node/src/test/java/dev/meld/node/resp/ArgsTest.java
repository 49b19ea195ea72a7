package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Integers parse as Redis' {@code string2ll} parses them. */
class ArgsTest {

  private static long parse(String s) {
    return Args.parseLong(s.getBytes(StandardCharsets.US_ASCII), CommandException::notAnInteger);
  }

  @Test
  void acceptsCanonicalDecimalsOver64Bits() {
    assertThat(parse("0")).isZero();
    assertThat(parse("7")).isEqualTo(7);
    assertThat(parse("-15")).isEqualTo(-15);
    assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void refusesEverythingElse() {
    for (String s :
        List.of(
            "",
            "-",
            "+5",
            "007",
            "-0",
            " 5",
            "5 ",
            "1e3",
            "0x10",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "123456789012345678901",
            "١")) {
      assertThatThrownBy(() -> parse(s))
          .as("'%s'", s)
          .isInstanceOf(CommandException.class)
          .hasMessage("ERR value is not an integer or out of range");
    }
  }
}
