package dev.meld.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Each completed command is timed under its command name and outcome ({@code ok}, {@code failed},
 * or its error code in lower case), one timer per pair, whatever way the timer is looked up.
 */
class CommandTimersTest {

  @Test
  void aCommandIsTimedByNameAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeMetrics metrics = new NodeMetrics(registry, new FakeView());
    Command incr = new Command.Increment(Bytes.utf8("k"), 1);
    metrics.completed(incr, Reply.Int.of(1), 1_000);
    metrics.completed(incr, Reply.Int.of(2), 1_000);
    metrics.completed(incr, new Reply.Error(Reply.Code.WRONGTYPE, "no"), 1_000);
    metrics.completed(incr, null, 1_000);
    metrics.completed(new Command.CounterGet(Bytes.utf8("k")), Reply.Int.of(2), 1_000);

    assertThat(count(registry, "Increment", "ok")).isEqualTo(2);
    assertThat(count(registry, "Increment", "wrongtype")).isEqualTo(1);
    assertThat(count(registry, "Increment", "failed")).isEqualTo(1);
    assertThat(count(registry, "CounterGet", "ok")).isEqualTo(1);
    assertThat(registry.find("meld.command.duration").timers()).hasSize(4);
  }

  private static long count(SimpleMeterRegistry registry, String command, String outcome) {
    Timer timer =
        registry
            .find("meld.command.duration")
            .tags("command", command, "outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }
}
