package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.store.RocksRecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies of a data directory: taken whole, replaced only when complete, put back marked restored. */
class NodeCopiesTest {

  @TempDir Path dir;

  private Path data() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("archive"));
    Files.writeString(data.resolve("CURRENT"), "MANIFEST-000005\n");
    Files.writeString(data.resolve("archive").resolve("000004.log"), "old");
    return data;
  }

  @Test
  void aCopyHoldsEveryFileAndReplacesAnEarlierCopyOfTheSameName() throws Exception {
    Path data = data();
    Path copy = dir.resolve("backups").resolve("latest");
    NodeCopies.take(data, copy);
    Files.writeString(data.resolve("CURRENT"), "MANIFEST-000009\n");
    Files.delete(data.resolve("archive").resolve("000004.log"));

    String said = NodeCopies.take(data, copy);

    assertThat(said).startsWith("copied 1 files, 16 bytes to ");
    assertThat(Files.readString(copy.resolve("CURRENT"))).isEqualTo("MANIFEST-000009\n");
    assertThat(copy.resolve("archive").resolve("000004.log")).doesNotExist();
    try (var left = Files.list(dir.resolve("backups"))) {
      assertThat(left).containsExactly(copy); // nothing half-copied beside it
    }
  }

  @Test
  void puttingACopyBackReplacesTheDirectoryAndMarksItRestoredForTheNode() throws Exception {
    Path data = data();
    Path copy = dir.resolve("backups").resolve("before");
    NodeCopies.take(data, copy);
    Files.writeString(data.resolve("000010.sst"), "written after the backup");

    NodeCopies.putBack(copy, data);

    assertThat(data.resolve("000010.sst")).doesNotExist();
    assertThat(Files.readString(data.resolve("CURRENT"))).isEqualTo("MANIFEST-000005\n");
    assertThat(data.resolve(RocksRecordStore.RESTORED_MARKER)).exists();
    assertThat(NodeCopies.markConsumed(data)).isFalse();
    Files.delete(data.resolve(RocksRecordStore.RESTORED_MARKER)); // as the node does when it opens
    assertThat(NodeCopies.markConsumed(data)).isTrue();
  }

  @Test
  void aMissingCopyOrDataDirectoryFailsAndTouchesNothing() throws Exception {
    Path data = data();
    assertThatThrownBy(() -> NodeCopies.putBack(dir.resolve("backups").resolve("never"), data))
        .isInstanceOf(NotVerified.class)
        .hasMessageContaining("no copy at");
    assertThat(Files.readString(data.resolve("CURRENT"))).isEqualTo("MANIFEST-000005\n");
    assertThatThrownBy(() -> NodeCopies.take(dir.resolve("gone"), dir.resolve("backups").resolve("x")))
        .isInstanceOf(NotVerified.class)
        .hasMessageContaining("does not exist; nothing to copy");
    assertThat(dir.resolve("backups")).doesNotExist();
  }

  @Test
  void aCopyNameMustNameOneDirectoryBelowTheNodes() {
    assertThat(NodeCopies.requireName("before-partition.1")).isEqualTo("before-partition.1");
    for (String bad : new String[] {"", "..", ".hidden", "a/b", "a b", "x".repeat(65)}) {
      assertThatThrownBy(() -> NodeCopies.requireName(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("copy: \"" + bad + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -, not starting with a dot)");
    }
  }
}
