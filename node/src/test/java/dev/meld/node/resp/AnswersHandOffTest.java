package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.GroupWakeups;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replica answers a group commit's commands at once; a connection gets them back on its event
 * loop in one task, not one task (and one wake-up of the loop) per answer; and the connections of
 * one loop get a group's answers through one wake-up of the loop, not one per connection.
 */
class AnswersHandOffTest {

  /** An event loop that only queues what it is given, and counts it. */
  private static final class CountingLoop extends ScheduledThreadPoolExecutor {
    final Queue<Runnable> tasks = new ArrayDeque<>();
    int executed;

    CountingLoop() {
      super(1);
    }

    @Override
    public void execute(Runnable task) {
      executed++;
      tasks.add(task);
    }

    void runTasks() {
      for (Runnable r; (r = tasks.poll()) != null; ) {
        r.run();
      }
    }
  }

  private final FakeGateway gateway = new FakeGateway();
  private final CountingLoop loop = new CountingLoop();
  private final Client client =
      new Client(
          new ServerContext(RespConfig.builder().build(), gateway, RespMetrics.NOOP),
          "127.0.0.1:1",
          "127.0.0.1",
          "127.0.0.1:2",
          loop);

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  @Test
  void aGroupOfAnswersComesBackInOneTaskOfTheEventLoop() {
    gateway.hold();
    List<CompletableFuture<Reply>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(client.execute(new Command.Increment(Bytes.utf8("n"), 1)));
    }
    int[] afterAnswers = {0};
    client.afterAnswers(() -> afterAnswers[0]++);

    for (int i = 0; i < 16; i++) {
      gateway.complete(i); // as the replica thread answers a group commit
    }

    assertThat(loop.executed).as("tasks handed to the event loop").isEqualTo(1);
    assertThat(answers).noneMatch(CompletableFuture::isDone); // only on the loop
    loop.runTasks();
    assertThat(answers).allMatch(CompletableFuture::isDone);
    assertThat(((Reply.Int) answers.get(15).join()).value()).isEqualTo(16);
    assertThat(afterAnswers[0]).isEqualTo(1);
  }

  /** A loop that was idle: it runs what it is given at once, emptying the inbox. */
  private static final class EagerLoop extends ScheduledThreadPoolExecutor {
    int executed;

    EagerLoop() {
      super(1);
    }

    @Override
    public void execute(Runnable task) {
      executed++;
      task.run();
    }
  }

  private List<CompletableFuture<Reply>> oneCommandFromEachOfThreeConnections(EagerLoop eager) {
    ServerContext server = new ServerContext(RespConfig.builder().build(), gateway, RespMetrics.NOOP);
    gateway.hold();
    List<CompletableFuture<Reply>> answers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      Client each = new Client(server, "127.0.0.1:" + (10 + c), "127.0.0.1", "127.0.0.1:2", eager);
      answers.add(each.execute(new Command.Increment(Bytes.utf8("n" + c), 1)));
    }
    return answers;
  }

  @Test
  void aGroupsAnswersForTheConnectionsOfOneLoopWakeItOnce() {
    EagerLoop eager = new EagerLoop();
    try {
      List<CompletableFuture<Reply>> answers = oneCommandFromEachOfThreeConnections(eager);

      GroupWakeups.hold( // as the replica thread completes a group
          () -> {
            for (int i = 0; i < 3; i++) {
              gateway.complete(i);
            }
            assertThat(eager.executed).as("wake-ups before the group is complete").isZero();
          });

      assertThat(eager.executed).as("wake-ups of the loop").isEqualTo(1);
      assertThat(answers).allMatch(CompletableFuture::isDone);
    } finally {
      eager.shutdownNow();
    }
  }

  @Test
  void answersCompletedOutsideAGroupWakeTheLoopEachTime() {
    EagerLoop eager = new EagerLoop();
    try {
      List<CompletableFuture<Reply>> answers = oneCommandFromEachOfThreeConnections(eager);

      for (int i = 0; i < 3; i++) {
        gateway.complete(i);
      }

      assertThat(eager.executed).isEqualTo(3); // what the hold saves
      assertThat(answers).allMatch(CompletableFuture::isDone);
    } finally {
      eager.shutdownNow();
    }
  }

  @Test
  void heldWakeUpsAreMadeEvenIfTheCompletionsThrow() {
    int[] woken = {0};
    try {
      GroupWakeups.hold(
          () -> {
            GroupWakeups.wake(() -> woken[0]++);
            throw new IllegalStateException("a completion failed");
          });
    } catch (IllegalStateException expected) {
      // the hold passes it on
    }
    assertThat(woken[0]).isEqualTo(1);
    GroupWakeups.wake(() -> woken[0]++); // and holds nothing afterwards
    assertThat(woken[0]).isEqualTo(2);
  }

  @Test
  void anAnswerArrivingAfterTheTaskRanGetsATaskOfItsOwn() {
    gateway.hold();
    CompletableFuture<Reply> first = client.execute(new Command.Increment(Bytes.utf8("n"), 1));
    CompletableFuture<Reply> second = client.execute(new Command.Increment(Bytes.utf8("n"), 1));
    gateway.complete(0);
    loop.runTasks();
    assertThat(first).isDone();

    gateway.complete(1);

    assertThat(loop.executed).isEqualTo(2);
    loop.runTasks();
    assertThat(((Reply.Int) second.join()).value()).isEqualTo(2);
  }
}
