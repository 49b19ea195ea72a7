package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Store format 2 (issue 16, pieces): a store of format 1, written before pieces existed, is refused
 * with a message that says what was found and what to do, and its directory is left exactly as it
 * was, so the earlier version still opens it.
 */
class StoreFormatTest {

  static {
    RocksDB.loadLibrary();
  }

  private static final List<String> FORMAT_1_FAMILIES =
      List.of("default", "records", "log", "cursors", "meta");

  private static final String BEFORE_PIECES =
      "written by a Meld before element-granular records; this version cannot read it. Start the"
          + " node on an empty --data-dir: it joins under a new incarnation and anti-entropy copies"
          + " the data back from its peers (or keep running the earlier version)";

  @TempDir Path temp;

  private Path store() {
    return temp.resolve("store");
  }

  /**
   * Writes {@code puts} (column family name to key to value) into a RocksDB database with exactly
   * the column families {@code families}, through the RocksDB API, as another version would.
   */
  private static void writeRaw(
      Path dir, List<String> families, Map<String, Map<String, byte[]>> puts)
      throws RocksDBException {
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : families) {
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cf));
      }
      try (RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
        try {
          for (var family : puts.entrySet()) {
            ColumnFamilyHandle handle = handles.get(families.indexOf(family.getKey()));
            for (var put : family.getValue().entrySet()) {
              db.put(handle, put.getKey().getBytes(StandardCharsets.US_ASCII), put.getValue());
            }
          }
        } finally {
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    }
  }

  private static List<String> families(Path dir) throws RocksDBException {
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, dir.toString()).stream()
          .map(name -> new String(name, StandardCharsets.UTF_8))
          .toList();
    }
  }

  /** Name to size and SHA-256 of every file in {@code dir}. */
  private static Map<String, String> fingerprint(Path dir)
      throws IOException, NoSuchAlgorithmException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        out.put(
            file.getFileName().toString(),
            Files.size(file) + " " + HexFormat.of().formatHex(digest));
      }
    }
    return out;
  }

  @Test
  void aFormatOneStoreIsRefusedTwiceAndItsDirectoryStaysExactlyAsItWas() throws Exception {
    writeRaw(
        store(),
        FORMAT_1_FAMILIES,
        Map.of(
            "default", Map.of("format", Keys.u64(1), "key-count", Keys.u64(1)),
            "records", Map.of("k", new byte[] {42})));
    Map<String, String> before = fingerprint(store());
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThatThrownBy(
              () -> RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS))
          .as("open %d", attempt)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "store format: 1 in "
                  + store()
                  + " (expected: 3): its column families are default, records, log, cursors,"
                  + " meta, without \"pieces\"; "
                  + BEFORE_PIECES);
      assertThat(fingerprint(store())).as("files after open %d", attempt).isEqualTo(before);
      assertThat(families(store())).isEqualTo(FORMAT_1_FAMILIES);
    }
  }

  @Test
  void aStoreWithThePiecesFamilyButFormatOneStoredIsRefusedAlike() throws Exception {
    try (RocksRecordStore created =
        RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS)) {
      created.commit(created.newBatch().putPiece(new byte[] {1}, new byte[] {2}, new byte[] {3}));
    }
    List<String> all = new ArrayList<>();
    for (Space space : Space.values()) {
      all.add(new String(space.columnFamilyName(), StandardCharsets.UTF_8));
    }
    assertThat(families(store())).containsExactlyInAnyOrderElementsOf(all);
    writeRaw(store(), all, Map.of("default", Map.of("format", Keys.u64(1))));
    assertThatThrownBy(
            () -> RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store format: 1 in " + store() + " (expected: 3): " + BEFORE_PIECES);
    writeRaw(store(), all, Map.of("default", Map.of("format", Keys.u64(2))));
    try (RocksRecordStore reopened =
        RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS)) {
      assertThat(reopened.piece(new byte[] {1}, new byte[] {2})).isPresent();
    }
  }

  private static MemoryImage imageOfFormat(long format) {
    EnumMap<Space, TreeMap<byte[], byte[]>> contents = new EnumMap<>(Space.class);
    TreeMap<byte[], byte[]> sys = new TreeMap<>(MemoryEngine.ORDER);
    sys.put(Keys.FORMAT, Keys.u64(format));
    contents.put(Space.SYS, sys);
    return MemoryImage.of(contents);
  }

  @Test
  void aMemoryImageOfAnotherFormatIsRefusedAndAFreshStoreIsFormatThree() {
    assertThatThrownBy(
            () -> MemoryRecordStore.open(imageOfFormat(1), TestHashes.MIXED, StoreLimits.DEFAULTS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store format: 1 in a memory image (expected: 3): " + BEFORE_PIECES);
    assertThatThrownBy(
            () -> MemoryRecordStore.open(imageOfFormat(4), TestHashes.MIXED, StoreLimits.DEFAULTS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "store format: 4 in a memory image (expected: 3): written by a later Meld; this"
                + " version cannot read it. Run that version (or start the node on an empty"
                + " --data-dir: it joins under a new incarnation and anti-entropy copies the data"
                + " back from its peers)");
    MemoryRecordStore fresh = MemoryRecordStore.create(TestHashes.MIXED);
    byte[] format = fresh.image().contents().get(Space.SYS).get(Keys.FORMAT);
    assertThat(Keys.u64(format)).isEqualTo(3);
  }

  /**
   * Format 3 (counters kept as their slots) upgrades a format-2 store by writing its number: the
   * records stay as they are (a format-3 node reads a whole counter as it is), and from then on a
   * format-2 Meld refuses the store instead of misreading a counter header.
   */
  @Test
  void aFormatTwoStoreIsUpgradedToThreeOnOpenWithItsRecordsAsTheyWere() throws Exception {
    try (RocksRecordStore created =
        RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS)) {
      created.commit(created.newBatch().put(new byte[] {1}, new byte[] {2, 3}));
    }
    List<String> all = new ArrayList<>();
    for (Space space : Space.values()) {
      all.add(new String(space.columnFamilyName(), StandardCharsets.UTF_8));
    }
    writeRaw(store(), all, Map.of("default", Map.of("format", Keys.u64(2))));
    try (RocksRecordStore upgraded =
        RocksRecordStore.open(store(), TestHashes.MIXED, RocksStoreOptions.DEFAULTS)) {
      assertThat(upgraded.get(new byte[] {1}).orElseThrow()).isEqualTo(new byte[] {2, 3});
    }
    try (RocksDB db = RocksDB.openReadOnly(store().toString())) {
      assertThat(Keys.u64(db.get("format".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(3);
    }
  }
}
