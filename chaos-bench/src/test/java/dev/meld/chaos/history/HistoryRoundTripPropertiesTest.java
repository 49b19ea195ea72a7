package dev.meld.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The law of the JSONL format: what the recorder writes, the reader reads back unchanged. */
class HistoryRoundTripPropertiesTest {

  private static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 2 ? 6 : 8)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextLong();
      case 3:
        return random.nextInt(1000) / 8.0;
      case 4:
        return "s" + random.nextInt(100) + (random.nextBoolean() ? "\"\\\n\u00e9" : "");
      case 5:
        return (long) random.nextInt(10);
      case 6:
        {
          List<Object> list = new ArrayList<>();
          for (int i = random.nextInt(4); i > 0; i--) {
            list.add(randomValue(random, depth + 1));
          }
          return list;
        }
      default:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          for (int i = random.nextInt(4); i > 0; i--) {
            map.put("k" + random.nextInt(10), randomValue(random, depth + 1));
          }
          return map;
        }
    }
  }

  /** Law: read(record(ops)) equals the recorded history, values, extras and all. */
  @Test
  void recordedHistoriesReadBackEqual() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(0, 40))
                .checkAssert(
                    (seed, count) -> {
                      Random random = new Random(seed);
                      AtomicLong clock = new AtomicLong();
                      StringWriter out = new StringWriter();
                      HistoryRecorder rec = new HistoryRecorder(out, clock::get);
                      Map<Long, Op> open = new LinkedHashMap<>();
                      for (int i = 0; i < count; i++) {
                        clock.addAndGet(random.nextInt(1000));
                        long p = random.nextInt(3);
                        Map<String, Object> extras =
                            random.nextInt(4) == 0
                                ? java.util.Collections.singletonMap(
                                    "error", randomValue(random, 2))
                                : Map.of();
                        if (random.nextInt(5) == 0) {
                          rec.nemesis("fault-" + random.nextInt(3), randomValue(random, 0));
                        } else if (open.containsKey(p)) {
                          OpType t = OpType.values()[1 + random.nextInt(3)];
                          rec.complete(open.remove(p), t, randomValue(random, 0), extras);
                        } else {
                          open.put(
                              p,
                              rec.invoke(
                                  p,
                                  random.nextBoolean() ? "add" : "read",
                                  randomValue(random, 0)));
                        }
                      }
                      try {
                        History back =
                            new HistoryReader().read(new StringReader(out.toString()), "mem");
                        assertThat(back).isEqualTo(rec.history());
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }));
  }
}
