package dev.meld.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Starts a {@link LocalNode}'s process (with libfaketime preloaded when clock faults are on), waits
 * for it to be ready, and stops it gracefully, checking its exit code and what it logged about its
 * drain.
 */
final class NodeLauncher {

  private final LocalClusterConfig config;
  private final AdminHttp admin;
  private final Map<String, Map<String, InetSocketAddress>> seeds = new LinkedHashMap<>();

  NodeLauncher(LocalClusterConfig config, AdminHttp admin) {
    this.config = config;
    this.admin = admin;
  }

  /** The members {@code node} starts from (name to mesh address), kept for its restarts. */
  void seeds(String node, Map<String, InetSocketAddress> members) {
    seeds.put(node, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members)));
  }

  void launch(LocalNode n) throws IOException {
    Map<String, InetSocketAddress> from = seeds.get(n.name());
    if (from == null) {
      throw new IllegalStateException(
          "node " + n.name() + ": no seeds (expected: set before start)");
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (config.faketime().isPresent()) {
      if (!Files.exists(n.clockFile())) {
        Files.createDirectories(n.clockFile().getParent());
        Faketime.writeOffset(n.clockFile(), Duration.ZERO);
      }
      env.putAll(Faketime.environment(config.faketime().get(), n.clockFile()));
    }
    n.start(n.command(config, new LinkedHashMap<>(from)), env);
  }

  /** Waits (bounded) until {@code /ready} answers 200 and {@code /health} answers. */
  String awaitReady(LocalNode n) throws Exception {
    ChildProcess p = n.process().orElseThrow();
    OptionalLong incarnation =
        admin.awaitReady(n.name(), n.admin(), config.readyTimeout(), p::alive);
    if (incarnation.isEmpty()) {
      String why =
          p.alive()
              ? "not ready within " + config.readyTimeout()
              : "exited with code " + p.exitCode().orElse(-1);
      throw new NotVerified(
          "node "
              + n.name()
              + " (pid "
              + p.pid()
              + ") "
              + why
              + "; log "
              + n.log()
              + " ends: "
              + DrainLog.tail(n.log(), 5));
    }
    return "pid " + p.pid() + " ready, incarnation " + incarnation.getAsLong();
  }

  /**
   * SIGTERM, then waits for the exit; verified when the exit code is 0 and the log says the drain
   * completed. A node that does not exit in time is killed.
   */
  String stopGracefully(LocalNode n, String how) throws Exception {
    ChildProcess p = n.process().orElseThrow();
    Optional<Integer> exit = p.terminate(config.stopTimeout());
    n.state(NodeState.DOWN);
    if (exit.isEmpty()) {
      p.kill();
      throw new NotVerified(
          how + " pid " + p.pid() + ": no exit within " + config.stopTimeout() + " (killed)");
    }
    Optional<String> drain = DrainLog.result(n.currentRunLog());
    String detail =
        how
            + " pid "
            + p.pid()
            + ": exit code "
            + exit.get()
            + ", drain "
            + drain.orElse("not reported in the log");
    NotVerified.check(exit.get() == 0 && drain.map(DrainLog::completed).orElse(false), detail);
    return detail;
  }
}
