package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void actionsRunByTimeThenBySchedulingOrder() {
    EventQueue queue = new EventQueue();
    List<String> ran = new ArrayList<>();
    queue.at(20, () -> ran.add("b@20"));
    queue.at(10, () -> ran.add("a@10"));
    queue.at(20, () -> ran.add("c@20"));
    queue.at(10, () -> ran.add("d@10"));
    queue.runUntil(100);
    assertThat(ran).containsExactly("a@10", "d@10", "b@20", "c@20");
    assertThat(queue.now()).isEqualTo(100);
  }

  @Test
  void actionsScheduledWhileRunningRunInTheSamePassWhenDue() {
    EventQueue queue = new EventQueue();
    List<Long> ran = new ArrayList<>();
    queue.at(
        5,
        () -> {
          ran.add(queue.now());
          queue.after(0, () -> ran.add(queue.now()));
          queue.after(10, () -> ran.add(queue.now()));
          queue.after(100, () -> ran.add(queue.now()));
        });
    queue.runUntil(50);
    assertThat(ran).containsExactly(5L, 5L, 15L);
    assertThat(queue.pending()).isEqualTo(1);
    assertThat(queue.executed()).isEqualTo(3);
  }

  @Test
  void thePastCannotBeScheduled() {
    EventQueue queue = new EventQueue();
    queue.runUntil(10);
    assertThatThrownBy(() -> queue.at(9, () -> {})).hasMessage("time: 9 (expected: >= now, 10)");
    assertThatThrownBy(() -> queue.after(-1, () -> {})).hasMessage("delay: -1 (expected: >= 0)");
    assertThatThrownBy(() -> queue.runUntil(5)).hasMessage("time: 5 (expected: >= now, 10)");
  }
}
