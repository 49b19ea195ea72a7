package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.node.store.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-memory index of the retained log agrees with a plain list of entries. */
class LogIndexPropertyTest {

  private record Entry(long seq, long time, long bytes) {}

  /**
   * Law: after any sequence of adds and drops, the index answers size, bytes, bytes after any
   * sequence number, commit times and the byte-budget trim point exactly as a list would.
   */
  @Test
  void agreesWithAListUnderAddsAndDrops() {
    Props.check(
        "LogIndexPropertyTest#agreesWithAListUnderAddsAndDrops",
        qt -> qt.forAll(longs().all()).checkAssert(LogIndexPropertyTest::run));
  }

  private static void run(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long first = 1 + r.nextInt(100);
    LogIndex index = new LogIndex(first);
    List<Entry> model = new ArrayList<>();
    long next = first;
    for (int step = 0, steps = r.nextInt(300); step < steps; step++) {
      if (r.nextInt(3) > 0) {
        long bytes = r.nextInt(50);
        index.add(step, bytes);
        model.add(new Entry(next++, step, bytes));
      } else {
        long through = next - 1 - r.nextInt(5);
        index.dropThrough(through);
        model.removeIf(e -> e.seq() <= through);
      }
      check(index, model, next, r);
    }
  }

  private static void check(LogIndex index, List<Entry> model, long next, SplittableRandom r) {
    assertThat(index.size()).isEqualTo(model.size());
    assertThat(index.bytes()).isEqualTo(model.stream().mapToLong(Entry::bytes).sum());
    long probe = next - 1 - r.nextInt(20);
    assertThat(index.bytesAfter(probe))
        .as("bytes after %d", probe)
        .isEqualTo(model.stream().filter(e -> e.seq() > probe).mapToLong(Entry::bytes).sum());
    assertThat(index.commitTime(probe))
        .isEqualTo(
            model.stream()
                .filter(e -> e.seq() == probe)
                .mapToLong(Entry::time)
                .findFirst()
                .orElse(-1));
    long budget = r.nextInt(200);
    long point = index.trimPointForBytes(budget);
    long kept = model.stream().filter(e -> e.seq() > point).mapToLong(Entry::bytes).sum();
    assertThat(kept).as("bytes kept under a budget of %d", budget).isLessThanOrEqualTo(budget);
    // the smallest such point: keeping one more entry would exceed the budget
    model.stream()
        .filter(e -> e.seq() == point)
        .findFirst()
        .ifPresent(e -> assertThat(kept + e.bytes()).isGreaterThan(budget));
  }
}
