package dev.meld.chaos.cluster;

import dev.meld.node.store.RocksRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies of a stopped node's data directory, named, as an operator takes a backup and puts it
 * back: {@link #take} copies the directory aside, {@link #putBack} replaces the directory with a
 * copy and marks it restored ({@value RocksRecordStore#RESTORED_MARKER}), so the node that opens it
 * takes a new incarnation instead of counting on from where the copy left off (its peers may hold
 * dots the copy never saw; Riak's kv679).
 */
public final class NodeCopies {

  /** What a copy may be called: it names a directory, so no separators and no leading dot. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

  /** The copy a backup or restore step takes or puts back when it names none. */
  public static final String LATEST = "latest";

  private NodeCopies() {}

  /**
   * {@code name}, checked.
   *
   * @throws IllegalArgumentException naming the value and what a copy name may be
   */
  public static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "copy: " + (name == null ? "null" : "\"" + name + "\"")
              + " (expected: 1-64 of A-Z a-z 0-9 . _ -, not starting with a dot)");
    }
    return name;
  }

  /**
   * Copies {@code dataDir} (its node stopped) to {@code copy}, replacing a copy of that name only
   * once the new one is complete, so a copy that fails midway leaves the previous one intact.
   *
   * @return what was copied, for a receipt
   * @throws NotVerified if the data directory is missing (nothing is touched then)
   */
  public static String take(Path dataDir, Path copy) throws IOException, NotVerified {
    if (!Files.isDirectory(dataDir)) {
      throw new NotVerified("data directory " + dataDir + " does not exist; nothing to copy");
    }
    // A leading dot: no copy can be called that, so the copy in progress never clobbers one.
    Path partial = copy.resolveSibling("." + copy.getFileName() + ".partial");
    ClusterNode.deleteTree(partial);
    Files.createDirectories(partial.getParent());
    long[] counted = copyTree(dataDir, partial);
    ClusterNode.deleteTree(copy);
    Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    return "copied " + counted[0] + " files, " + counted[1] + " bytes to " + copy;
  }

  /**
   * Replaces {@code dataDir} (its node stopped) with the contents of {@code copy} and marks it
   * restored.
   *
   * @return what was put back, for a receipt
   * @throws NotVerified if there is no such copy (nothing is touched then)
   */
  public static String putBack(Path copy, Path dataDir) throws IOException, NotVerified {
    if (!Files.isDirectory(copy)) {
      throw new NotVerified("no copy at " + copy + "; nothing done");
    }
    ClusterNode.deleteTree(dataDir);
    long[] counted = copyTree(copy, dataDir);
    Files.write(dataDir.resolve(RocksRecordStore.RESTORED_MARKER), new byte[0]);
    return "data directory replaced by "
        + copy
        + " ("
        + counted[0]
        + " files, "
        + counted[1]
        + " bytes) and marked "
        + RocksRecordStore.RESTORED_MARKER;
  }

  /** Whether the node has opened a store {@link #putBack} marked (the node removes the mark then). */
  public static boolean markConsumed(Path dataDir) {
    return !Files.exists(dataDir.resolve(RocksRecordStore.RESTORED_MARKER));
  }

  /** Copies every file under {@code from} to the same place under {@code to}; {files, bytes}. */
  private static long[] copyTree(Path from, Path to) throws IOException {
    long files = 0;
    long bytes = 0;
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
          files++;
          bytes += Files.size(target);
        }
      }
    }
    return new long[] {files, bytes};
  }
}
