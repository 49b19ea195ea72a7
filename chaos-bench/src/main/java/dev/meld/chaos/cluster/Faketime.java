package dev.meld.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Clock faults through libfaketime: a node runs with the library preloaded and reads its offset
 * from a file the bench rewrites at run time.
 *
 * <p>The variables, as libfaketime's README defines them: {@code LD_PRELOAD} loads the library;
 * {@code FAKETIME_TIMESTAMP_FILE} names a file holding one line in {@code FAKETIME} syntax, here a
 * relative offset in seconds such as {@code +30} or {@code -1.5} (real time plus the offset, not
 * cumulative); {@code FAKETIME_CACHE_DURATION=1} re-reads that file at most every second (the
 * default caches it for 10 s; {@code FAKETIME_NO_CACHE} would read it on every clock call, which a
 * JVM makes constantly); {@code FAKETIME_DONT_FAKE_MONOTONIC=1} leaves {@code CLOCK_MONOTONIC}
 * alone, without which a JVM hangs and its timers break; {@code FAKETIME_FORCE_MONOTONIC_FIX=0}
 * turns off a workaround the library enables by itself on recent glibc, which makes the JVM's timed
 * waits ({@code pthread_cond_timedwait}) run late: a node that answers its first request in 0.7 s
 * took 10 s with it; {@code NO_FAKE_STAT=1} leaves file timestamps alone so the store's files are
 * not affected. Only the wall clock moves: {@code System.currentTimeMillis}, {@code Instant.now},
 * not {@code System.nanoTime}.
 */
public final class Faketime {

  /** How often libfaketime re-reads the offset file. */
  public static final Duration CACHE = Duration.ofSeconds(1);

  /** Where Debian and common builds put the library, tried when dpkg does not know. */
  public static final List<Path> KNOWN_PATHS =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/faketime/libfaketime.so.1"),
          Path.of("/usr/local/lib/faketime/libfaketime.so.1"),
          Path.of("/usr/lib64/faketime/libfaketime.so.1"));

  /** What to run where the library is missing. */
  public static final String INSTALL = "apt-get install -y faketime";

  private Faketime() {}

  /** The library: from {@code dpkg -L libfaketime}, else the first known path that exists. */
  public static Optional<Path> locate() {
    return fromDpkg().or(() -> KNOWN_PATHS.stream().filter(Files::isRegularFile).findFirst());
  }

  private static Optional<Path> fromDpkg() {
    try {
      Process dpkg =
          new ProcessBuilder("dpkg", "-L", "libfaketime").redirectErrorStream(true).start();
      String listing = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!dpkg.waitFor(5, TimeUnit.SECONDS) || dpkg.exitValue() != 0) {
        dpkg.destroyForcibly();
        return Optional.empty();
      }
      return listing
          .lines()
          .filter(line -> line.endsWith("/libfaketime.so.1"))
          .map(Path::of)
          .filter(Files::isRegularFile)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The environment that preloads {@code library} and reads the offset from {@code offsetFile}. */
  public static Map<String, String> environment(Path library, Path offsetFile) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LD_PRELOAD", library.toAbsolutePath().toString());
    env.put("FAKETIME_TIMESTAMP_FILE", offsetFile.toAbsolutePath().toString());
    env.put("FAKETIME_CACHE_DURATION", Long.toString(CACHE.toSeconds()));
    env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    env.put("NO_FAKE_STAT", "1");
    return env;
  }

  /**
   * The {@code FAKETIME} relative offset for {@code offset}: a sign, whole seconds and, when there
   * are any, milliseconds ({@code +30}, {@code -1.500}, {@code +0}).
   */
  public static String format(Duration offset) {
    long millis = offset.toMillis();
    String sign = millis < 0 ? "-" : "+";
    long abs = Math.abs(millis);
    long seconds = abs / 1000;
    long rest = abs % 1000;
    return rest == 0 ? sign + seconds : String.format("%s%d.%03d", sign, seconds, rest);
  }

  /**
   * Writes the offset so that a reader sees either the old line or the new one, never a partial
   * one: written beside the file, then moved over it.
   */
  public static void writeOffset(Path offsetFile, Duration offset) throws IOException {
    Path temp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
    Files.writeString(temp, format(offset) + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(
          temp, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, offsetFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
