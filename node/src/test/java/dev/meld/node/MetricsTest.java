package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands are counted by their class on the hot path and reported under their names. */
class MetricsTest {

  @Test
  void commandsAreReportedUnderTheirNamesWithTheirCounts() {
    Metrics metrics = new Metrics();
    Bytes key = Bytes.utf8("k");

    metrics.command(new Command.Increment(key, 1));
    metrics.command(new Command.Increment(Bytes.utf8("other"), 5));
    metrics.command(new Command.SetAdd(key, List.of(Bytes.utf8("m"))));

    assertThat(metrics.commands()).isEqualTo(Map.of("Increment", 2L, "SetAdd", 1L));
  }

  @Test
  void noCommandsReportsNone() {
    assertThat(new Metrics().commands()).isEmpty();
  }
}
