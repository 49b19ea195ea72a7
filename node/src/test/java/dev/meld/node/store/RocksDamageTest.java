package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.identity.Identity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to a store directory (issue 15): a lost {@code CURRENT}, a WAL cut after a kill, a torn
 * WAL tail, a flipped byte in a table file. The store never creates a database over old files,
 * never leaves files behind from a failed open, refuses to start when acknowledged writes are gone
 * unless the loss is accepted, and then takes a new incarnation.
 */
class RocksDamageTest {

  @TempDir Path temp;

  private Path store() {
    return temp.resolve("store");
  }

  private RocksRecordStore open(RocksStoreOptions options) {
    return RocksRecordStore.open(store(), TestHashes.MIXED, options);
  }

  /** Name to size of every entry in the store directory. */
  private Map<String, Long> listing() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(store())) {
      for (Path p : files.toList()) {
        out.put(p.getFileName().toString(), Files.size(p));
      }
    }
    return out;
  }

  private static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    new SplittableRandom(i).nextBytes(v);
    return v;
  }

  /** Writes {@code count} records of {@code size} bytes; with a 1 MiB buffer, several SSTs. */
  private static void fill(RecordStore store, int count, int size) {
    for (int i = 0; i < count; i++) {
      store.commit(store.newBatch().put(key(i), value(i, size)));
    }
  }

  private static final RocksStoreOptions SMALL_BUFFER =
      RocksStoreOptions.DEFAULTS.withWriteBufferBytes(RocksStoreOptions.MIN_WRITE_BUFFER_BYTES);

  @Test
  void deletedCurrentStartedTwiceFailsBothTimesAndTouchesNoFileAndTheDataSurvives()
      throws IOException {
    try (RocksRecordStore s = open(SMALL_BUFFER)) {
      fill(s, 400, 8 * 1024); // 3.2 MiB through a 1 MiB buffer: table files on disk
    }
    Path current = store().resolve("CURRENT");
    byte[] saved = Files.readAllBytes(current);
    Files.delete(current);
    Map<String, Long> before = listing();
    assertThat(before.keySet()).anyMatch(n -> n.endsWith(".sst"));

    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThatThrownBy(() -> open(SMALL_BUFFER))
          .as("start %d", attempt)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(store().toString())
          .hasMessageContaining("no CURRENT")
          .hasMessageContaining("refusing to create a new database");
      assertThat(listing()).as("listing after start %d", attempt).isEqualTo(before);
    }

    Files.write(current, saved);
    try (RocksRecordStore s = open(SMALL_BUFFER)) {
      assertThat(s.keyCount()).isEqualTo(400);
      for (int i = 0; i < 400; i += 37) {
        assertThat(s.get(key(i))).hasValue(value(i, 8 * 1024));
      }
      assertThat(s.recovery().outcome()).isEqualTo(StoreRecovery.Outcome.INTACT);
    }
  }

  @Test
  void anAbsentDirectoryOrOneWithOnlyForeignFilesGetsANewDatabase() throws IOException {
    try (RocksRecordStore s = open(RocksStoreOptions.DEFAULTS)) {
      assertThat(s.priorShutdown()).isEqualTo(PriorShutdown.FRESH);
    }
    Path other = temp.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "an operator's file, not a database file");
    Files.writeString(other.resolve("LOG"), "an info log: not a database file either");
    try (RocksRecordStore s =
        RocksRecordStore.open(other, TestHashes.MIXED, RocksStoreOptions.DEFAULTS)) {
      assertThat(s.priorShutdown()).isEqualTo(PriorShutdown.FRESH);
    }
    assertThat(other.resolve("notes.txt")).exists();
  }

  @Test
  void aDirectoryWithOnlyTheAcknowledgedMarkIsNotTakenForEmpty() throws IOException {
    try (RocksRecordStore s = open(RocksStoreOptions.DEFAULTS)) {
      s.commit(s.newBatch().put(key(1), value(1, 10)));
    }
    try (Stream<Path> files = Files.list(store())) {
      for (Path p : files.toList()) {
        if (!p.getFileName().toString().equals(AckMark.FILE_NAME)) {
          Files.delete(p);
        }
      }
    }
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("1 file: " + AckMark.FILE_NAME);
  }

  @Test
  void aCreateThatFailsHalfwayLeavesTheDirectoryAsItFoundIt() throws IOException {
    // RocksDB writes CURRENT through a temporary file "000001.dbtmp"; a directory in its way
    // makes the create fail after it has written IDENTITY and the first MANIFEST.
    Files.createDirectories(store().resolve("000001.dbtmp"));
    Map<String, Long> before = listing();
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(store().toString());
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void aFailedOpenOfADamagedStoreRemovesOnlyWhatItCreated() throws Exception {
    List<Long> acks = killMidStream();
    assertThat(acks).isNotEmpty();
    truncateNewestWal(size -> size / 2);
    Files.writeString(store().resolve("LOG"), "an info log from an older version");
    Map<String, Long> before = listing();
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS)).isInstanceOf(StoreException.class);
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void walCutInHalfAfterKillIsRefusedAndWithTheFlagOpensReportsTheLossAndTakesANewIncarnation()
      throws Exception {
    List<Long> acks = killMidStream();
    String killedHex = killedIncarnation;
    truncateNewestWal(size -> size / 2);
    Map<String, Long> before = listing();

    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(store().toString())
        .hasMessageContaining("write-ahead log is damaged")
        .hasMessageContaining("acknowledged sequence numbers are lost")
        .hasMessageContaining("--accept-data-loss");
    assertThat(listing()).as("a refused open changes no file").isEqualTo(before);

    Identity identity;
    try (RocksRecordStore s = open(RocksStoreOptions.DEFAULTS.withAcceptDataLoss(true))) {
      StoreRecovery recovery = s.recovery();
      assertThat(recovery.outcome()).isEqualTo(StoreRecovery.Outcome.RECOVERED_WITH_LOSS);
      assertThat(recovery.lostSequences()).isPositive();
      assertThat(recovery.describe()).contains("recovered with loss").contains("sequence numbers lost");
      assertThat(s.priorShutdown()).isEqualTo(PriorShutdown.DAMAGED);
      identity = Identity.open(s, KillChild.NODE, InstantSource.system(), new SplittableRandom(3));
      assertThat(identity.reason()).isEqualTo(Identity.Reason.DAMAGED);
      assertThat(identity.reason().isNew()).isTrue();
      assertThat(Long.toHexString(identity.incarnation())).isNotEqualTo(killedHex);
      Origin killed = new Origin(KillChild.NODE, Long.parseUnsignedLong(killedHex, 16));
      long head = s.logBounds(killed).head();
      assertThat(head).as("some acknowledged batches are gone").isLessThan(acks.get(acks.size() - 1));
      // What is left is a consistent prefix: whole batches, records and log entries alike.
      for (long seq = 1; seq <= head; seq++) {
        assertThat(s.get(KillChild.key(killed, seq))).as("record %d", seq).isPresent();
      }
      assertThat(s.get(KillChild.key(killed, head + 1))).isEmpty();
      assertThat(s.cursor(KillChild.PEER)).isEqualTo(head);
    }
    try (RocksRecordStore s = open(RocksStoreOptions.DEFAULTS)) {
      assertThat(s.recovery().outcome())
          .as("the accepted loss is not reported again")
          .isEqualTo(StoreRecovery.Outcome.INTACT);
      Identity kept = Identity.open(s, KillChild.NODE, InstantSource.system(), new SplittableRandom(4));
      assertThat(kept.reason()).isEqualTo(Identity.Reason.KEPT);
      assertThat(kept.incarnation()).isEqualTo(identity.incarnation());
    }
  }

  @Test
  void aTornTailAfterKillOpensNormallyBecauseNothingAcknowledgedIsMissing() throws Exception {
    List<Long> acks = killMidStream();
    String killedHex = killedIncarnation;
    appendTornRecord();

    try (RocksRecordStore s = open(RocksStoreOptions.DEFAULTS)) {
      assertThat(s.recovery().outcome()).isEqualTo(StoreRecovery.Outcome.TORN_TAIL_DROPPED);
      assertThat(s.recovery().lost()).isFalse();
      assertThat(s.priorShutdown()).isEqualTo(PriorShutdown.UNCLEAN);
      Origin killed = new Origin(KillChild.NODE, Long.parseUnsignedLong(killedHex, 16));
      for (long seq : acks) {
        assertThat(s.get(KillChild.key(killed, seq))).as("acknowledged record %d", seq).isPresent();
      }
    }
  }

  @Test
  void cuttingTheLastAcknowledgedRecordIsALossNotATornTail() throws Exception {
    // In process, so the last record is known to be acknowledged (a kill can land between a
    // write and its acknowledgement, and then cutting that record is rightly a torn tail).
    RocksRecordStore s = open(RocksStoreOptions.DEFAULTS);
    fill(s, 50, 100);
    StoreCrash.abandon(s);
    truncateNewestWal(size -> size - 3);
    Map<String, Long> before = listing();
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("2 acknowledged sequence numbers are lost"); // a record and the key count
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void aDeletedWalIsRefusedThoughRocksDbWouldOpenWithoutIt() throws IOException {
    RocksRecordStore s = open(RocksStoreOptions.DEFAULTS);
    fill(s, 50, 100);
    StoreCrash.abandon(s);
    Files.delete(newestWal());
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("ends at sequence")
        .hasMessageContaining("without damage")
        .hasMessageContaining("acknowledged sequence numbers are lost");
    try (RocksRecordStore accepted = open(RocksStoreOptions.DEFAULTS.withAcceptDataLoss(true))) {
      assertThat(accepted.recovery().lost()).isTrue();
      assertThat(accepted.keyCount()).isLessThan(50);
    }
  }

  @Test
  void aTornTailWithoutAMarkIsRefusedBecauseNothingCanTellItFromACut() throws Exception {
    killMidStream();
    appendTornRecord();
    Files.delete(store().resolve(AckMark.FILE_NAME));
    assertThatThrownBy(() -> open(RocksStoreOptions.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no acknowledged mark");
  }

  @Test
  void aFlippedByteInATableFileIsRefusedAtTheFirstReadOfItsBlock() throws IOException {
    try (RocksRecordStore s = open(SMALL_BUFFER)) {
      fill(s, 200, 8 * 1024); // two table files: too few for a compaction to read them first
    }
    // The flush of a full buffer runs in the background and may not have finished at close (CI
    // once found no table file at all); reopening replays the log into a table file.
    try (RocksRecordStore s = open(SMALL_BUFFER)) {
      assertThat(s.get(key(0))).isPresent();
    }
    Path largest;
    try (Stream<Path> files = Files.list(store())) {
      largest =
          files
              .filter(p -> p.getFileName().toString().endsWith(".sst"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    flip(largest, 100); // inside the first data block
    try (RocksRecordStore s = open(SMALL_BUFFER)) {
      assertThatThrownBy(() -> s.scan(0, -1, (hash, key, value) -> true))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(store().toString())
          .hasMessageContaining("Corruption")
          .hasMessageContaining("checksum mismatch");
    }
  }

  // --- helpers -----------------------------------------------------------------------------

  private String killedIncarnation;

  /** A clean first run, then a run killed with SIGKILL after 300 acks; returns the acks. */
  private List<Long> killMidStream() throws Exception {
    ChildProcess first = ChildProcess.start(store(), "clean", 5, temp.resolve("clean.err"));
    first.rest();
    assertThat(first.process().waitFor(ChildProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process().exitValue()).as(Files.readString(temp.resolve("clean.err"))).isZero();
    ChildProcess child = ChildProcess.start(store(), "run", 1_000_000, temp.resolve("run.err"));
    killedIncarnation = child.identityLine().split(" ")[1];
    return child.killAfterAcks(300);
  }

  private Path newestWal() throws IOException {
    try (Stream<Path> files = Files.list(store())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow();
    }
  }

  private void truncateNewestWal(java.util.function.LongUnaryOperator newSize) throws IOException {
    Path wal = newestWal();
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      ch.truncate(newSize.applyAsLong(ch.size()));
    }
  }

  /**
   * Appends what a write torn by a kill leaves: the header of a full record (checksum, length
   * 200, type FULL) and only part of its payload. Log records never straddle a 32 KiB block, so
   * the header goes where the writer would put it.
   */
  private void appendTornRecord() throws IOException {
    Path wal = newestWal();
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long left = 32 * 1024 - size % (32 * 1024);
      ByteBuffer out = ByteBuffer.allocate((int) (left < 7 + 200 ? left : 0) + 7 + 60);
      if (left < 7 + 200) {
        out.put(new byte[(int) left]); // the writer pads a block too short for the record
      }
      out.putInt(0x12345678).put((byte) 200).put((byte) 0).put((byte) 1);
      out.put(new byte[60]);
      out.flip();
      ch.write(out, size);
    }
  }

  private static void flip(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(4);
      ch.read(b, at);
      b.flip();
      ByteBuffer flipped = ByteBuffer.allocate(4).putInt(~b.getInt());
      flipped.flip();
      ch.write(flipped, at);
    }
  }
}
