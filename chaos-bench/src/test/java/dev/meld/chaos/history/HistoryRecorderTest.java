package dev.meld.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {

  @TempDir Path dir;

  @Test
  void assignsIndicesAndTimesFromTheStartAndWritesLines() throws IOException {
    AtomicLong clock = new AtomicLong(1_000);
    StringWriter out = new StringWriter();
    try (HistoryRecorder rec = new HistoryRecorder(out, clock::get)) {
      clock.set(1_500);
      Op inv = rec.invoke(0, "add", 3);
      clock.set(2_000);
      rec.complete(inv, OpType.OK, 3);
      rec.nemesis("start-partition", List.of("n1"));
      assertThat(rec.history().ops()).extracting(Op::index).containsExactly(0L, 1L, 2L);
      assertThat(rec.history().ops()).extracting(Op::time).containsExactly(500L, 1000L, 1000L);
    }
    assertThat(out.toString())
        .isEqualTo(
            "{\"index\":0,\"time\":500,\"type\":\"invoke\",\"process\":0,\"f\":\"add\",\"value\":3}\n"
                + "{\"index\":1,\"time\":1000,\"type\":\"ok\",\"process\":0,\"f\":\"add\",\"value\":3}\n"
                + "{\"index\":2,\"time\":1000,\"type\":\"info\",\"process\":\"nemesis\","
                + "\"f\":\"start-partition\",\"value\":[\"n1\"]}\n");
  }

  @Test
  void timeNeverRunsBackwardsEvenIfTheClockDoes() {
    AtomicLong clock = new AtomicLong(100);
    HistoryRecorder rec = new HistoryRecorder(new StringWriter(), clock::get);
    clock.set(200);
    rec.nemesis("a", null);
    clock.set(150);
    assertThat(rec.nemesis("b", null).time()).isEqualTo(100);
  }

  @Test
  void everyLineIsOnDiskBeforeTheCallReturns() throws IOException {
    Path file = dir.resolve("h.jsonl");
    HistoryRecorder rec = HistoryRecorder.create(file);
    Op inv = rec.invoke(7, "read", null);
    // Not closed: what a crashed run leaves behind.
    History partial = HistoryReader.readFile(file);
    assertThat(partial.ops()).containsExactly(inv);
    rec.close();
  }

  @Test
  void badOpsAreRejectedAndRecordNothing() {
    StringWriter out = new StringWriter();
    HistoryRecorder rec = new HistoryRecorder(out, System::nanoTime);
    Op inv = rec.invoke(0, "add", 1);
    assertThatThrownBy(() -> rec.invoke(0, "add", 2))
        .hasMessage("process 0: invoke while op 0 is open (expected: one at a time)");
    assertThatThrownBy(() -> rec.complete(inv, OpType.INVOKE, 1))
        .hasMessage("type: invoke (expected: ok, fail or info)");
    assertThatThrownBy(() -> rec.invoke(1, "add", new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rec.record(OpType.OK, 5L, "read", 0, java.util.Map.of()))
        .hasMessage("process 5: completion with no open invocation (expected: an invoke first)");
    rec.complete(inv, OpType.INFO, null);
    assertThatThrownBy(() -> rec.complete(inv, OpType.OK, 1))
        .hasMessage("invocation: op 0 (expected: the open invocation of process 0)");
    assertThat(rec.history().size()).isEqualTo(2);
    assertThat(out.toString().lines().count()).isEqualTo(2);
  }

  @Test
  void closedRecorderRefusesOps() throws IOException {
    HistoryRecorder rec = new HistoryRecorder(new StringWriter(), System::nanoTime);
    rec.close();
    assertThatThrownBy(() -> rec.nemesis("x", null)).isInstanceOf(IllegalStateException.class);
  }

  /** Eight threads, 500 operations each: indices dense, times ordered, every pair intact. */
  @Test
  void concurrentClientsProduceAWellFormedHistory() throws Exception {
    Path file = dir.resolve("concurrent.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (HistoryRecorder rec = HistoryRecorder.create(file)) {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < 8; p++) {
        long process = p;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    Op inv = rec.invoke(process, "add", i);
                    rec.complete(inv, i % 7 == 0 ? OpType.INFO : OpType.OK, i);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    History read = HistoryReader.readFile(file);
    assertThat(read.size()).isEqualTo(8000);
    assertThat(Files.readAllLines(file)).hasSize(8000);
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i).index()).isEqualTo(i);
    }
  }
}
