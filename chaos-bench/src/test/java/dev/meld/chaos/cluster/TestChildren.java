package dev.meld.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts {@link TestChild} as a child JVM and reads its heartbeat. */
final class TestChildren {

  private TestChildren() {}

  static ChildProcess start(Path dir, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            TestChild.class.getName(),
            heartbeat(dir).toString());
    return ChildProcess.start("child", command, env, dir.resolve("child.log"));
  }

  static Path heartbeat(Path dir) {
    return dir.resolve("heartbeat");
  }

  /** The child's {beats, wallClockMillis}, or null before its first beat. */
  static long[] read(Path dir) throws IOException {
    Path file = heartbeat(dir);
    if (!Files.exists(file)) {
      return null;
    }
    String[] parts = Files.readString(file).trim().split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }

  /** Waits (bounded) until the child has beaten at least {@code beats} times. */
  static void awaitBeats(Path dir, long beats) throws Exception {
    if (!Await.until(
        Duration.ofSeconds(20),
        () -> {
          long[] hb = read(dir);
          return hb != null && hb[0] >= beats;
        })) {
      throw new AssertionError(
          "child did not reach "
              + beats
              + " beats; log: "
              + DrainLog.tail(dir.resolve("child.log"), 10));
    }
  }
}
