package dev.meld.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.node.identity.Identity.Reason;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Props;
import dev.meld.node.store.StoreLimits;
import dev.meld.node.store.TestHashes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property: whatever happens to a node (clean restarts, crashes, wipes, restores from any earlier
 * backup) and whatever its clock does (steps forward, jumps back an hour), it never takes an
 * incarnation it had before; a clean restart keeps the incarnation and any other restart changes
 * it.
 */
class IncarnationUniquenessPropertyTest {

  /** What happens before the next start, and how the clock moves (ms, may be negative). */
  record Event(String kind, int backup, long clockStep) {}

  @Test
  void aNodeNeverReusesAnIncarnation() {
    Props.check(
        getClass().getSimpleName() + "#aNodeNeverReusesAnIncarnation",
        qt ->
            qt.forAll(lists().of(event()).ofSizeBetween(1, 30), Generate.longRange(0, 1L << 40))
                .checkAssert(this::live));
  }

  private static Gen<Event> event() {
    Gen<String> kinds =
        Generate.pick(List.of("clean", "clean", "crash", "crash", "restore", "wipe"));
    Gen<Long> steps =
        Generate.frequency(
            org.quicktheories.api.Pair.of(8, Generate.longRange(0, 5_000)),
            org.quicktheories.api.Pair.of(2, Generate.longRange(-3_600_000, 0)));
    return kinds.zip(Generate.range(0, 1000), steps, Event::new);
  }

  private void live(List<Event> events, long seed) {
    long[] now = {1_700_000_000_000L};
    SplittableRandom random = new SplittableRandom(seed);
    List<MemoryImage> backups = new ArrayList<>();
    Set<Long> taken = new HashSet<>();
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    Identity current = Identity.open(store, "n", () -> Instant.ofEpochMilli(now[0]), random);
    taken.add(current.incarnation());
    for (Event event : events) {
      now[0] += event.clockStep();
      MemoryImage disk;
      switch (event.kind()) {
        case "clean" -> {
          store.close();
          disk = store.image();
          backups.add(disk);
        }
        case "crash" -> disk = store.image();
        case "restore" -> {
          store.close();
          disk = backups.isEmpty() ? store.image() : backups.get(event.backup() % backups.size());
          disk = disk.markedRestored();
        }
        default -> disk = MemoryImage.empty();
      }
      store = MemoryRecordStore.open(disk, TestHashes.MIXED, StoreLimits.DEFAULTS);
      Identity next = Identity.open(store, "n", () -> Instant.ofEpochMilli(now[0]), random);
      if (event.kind().equals("clean")) {
        assertThat(next.reason()).isEqualTo(Reason.KEPT);
        assertThat(next.incarnation()).isEqualTo(current.incarnation());
      } else {
        assertThat(next.reason().isNew()).isTrue();
        assertThat(taken.add(next.incarnation()))
            .as("incarnation %016x is new (%s)", next.incarnation(), event)
            .isTrue();
      }
      current = next;
    }
  }
}
