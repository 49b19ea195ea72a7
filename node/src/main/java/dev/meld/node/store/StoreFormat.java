package dev.meld.node.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Refusing a store written in another physical format than {@link
 * EngineRecordStore#FORMAT_VERSION}, or upgrading one. Format 1 had no pieces; format 2 adds the
 * {@code pieces} column family; format 3 lets a counter's record be a header over one piece per
 * slot, where format 2 held every counter whole.
 *
 * <p>Format 1 is not converted: a node's data comes back from its peers, so the operator is told
 * to start on an empty directory instead. Format 2 is upgraded on open by writing the number 3,
 * nothing else: a format-3 node reads a counter in either layout, forever, and rewrites a whole one
 * as slots the first time it writes it. So the upgrade costs nothing at open and cannot be cut
 * short, and once the number is 3 an earlier version refuses the store rather than misread a
 * counter header.
 */
final class StoreFormat {

  /** What becomes of a node started on an empty directory. */
  private static final String REFILL =
      "it joins under a new incarnation and anti-entropy copies the data back from its peers";

  private StoreFormat() {}

  /**
   * Refuses a RocksDB store without the {@code pieces} column family, which only format 1 lacks.
   * Reads the MANIFEST only: RocksDB would otherwise fail the open for the missing column family
   * after writing a new MANIFEST, WAL and OPTIONS file, and a refused directory must stay exactly
   * as it was so the earlier version can still open it.
   *
   * @throws IllegalStateException if the column family is missing
   */
  static void checkColumnFamilies(Path dir) {
    List<String> families = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        families.add(new String(name, StandardCharsets.UTF_8));
      }
    } catch (RocksDBException e) {
      // An unreadable MANIFEST is damage, not a format: the open reports it, with its recovery.
      return;
    }
    String pieces = new String(Space.PIECES.columnFamilyName(), StandardCharsets.UTF_8);
    if (!families.contains(pieces)) {
      throw refusal(
          1,
          dir.toString(),
          "its column families are "
              + String.join(", ", families)
              + ", without \""
              + pieces
              + "\"");
    }
  }

  /** Whether a store of format {@code found} is opened as it is, its number raised to current. */
  static boolean upgradable(long found) {
    return found == 2;
  }

  /**
   * The refusal of a store whose format is {@code found}.
   *
   * @param where the store, for the message: a directory, or "a memory image"
   * @param evidence how {@code found} was learnt, or null if from the stored format number
   */
  static IllegalStateException refusal(long found, String where, String evidence) {
    StringBuilder message =
        new StringBuilder("store format: ")
            .append(found)
            .append(" in ")
            .append(where)
            .append(" (expected: ")
            .append(EngineRecordStore.FORMAT_VERSION)
            .append("): ");
    if (evidence != null) {
      message.append(evidence).append("; ");
    }
    if (found < EngineRecordStore.FORMAT_VERSION) {
      message.append(
          "written by a Meld before element-granular records; this version cannot read it."
              + " Start the node on an empty --data-dir: "
              + REFILL
              + " (or keep running the earlier version)");
    } else {
      message.append(
          "written by a later Meld; this version cannot read it. Run that version (or start the"
              + " node on an empty --data-dir: "
              + REFILL
              + ")");
    }
    return new IllegalStateException(message.toString());
  }
}
