package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
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
 * loop in one task, not one task (and one wake-up of the loop) per answer.
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
