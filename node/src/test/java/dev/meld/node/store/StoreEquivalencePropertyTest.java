package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property: any sequence of random batches and restarts, applied to a {@link MemoryRecordStore} and
 * a {@link RocksRecordStore}, leaves both with the same observable state (scans of several hash
 * ranges, key count, pieces of a few records, log bounds and contents, cursors, meta) and the same
 * outcome for every commit, including the exception for a batch that breaks a rule. Also checks, on
 * both, that the key count equals the number of records scanned and that every log is gap-free.
 */
class StoreEquivalencePropertyTest {

  /* Opening a fresh RocksDB costs milliseconds, too much for a thousand examples. So one RocksDB
   * store serves the whole run, and each example starts it observably empty: the example's log
   * origins are its own (incarnations derived from the example number, and logs cannot be
   * emptied), and the example deletes its records, cursors and meta values when it ends. The
   * memory store is fresh for every example. Restarts restart the shared store for real; they
   * cost tens of milliseconds each (fsync), so they are rare steps and the store lives in /dev/shm
   * when the machine has it. */

  private static final HexFormat HEX = HexFormat.of();
  private static final String[] META = {"hlc", "members", "x"};

  /**
   * The records whose pieces are written and observed: hash 0 twice ("" and 00), hash 1 three times
   * (01, 0100, 0180, so that a key is a prefix of others) and one more hash.
   */
  private static final byte[][] PIECE_RECORDS = {
    {}, {0}, {1}, {1, 0}, {1, (byte) 0x80}, {(byte) 0xFF}
  };

  private static final long[][] RANGES = {
    {0, -1}, {0, 0}, {1, 0x7FFF_FFFF_FFFF_FFFFL}, {0x8000_0000_0000_0000L, -1}, {42, 42}, {2, 41}
  };

  @TempDir Path temp;
  private Path dir;
  private RecordStore rocks;
  private long example;

  /** One generated operation; numbers are resolved against the state when the batch is built. */
  record OpSpec(String kind, String key, String value, int origin, int delta) {}

  /** A batch of operations, or (when {@code ops} is null) a restart: clean or crash. */
  record Step(List<OpSpec> ops, boolean crash) {}

  @AfterEach
  void closeRocks() {
    if (rocks != null) {
      rocks.close();
    }
    if (dir != null && !dir.startsWith(temp)) {
      TestDirs.deleteTree(dir);
    }
  }

