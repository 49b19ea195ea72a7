package dev.meld.chaos.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, run as a process with a time limit, for looking at pages in tests.
 */
final class Chromium {

  private static final long TIMEOUT_SECONDS = 120;

  private final Path binary;
  private final Path profile;

  private Chromium(Path binary, Path profile) {
    this.binary = binary;
    this.profile = profile;
  }

  /**
   * Chromium on the PATH ({@code chromium} or {@code chromium-browser}), if installed; the system
   * property {@code meld.chromium} names another binary instead (a missing one means none).
   */
  static Optional<Chromium> find(Path profileDir) {
    String chosen = System.getProperty("meld.chromium");
    if (chosen != null) {
      Path p = Path.of(chosen);
      return Files.isExecutable(p) ? Optional.of(new Chromium(p, profileDir)) : Optional.empty();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(new Chromium(p, profileDir));
        }
      }
    }
    return Optional.empty();
  }

  /** Takes a screenshot of a page at 1400 x height pixels. */
  void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
    run(
        page,
        profile.resolve("screenshot.log"),
        "--screenshot=" + png,
        "--window-size=1400," + height);
  }

  /** The DOM of a page after it has loaded. */
  String dumpDom(Path page) throws IOException, InterruptedException {
    Path out = profile.resolve("dom.html");
    run(page, out, "--dump-dom");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private void run(Path page, Path stdout, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.resolve("profile")));
    cmd.addAll(List.of(args));
    cmd.add(page.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(stdout.toFile())
            .redirectError(profile.resolve("stderr.log").toFile())
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IOException("chromium took over " + TIMEOUT_SECONDS + " s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "chromium exited "
              + p.exitValue()
              + ": "
              + Files.readString(profile.resolve("stderr.log")));
    }
  }
}
