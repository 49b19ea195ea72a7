package dev.meld.node.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node as a separate process from the shaded jar ({@code -Dmeld.node.jar}, set by failsafe),
 * its stdout and stderr in files next to its data directory. Knows the ports it printed, and stops
 * by SIGTERM ({@link #terminate}) or SIGKILL ({@link #kill}).
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern BANNER =
      Pattern.compile(
          "meld node (\\S+) \\(incarnation (\\d+)\\) client (\\S+) mesh (\\S+) admin (\\S+)");

  final String name;
  final Path dir;
  private final List<String> args;
  private Process process;
  private int start;
  private long incarnation;
  private int clientPort;
  private int adminPort;

  NodeProcess(String name, Path dir, List<String> args) {
    this.name = name;
    this.dir = dir;
    this.args = List.copyOf(args);
  }

  /** The jar under test. */
  static Path jar() {
    String jar = System.getProperty("meld.node.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "meld.node.jar: " + jar + " (expected: node/target/meld-node.jar; run through failsafe)");
    }
    return Path.of(jar);
  }

  /** Starts the process and waits (up to 60 s) for its banner. */
  NodeProcess start() throws IOException, InterruptedException {
    start++;
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dio.netty.leakDetection.level=paranoid");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    process =
        new ProcessBuilder(command)
            .redirectOutput(stdout().toFile())
            .redirectError(stderr().toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = BANNER.matcher(Files.readString(stdout(), StandardCharsets.UTF_8));
      if (m.find()) {
        incarnation = Long.parseUnsignedLong(m.group(2));
        clientPort = port(m.group(3));
        adminPort = port(m.group(5));
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " printed no banner within 60 s:\n" + log());
  }

  private static int port(String hostPort) {
    return hostPort.equals("off") ? -1 : Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  Path stdout() {
    return dir.resolveSibling(name + "-" + start + ".out");
  }

  Path stderr() {
    return dir.resolveSibling(name + "-" + start + ".log");
  }

  /** What the current run logged (stderr). */
  String log() {
    try {
      return Files.exists(stderr()) ? Files.readString(stderr(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long incarnation() {
    return incarnation;
  }

  int clientPort() {
    return clientPort;
  }

  int adminPort() {
    return adminPort;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code (waits up to {@code seconds}). */
  int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + seconds + " s after SIGTERM");
    }
    return process.exitValue();
  }

  /** Waits up to {@code seconds} for the process to exit by itself; returns its exit code. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not exit within " + seconds + " s");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      kill();
    }
  }
}
