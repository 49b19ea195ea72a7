package dev.meld.chaos.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An event loop a test holds still with tasks that wait on latches, so that it can catch a teardown
 * between two of the loop's steps: a connection queued but not set up, a close run but not yet
 * followed by the select that frees the socket.
 */
final class HeldLoop implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final SingleThreadEventExecutor loop;
  private final List<CountDownLatch> holds = new CopyOnWriteArrayList<>();

  HeldLoop(EventExecutor loop) {
    this.loop = (SingleThreadEventExecutor) loop;
  }

  /** Queues a task that keeps the loop busy until it is released (at most 10 s). */
  void hold() {
    CountDownLatch hold = new CountDownLatch(1);
    holds.add(hold);
    loop.execute(
        () -> {
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** Releases the oldest hold still in place. */
  void releaseOne() {
    holds.remove(0).countDown();
  }

  /** Waits until {@code tasks} tasks are queued on the held loop. */
  void awaitQueued(int tasks, String what) {
    ProxyHarness.eventually(WAIT, what, () -> loop.pendingTasks() >= tasks);
  }

  /**
   * The result of {@code step}, running on another thread while the loop is held. A step that does
   * not wait for the loop gets 300 ms to finish, so that its result shows what it left behind; then
   * every hold is released and the step's result awaited.
   */
  <T> T outcome(CompletableFuture<T> step) throws Exception {
    try {
      return step.get(300, TimeUnit.MILLISECONDS);
    } catch (TimeoutException waitingForTheLoop) {
      close();
      return step.get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * What {@code observe} sees right after {@code teardown} returns, with the loop caught between
   * the teardown's tasks and the select after them: the loop is held, the teardown starts on
   * another thread, and once it has queued {@code tasks} tasks a second hold goes in behind them,
   * so that the loop runs them and stops there.
   */
  <T> T rightAfter(Runnable teardown, Supplier<T> observe, int tasks) throws Exception {
    hold();
    CompletableFuture<T> step =
        CompletableFuture.supplyAsync(
            () -> {
              teardown.run();
              return observe.get();
            });
    awaitQueued(tasks, tasks + " tasks of the teardown queued on the held loop");
    hold();
    releaseOne();
    return outcome(step);
  }

  @Override
  public void close() {
    holds.forEach(CountDownLatch::countDown);
    holds.clear();
  }
}
