package dev.meld.chaos.maelstrom;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Maelstrom node binary: lines to its stdin, each stdout line to a callback, stderr
 * appended to a log file. The command runs under {@code sh -c}, so {@code --bin} may be a script, a
 * binary or a command line; kill and pause reach the process and all its descendants.
 */
final class NodeProcess {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);

  /** The longest stdout line taken from a node; a longer one is dropped and counted. */
  static final int MAX_LINE_CHARS = 16 << 20;

  private final String id;
  private final Process process;
  private final BufferedWriter stdin;
  private volatile boolean paused;

  private NodeProcess(String id, Process process) {
    this.id = id;
    this.process = process;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code command} for node {@code id}; {@code lines} receives each line it prints (on a
   * reader thread of its own), {@code tooLong} each line over {@link #MAX_LINE_CHARS}.
   */
  static NodeProcess start(String id, String command, Path stderrLog, Consumer<String> lines, Runnable tooLong)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
    NodeProcess node = new NodeProcess(id, pb.start());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(node.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.length() > MAX_LINE_CHARS) {
                    tooLong.run();
                  } else if (!line.isBlank()) {
                    lines.accept(line);
                  }
                }
              } catch (IOException e) {
                LOG.debug("{}: stdout closed: {}", id, e.toString());
              }
            },
            "maelstrom-" + id + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return node;
  }

  String id() {
    return id;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  boolean isPaused() {
    return paused;
  }

  /** Writes one line to the node's stdin; false if the process is gone. */
  synchronized boolean send(String line) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGSTOP (pause) or SIGCONT (resume) to the process and its descendants. */
  void signal(boolean stop) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kill", stop ? "-STOP" : "-CONT"));
    cmd.add(Long.toString(process.pid()));
    process.descendants().forEach(p -> cmd.add(Long.toString(p.pid())));
    Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + ": failed (expected: exit 0)");
    }
    paused = stop;
  }

  /** SIGKILL to the process and its descendants; waits until it is gone. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    paused = false;
  }

  /** Closes stdin (a Maelstrom node exits on end of input), then kills what is left. */
  void stop() throws InterruptedException {
    try {
      if (paused) {
        signal(false);
      }
      synchronized (this) {
        stdin.close();
      }
    } catch (IOException e) {
      LOG.debug("{}: closing stdin: {}", id, e.toString());
    }
    if (!process.waitFor(2, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
