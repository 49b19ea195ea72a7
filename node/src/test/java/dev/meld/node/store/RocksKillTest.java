package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.identity.Identity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability against SIGKILL, for real: a child JVM commits batches to a {@link RocksRecordStore}
 * and prints each acknowledged sequence number; the test kills it with SIGKILL mid-stream, reopens
 * the store, and checks that every acknowledged batch is there whole and that the node took a new
 * incarnation (while a clean close keeps it).
 */
class RocksKillTest {

  private static final long TIMEOUT_SECONDS = 60;
  private static final String EOF = "\u0000eof";

  @TempDir Path dir;

  /** A running child process and the lines it printed so far. */
  private record Child(Process process, BlockingQueue<String> lines, Thread reader) {

    String next() throws InterruptedException {
      String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(line).as("child output within %d s", TIMEOUT_SECONDS).isNotNull();
      return line;
    }

    /** Every line until the child's stdout closes. */
    List<String> rest() throws InterruptedException {
      List<String> out = new ArrayList<>();
      for (String line = next(); !line.equals(EOF); line = next()) {
        out.add(line);
      }
      return out;
    }
  }

  private Child start(String mode, int count) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                classpath,
                KillChild.class.getName(),
                dir.resolve("store").toString(),
                mode,
                Integer.toString(count))
            .redirectError(dir.resolve("child-" + mode + ".err").toFile());
    Process process = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("read failed: " + e);
              } finally {
                lines.add(EOF);
              }
            },
            "kill-child-reader");
    reader.setDaemon(true);
    reader.start();
    return new Child(process, lines, reader);
  }

  private static List<Long> acked(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("acked "))
        .map(l -> Long.parseLong(l.substring(6)))
        .toList();
  }

  private static String identityLine(Child child) throws InterruptedException {
    String line = child.next();
    while (!line.startsWith("identity ")) {
      line = child.next();
    }
    return line;
  }

  private RocksRecordStore reopen() {
    return RocksRecordStore.open(
        dir.resolve("store"), TestHashes.MIXED, RocksStoreOptions.DEFAULTS);
  }

  @Test
  void everyAcknowledgedBatchSurvivesSigkillAndTheNodeTakesANewIncarnation() throws Exception {
    Child first = start("clean", 20);
    String firstIdentity = identityLine(first);
    first.rest();
    assertThat(first.process().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process().exitValue()).as(stderr("clean")).isZero();

    Child child = start("run", 1_000_000);
    String killedIdentity = identityLine(child);
    assertThat(killedIdentity)
        .as("a clean close keeps the incarnation")
        .isEqualTo(firstIdentity.replace(" FRESH", " KEPT"));
    List<String> seen = new ArrayList<>();
    while (acked(seen).size() < 300) {
      seen.add(child.next());
    }
    child.process().destroyForcibly(); // SIGKILL on Linux
    assertThat(child.process().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    seen.addAll(child.rest()); // acks printed before the kill but not read yet count too
    child.reader().join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    assertThat(child.process().exitValue()).as("killed, not finished").isEqualTo(137);
    List<Long> acks = acked(seen);

    try (RocksRecordStore store = reopen()) {
      assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.UNCLEAN);
      Identity identity =
          Identity.open(store, KillChild.NODE, InstantSource.system(), new SplittableRandom(1));
      assertThat(identity.reason()).isEqualTo(Identity.Reason.UNCLEAN);
      assertThat(identity.generation()).isEqualTo(2);
      String killedHex = killedIdentity.split(" ")[1];
      assertThat(Long.toHexString(identity.incarnation())).isNotEqualTo(killedHex);
      Origin killed = new Origin(KillChild.NODE, Long.parseUnsignedLong(killedHex, 16));
      long head = store.logBounds(killed).head();
      for (long seq : acks) {
        assertThat(store.get(KillChild.key(killed, seq)))
            .as("acknowledged record %d", seq)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(KillChild.payload(seq)));
        assertThat(store.readLog(killed, seq, 1, 1))
            .as("acknowledged log entry %d", seq)
            .containsExactly(new LogEntry(seq, KillChild.payload(seq)));
      }
      // Batches are whole: as many records as log entries (20 from the first run), cursor at head.
      assertThat(head).isGreaterThanOrEqualTo(acks.get(acks.size() - 1));
      assertThat(store.keyCount()).isEqualTo(head);
      assertThat(store.cursor(KillChild.PEER)).isEqualTo(head);
      store.close();
      try (RocksRecordStore again = reopen()) {
        Identity kept =
            Identity.open(again, KillChild.NODE, InstantSource.system(), new SplittableRandom(2));
        assertThat(kept.reason()).isEqualTo(Identity.Reason.KEPT);
        assertThat(kept.incarnation()).isEqualTo(identity.incarnation());
      }
    }
  }

  private String stderr(String mode) {
    try {
      return Files.readString(dir.resolve("child-" + mode + ".err"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
