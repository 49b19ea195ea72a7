package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.workload.Workload;
import java.time.Duration;
import java.util.List;

/**
 * Before a fault that destroys a node's data (a wipe; a restore, which loses what the node
 * acknowledged after its backup): holds the clients and waits until no request is in flight and
 * every node's replication backlog is empty, so the fault destroys only data the other nodes also
 * hold. Without it a wipe could rightly lose writes acknowledged just before, and the checkers
 * would report a loss that is no bug. Afterwards it tells the workload which nodes lost their data
 * and lets the clients go on.
 */
public final class DrainBeforeDataLoss implements NemesisActions.DataLoss {

  /** The clients the drain holds. */
  public interface Clients {
    /** Holds every client; true if none had a request in flight after {@code timeout}. */
    boolean pause(Duration timeout) throws InterruptedException;

    /** Lets them go on. */
    void resume();
  }

  static final long DRAIN_MILLIS = 30_000;
  private static final long POLL_MILLIS = 50;

  private final Cluster cluster;
  private final Clients clients;
  private final Workload workload;
  private final RunTime time;

  public DrainBeforeDataLoss(Cluster cluster, Clients clients, Workload workload, RunTime time) {
    this.cluster = cluster;
    this.clients = clients;
    this.workload = workload;
    this.time = time;
  }

  @Override
  public String prepare() {
    try {
      if (!clients.pause(Duration.ofSeconds(10))) {
        return "client requests still in flight after 10 s";
      }
      String why = "not polled";
      long end = time.nanoTime() + DRAIN_MILLIS * 1_000_000;
      for (long polls = 0; polls <= DRAIN_MILLIS / POLL_MILLIS && time.nanoTime() < end; polls++) {
        why = backlog();
        if (why == null) {
          return null;
        }
        time.sleep(POLL_MILLIS);
      }
      return "replication did not drain in " + DRAIN_MILLIS / 1000 + " s: " + why;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String backlog() {
    for (String node : cluster.nodes()) {
      try {
        long backlog = cluster.health(node).totalBacklog();
        if (backlog > 0) {
          return node + " has a backlog of " + backlog;
        }
      } catch (NodeUnreachable e) {
        return e.getMessage();
      }
    }
    return null;
  }

  @Override
  public void done(List<String> targets) {
    targets.forEach(workload::nodeLostData);
    clients.resume();
  }
}
