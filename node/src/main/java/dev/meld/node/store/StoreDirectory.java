package dev.meld.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules a store directory is opened under, checked before RocksDB touches it.
 *
 * <p>RocksDB's {@code create_if_missing} creates a database whenever {@code CURRENT} is absent, and
 * once such an open succeeds it deletes every file the new, empty MANIFEST does not name: a
 * directory whose {@code CURRENT} was lost comes back empty, its SST files gone. So a database is
 * only ever created in an empty or absent directory; a directory that holds any database file but
 * no usable {@code CURRENT} is refused. And since a failed open can still leave files behind (a
 * fresh {@code CURRENT}, a MANIFEST, a WAL) that change what the next open does, the listing is
 * taken before every open and whatever a failed open added is removed again.
 */
final class StoreDirectory {

  private static final Logger log = LoggerFactory.getLogger(StoreDirectory.class);

  /** RocksDB's pointer to the live MANIFEST. */
  static final String CURRENT = "CURRENT";

  /**
   * Files that only a database puts in a directory: tables, WALs, blobs, manifests, options, the
   * database id, our acknowledged mark. Not data: {@code LOCK}, RocksDB's info logs ({@code LOG},
   * {@code LOG.old.*}), the operator's {@code RESTORED} marker, and anything else.
   */
  private static final Pattern DATA_FILE =
      Pattern.compile(
          "\\d+\\.(sst|log|blob)|MANIFEST-\\d+|OPTIONS-\\d+|IDENTITY|CURRENT|"
              + Pattern.quote(AckMark.FILE_NAME));

  private final Path dir;
  private final boolean existed;
  private final Set<String> before;

  private StoreDirectory(Path dir, boolean existed, Set<String> before) {
    this.dir = dir;
    this.existed = existed;
    this.before = before;
  }

  /** Takes the listing of {@code dir} (empty if it does not exist yet) before an open. */
  static StoreDirectory snapshot(Path dir) {
    boolean existed = Files.isDirectory(dir);
    return new StoreDirectory(dir, existed, existed ? list(dir) : new TreeSet<>());
  }

  /**
   * Whether the open may create a database: only if the directory holds no database file at all.
   *
   * @throws StoreException if it holds database files but no usable {@code CURRENT}
   */
  boolean mayCreate() {
    List<String> data = new ArrayList<>();
    for (String name : before) {
      if (DATA_FILE.matcher(name).matches()) {
        data.add(name);
      }
    }
    if (data.isEmpty()) {
      return true;
    }
    if (!before.contains(CURRENT) || !currentIsUsable()) {
      throw new StoreException(
          "store directory "
              + dir
              + " holds database files ("
              + summary(data)
              + ") but "
              + (before.contains(CURRENT) ? "an empty or unreadable CURRENT" : "no CURRENT")
              + " (expected: CURRENT naming the live MANIFEST-<n>); refusing to create a new"
              + " database over them. Restore CURRENT (its content is the MANIFEST's file name"
              + " and a newline) or move the directory away to start empty");
    }
    return false;
  }

  private boolean currentIsUsable() {
    try {
      String content = Files.readString(dir.resolve(CURRENT)).strip();
      return content.startsWith("MANIFEST-") && Files.isRegularFile(dir.resolve(content));
    } catch (IOException e) {
      return false;
    }
  }

  private static String summary(List<String> names) {
    int shown = Math.min(names.size(), 6);
    String listed = String.join(", ", names.subList(0, shown));
    return names.size() + " file" + (names.size() == 1 ? "" : "s") + ": " + listed
        + (shown < names.size() ? ", ..." : "");
  }

  /**
   * Removes what was added since the snapshot (after a failed open): new entries, and the
   * directory itself if it did not exist. Entries that were there before are never touched.
   * Failures are logged, not thrown: the caller is already reporting the open's failure.
   */
  void removeAdded() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (String name : list(dir)) {
      if (!before.contains(name)) {
        deleteTree(dir.resolve(name));
      }
    }
    if (!existed) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        log.warn("could not remove {} after a failed open", dir, e);
      }
    }
  }

  private static void deleteTree(Path path) {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // gone already
    } catch (IOException e) {
      log.warn("could not remove {} after a failed open", path, e);
    }
  }

  /** The names in {@code dir}, sorted. */
  static Set<String> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      Set<String> names = new TreeSet<>();
      entries.forEach(p -> names.add(p.getFileName().toString()));
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list store directory " + dir, e);
    }
  }
}