  @Test
  void randomBatchesAppliedToBothStoresGiveTheSameObservableState() throws IOException {
    Path shm = Path.of("/dev/shm");
    dir =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "meld-store-property-")
            : temp;
    rocks = openRocks();
    Props.check(
        getClass().getSimpleName() + "#randomBatchesAppliedToBothStoresGiveTheSameObservableState",
        qt -> qt.forAll(lists().of(step()).ofSizeBetween(1, 10)).checkAssert(this::runBoth));
  }

  private static Gen<Step> step() {
    Gen<Step> batch = lists().of(op()).ofSizeBetween(0, 6).map(ops -> new Step(ops, false));
    Gen<Step> restart = Generate.booleans().map(crash -> new Step(null, crash));
    return Generate.frequency(Pair.of(29, batch), Pair.of(1, restart));
  }

  private static Gen<OpSpec> op() {
    Gen<String> keys =
        Generate.byteArrays(
                Generate.range(0, 3),
                Generate.pick(
                    List.of(
                        (byte) 0,
                        (byte) 1,
                        (byte) 2,
                        (byte) 3,
                        (byte) 4,
                        (byte) 0x7F,
                        (byte) 0x80,
                        (byte) 0xFF)))
            .map((byte[] b) -> HEX.formatHex(b));
    Gen<String> values =
        Generate.byteArrays(Generate.range(0, 4), Generate.bytes((byte) -128, (byte) 127, (byte) 0))
            .map((byte[] b) -> HEX.formatHex(b));
    Gen<String> kinds =
        Generate.pick(
            List.of(
                "put",
                "put",
                "put",
                "delete",
                "putPiece",
                "putPiece",
                "putPiece",
                "deletePiece",
                "deletePieces",
                "append",
                "append",
                "trim",
                "cursor",
                "dropCursor",
                "meta",
                "dropMeta"));
    return kinds.zip(keys, values, Generate.range(0, 2), Generate.range(-2, 3), OpSpec::new);
  }

  private void runBoth(List<Step> steps) {
    long n = example++;
    Origin[] origins = {
      new Origin("a", 2 * n + 1), new Origin("a", 2 * n + 2), new Origin("b", Long.MIN_VALUE + n)
    };
    RecordStore memory = MemoryRecordStore.create(TestHashes.FIRST_BYTE);
    long firstRocksSession = rocks.session();
    try {
      assertThat(observe(rocks, origins))
          .as("shared store starts the example empty")
          .containsExactlyElementsOf(observe(memory, origins));
      for (Step step : steps) {
        if (step.ops() == null) {
          memory = restartMemory((MemoryRecordStore) memory, step.crash());
          rocks = restartRocks(rocks, step.crash());
          assertThat(rocks.priorShutdown()).isEqualTo(memory.priorShutdown());
          assertThat(rocks.session() - firstRocksSession).isEqualTo(memory.session() - 1);
        } else {
          List<Object[]> resolved = resolve(step.ops(), memory, origins);
          assertThat(commit(rocks, resolved, origins)).isEqualTo(commit(memory, resolved, origins));
        }
        assertThat(observe(rocks, origins)).containsExactlyElementsOf(observe(memory, origins));
      }
    } finally {
      empty(rocks);
    }
  }

  private RecordStore openRocks() {
    return RocksRecordStore.open(dir, TestHashes.FIRST_BYTE, RocksStoreOptions.DEFAULTS);
  }

  private static RecordStore restartMemory(MemoryRecordStore store, boolean crash) {
    if (!crash) {
      store.close();
    }
    return MemoryRecordStore.open(store.image(), TestHashes.FIRST_BYTE, StoreLimits.DEFAULTS);
  }

  private RecordStore restartRocks(RecordStore store, boolean crash) {
    if (crash) {
      ((EngineRecordStore) store).abandon();
    } else {
      store.close();
    }
    return openRocks();
  }

  /** Deletes every record, piece, cursor and meta value, so the next example starts empty. */
  private static void empty(RecordStore store) {
    StoreBatch batch = store.newBatch();
    for (byte[] key : PIECE_RECORDS) {
      batch.deletePieces(key);
    }
    store.scan(0, -1, (hash, key, value) -> batch.delete(key) != null);
    store.cursors().keySet().forEach(batch::deleteCursor);
    for (String name : META) {
      batch.deleteMeta(name);
    }
    store.commit(batch);
  }

  /**
   * Turns specs into concrete operations (kind, key, value, origin, number, piece). Log sequence
   * numbers, trims and cursors are chosen near the current head or cursor (tracked through the
   * batch) so that most are valid and some break a rule. Piece operations take their record from
   * {@link #PIECE_RECORDS} (by {@code delta}) and their piece key from the spec's key, which must
   * not be empty.
   */
  private static List<Object[]> resolve(List<OpSpec> ops, RecordStore reference, Origin[] origins) {
    long[] heads = new long[origins.length];
    long[] cursors = new long[origins.length];
    for (int i = 0; i < origins.length; i++) {
      heads[i] = reference.logBounds(origins[i]).head();
      cursors[i] = reference.cursor(origins[i]);
    }
    List<Object[]> out = new ArrayList<>();
    for (OpSpec op : ops) {
      int o = op.origin();
      long number = 0;
      byte[] key = HEX.parseHex(op.key());
      byte[] piece = key.length == 0 ? new byte[] {0} : key;
      switch (op.kind()) {
        case "putPiece":
        case "deletePiece":
        case "deletePieces":
          key = PIECE_RECORDS[op.delta() + 2];
          break;
        case "append":
          number = heads[o] + 1 + (op.delta() == 3 ? 1 : 0); // one in six is a gap
          heads[o] = Math.max(heads[o], number);
          break;
        case "trim":
          number = Math.max(1, heads[o] - 1 + op.delta()); // may exceed the head
          break;
        case "cursor":
          number = Math.max(1, cursors[o] + op.delta()); // may move back
          cursors[o] = Math.max(cursors[o], number);
          break;
        default:
          break;
      }
      out.add(new Object[] {op.kind(), key, HEX.parseHex(op.value()), o, number, piece});
    }
    return out;
  }

  /** Commits the resolved operations; returns "wrote", "unchanged" or the exception. */
  private static String commit(RecordStore store, List<Object[]> ops, Origin[] origins) {
    StoreBatch batch = store.newBatch();
    for (Object[] op : ops) {
      byte[] key = (byte[]) op[1];
      byte[] value = (byte[]) op[2];
      Origin origin = origins[(int) op[3]];
      long number = (long) op[4];
      byte[] piece = (byte[]) op[5];
      switch ((String) op[0]) {
        case "put" -> batch.put(key, value);
        case "delete" -> batch.delete(key);
        case "putPiece" -> batch.putPiece(key, piece, value);
        case "deletePiece" -> batch.deletePiece(key, piece);
        case "deletePieces" -> batch.deletePieces(key);
        case "append" -> batch.appendLog(origin, number, value);
        case "trim" -> batch.trimLog(origin, number);
        case "cursor" -> batch.setCursor(origin, number);
        case "dropCursor" -> batch.deleteCursor(origin);
        case "meta" -> batch.putMeta(META[(int) op[3]], value);
        case "dropMeta" -> batch.deleteMeta(META[(int) op[3]]);
        default -> throw new AssertionError(op[0]);
      }
    }
    try {
      return store.commit(batch) ? "wrote" : "unchanged";
    } catch (IllegalArgumentException e) {
      return e.toString();
    }
  }

  /** Everything a user of the store can observe, one line per fact. */
  private static List<String> observe(RecordStore store, Origin[] origins) {
    List<String> lines = new ArrayList<>();
    for (long[] range : RANGES) {
      lines.add(
          String.format(
              "scan %x..%x: %s",
              range[0], range[1], StoreFixture.scanned(store, range[0], range[1])));
    }
    long scanned = StoreFixture.keys(store).size();
    assertThat(store.keyCount()).as("keyCount vs records scanned").isEqualTo(scanned);
    lines.add("keyCount " + store.keyCount());
    for (byte[] key : PIECE_RECORDS) {
      lines.add("pieces of " + HEX.formatHex(key) + ": " + PieceContract.pieces(store, key));
    }
    // Bounds and point reads on two records with the same hash, one key a prefix of the other.
    for (byte[] key : new byte[][] {{1}, {1, 0}}) {
      String name = "pieces of " + HEX.formatHex(key);
      byte[] from = {0x7F};
      byte[] to = {(byte) 0x80, 1};
      lines.add(name + " in [7f, 8001): " + PieceContract.pieces(store, key, from, to));
      lines.add(name + ", 80: " + PieceContract.piece(store, key, new byte[] {(byte) 0x80}));
    }
    for (Origin origin : origins) {
      LogBounds bounds = store.logBounds(origin);
      List<LogEntry> log = store.readLog(origin, bounds.trimmedThrough() + 1, 1000, 1 << 20);
      for (int i = 0; i < log.size(); i++) {
        assertThat(log.get(i).seq()).as("gap-free log").isEqualTo(bounds.trimmedThrough() + 1 + i);
      }
      assertThat((long) log.size()).as("retained entries").isEqualTo(bounds.retained());
      lines.add(
          origin
              + " "
              + bounds
              + " "
              + log.stream().map(e -> e.seq() + ":" + HEX.formatHex(e.payload())).toList());
      lines.add(origin + " limited " + store.readLog(origin, bounds.trimmedThrough() + 1, 2, 3));
      lines.add(origin + " cursor " + store.cursor(origin));
    }
    List<Origin> mine = List.of(origins);
    lines.add("origins " + store.logOrigins().stream().filter(mine::contains).toList());
    lines.add("cursors " + store.cursors());
    for (String name : META) {
      lines.add("meta " + name + " " + store.meta(name).map(HEX::formatHex));
    }
    return lines;
  }
}
