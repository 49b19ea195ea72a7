package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.node.store.Props;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-peer queue: first in, first out, and never over its limit in bytes. */
class OutboundQueueTest {

  /**
   * Property: against a plain deque model, any sequence of offers and polls gives the same answers,
   * the same order, a byte count equal to the charges held, and never more than the limit.
   */
  @Test
  void behavesLikeABoundedDequeAndNeverExceedsItsLimit() {
    Props.check(
        getClass().getSimpleName() + "#behavesLikeABoundedDequeAndNeverExceedsItsLimit",
        qt ->
            qt.forAll(
                    integers().between(200, 5_000),
                    lists().of(integers().between(-1, 1_500)).ofSizeBetween(0, 200))
                .checkAssert(
                    (limit, ops) -> {
                      OutboundQueue queue = new OutboundQueue(limit);
                      ArrayDeque<byte[]> model = new ArrayDeque<>();
                      long held = 0;
                      for (int op : ops) {
                        if (op < 0) {
                          byte[] expected = model.poll();
                          assertThat(queue.poll()).isSameAs(expected);
                          held -= expected == null ? 0 : OutboundQueue.charge(expected.length);
                        } else {
                          byte[] payload = new byte[op];
                          boolean fits = held + OutboundQueue.charge(op) <= limit;
                          assertThat(queue.offer(payload)).isEqualTo(fits);
                          if (fits) {
                            model.add(payload);
                            held += OutboundQueue.charge(op);
                          }
                        }
                        assertThat(queue.bytes()).isEqualTo(held).isLessThanOrEqualTo(limit);
                        assertThat(queue.count()).isEqualTo(model.size());
                      }
                    }));
  }

  @Test
  void concurrentSendersNeverTakeItPastItsLimit() throws InterruptedException {
    long limit = 100 * OutboundQueue.charge(100);
    OutboundQueue queue = new OutboundQueue(limit);
    AtomicLong accepted = new AtomicLong();
    AtomicLong largestSeen = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 10_000; i++) {
                  if (queue.offer(new byte[100])) {
                    accepted.incrementAndGet();
                  }
                  if (i % 3 == 0) {
                    queue.poll();
                  }
                  largestSeen.accumulateAndGet(queue.bytes(), Math::max);
                }
              });
      senders.add(sender);
      sender.start();
    }
    start.countDown();
    for (Thread s : senders) {
      s.join(10_000);
    }
    assertThat(largestSeen.get()).isLessThanOrEqualTo(limit);
    assertThat(queue.bytes()).isEqualTo(queue.count() * OutboundQueue.charge(100));
    queue.clear();
    assertThat(queue.bytes()).isZero();
    assertThat(queue.count()).isZero();
    assertThat(accepted.get()).isPositive();
  }
}
