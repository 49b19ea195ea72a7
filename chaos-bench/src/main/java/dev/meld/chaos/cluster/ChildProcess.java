package dev.meld.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the bench with its output appended to a log file, and the signals the
 * nemeses send it: SIGKILL, SIGTERM, SIGSTOP and SIGCONT. Every child is registered with {@link
 * Reaper}, so it is killed when the bench's JVM exits, however it exits.
 *
 * <p>Signals go through {@code kill(1)} for STOP and CONT, which {@link ProcessHandle} cannot send;
 * KILL and TERM go through {@link Process}. Whether a process is stopped is read from {@code
 * /proc/<pid>/stat} (state {@code T}), so a pause is checked with the kernel, not assumed.
 */
final class ChildProcess {

  private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} with {@code env} added to the bench's environment, its stdout and stderr
   * appended to {@code log}.
   */
  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    // The child reads nothing; closing its stdin keeps it from waiting on the bench.
    process.getOutputStream().close();
    Reaper.register(process);
    return new ChildProcess(name, process, log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit code, if the process has exited. */
  Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** SIGKILL, then waits (bounded) until it is gone; true if it is. */
  boolean kill() throws InterruptedException {
    // A stopped process dies of SIGKILL too; no need to continue it first.
    process.destroyForcibly();
    boolean gone = process.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Reaper.unregister(process);
    return gone;
  }

  /** SIGTERM, then waits up to {@code timeout} for it to exit; the exit code if it did. */
  Optional<Integer> terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      Reaper.unregister(process);
      return Optional.of(process.exitValue());
    }
    return Optional.empty();
  }

  /** SIGSTOP; true if the kernel then reports the process stopped. */
  boolean pause() throws IOException, InterruptedException {
    signal("STOP");
    return awaitState(true);
  }

  /** SIGCONT; true if the kernel then reports the process running (not stopped). */
  boolean resume() throws IOException, InterruptedException {
    signal("CONT");
    return awaitState(false);
  }

  /** Whether the kernel reports the process stopped by a signal (state T). */
  boolean stopped() throws IOException {
    return processState(Files.readString(Path.of("/proc", Long.toString(pid()), "stat"))) == 'T';
  }

  /**
   * The state letter of a {@code /proc/<pid>/stat} line. The command name in parentheses may hold
   * spaces and parentheses, so the state is the first field after the last {@code ')'}.
   */
  static char processState(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      throw new IllegalArgumentException(
          "stat: \"" + stat.strip() + "\" (expected: pid (comm) state ...)");
    }
    return stat.charAt(close + 2);
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill.destroyForcibly();
      throw new IOException("kill -" + signal + " " + pid() + ": no exit within " + SIGNAL_TIMEOUT);
    }
    if (kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid() + ": exit code " + kill.exitValue());
    }
  }

  private boolean awaitState(boolean wantStopped) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SIGNAL_TIMEOUT.toNanos();
    while (alive()) {
      if (stopped() == wantStopped) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return false;
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
