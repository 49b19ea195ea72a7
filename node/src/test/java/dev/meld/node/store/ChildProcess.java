package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link KillChild} JVM and the lines it printed so far; for tests that SIGKILL a store. */
final class ChildProcess {

  static final long TIMEOUT_SECONDS = 60;
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ChildProcess(Process process) {
    this.process = process;
    this.reader =
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
  }

  /** Starts {@link KillChild} on {@code storeDir}; its stderr goes to {@code stderr}. */
  static ChildProcess start(Path storeDir, String mode, int count, Path stderr)
      throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                classpath,
                KillChild.class.getName(),
                storeDir.toString(),
                mode,
                Integer.toString(count))
            .redirectError(stderr.toFile());
    return new ChildProcess(builder.start());
  }

  Process process() {
    return process;
  }

  Thread reader() {
    return reader;
  }

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

  /** The first line starting with {@code identity }. */
  String identityLine() throws InterruptedException {
    String line = next();
    while (!line.startsWith("identity ")) {
      line = next();
    }
    return line;
  }

  /**
   * Reads until {@code count} acks were printed, SIGKILLs the child, and returns every ack it
   * printed (those printed before the kill but not read yet included).
   */
  List<Long> killAfterAcks(int count) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    while (acked(seen).size() < count) {
      seen.add(next());
    }
    process.destroyForcibly(); // SIGKILL on Linux
    assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    seen.addAll(rest());
    reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    assertThat(process.exitValue()).as("killed, not finished").isEqualTo(137);
    return acked(seen);
  }

  static List<Long> acked(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("acked "))
        .map(l -> Long.parseLong(l.substring(6)))
        .toList();
  }
}
