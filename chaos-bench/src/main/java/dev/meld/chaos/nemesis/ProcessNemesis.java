package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Faults on node processes, each undone by its inverse: SIGKILL then restart (data kept), SIGSTOP
 * then SIGCONT, SIGTERM (graceful drain) then restart.
 */
public final class ProcessNemesis implements Nemesis {

  /** The process faults. */
  public enum Mode {
    /** {@code kill} / {@code start}: SIGKILL, then start on the same data. */
    KILL("kill", "start", FaultKind.KILL, FaultKind.RESTART, Cluster::kill, Cluster::restart),
    /** {@code pause} / {@code resume}: SIGSTOP, then SIGCONT. */
    PAUSE("pause", "resume", FaultKind.PAUSE, FaultKind.RESUME, Cluster::pause, Cluster::resume),
    /** {@code start-terminate} / {@code stop-terminate}: SIGTERM (drain, exit 0), then start. */
    TERMINATE(
        "start-terminate",
        "stop-terminate",
        FaultKind.TERMINATE,
        FaultKind.RESTART,
        Cluster::terminate,
        Cluster::restart);

    private final String startF;
    private final String stopF;
    private final Set<FaultKind> needs;
    private final BiFunction<Cluster, String, FaultReceipt> fault;
    private final BiFunction<Cluster, String, FaultReceipt> undo;

    Mode(
        String startF,
        String stopF,
        FaultKind faultKind,
        FaultKind undoKind,
        BiFunction<Cluster, String, FaultReceipt> fault,
        BiFunction<Cluster, String, FaultReceipt> undo) {
      this.startF = startF;
      this.stopF = stopF;
      this.needs = Set.of(faultKind, undoKind);
      this.fault = fault;
      this.undo = undo;
    }
  }

  private final String name;
  private final Mode mode;
  private final Targets targets;
  private final List<String> aimed;
  private final List<String> affected = new ArrayList<>();
  private int rounds;

  public ProcessNemesis(String name, Mode mode, Targets targets) {
    this(name, mode, targets, List.of());
  }

  private ProcessNemesis(String name, Mode mode, Targets targets, List<String> aimed) {
    this.name = name;
    this.mode = mode;
    this.targets = targets;
    this.aimed = List.copyOf(aimed);
  }

  /** The same fault on exactly {@code nodes} every time, instead of a seeded choice. */
  public ProcessNemesis aimedAt(List<String> nodes) {
    return new ProcessNemesis(name, mode, targets, Targets.require(nodes));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return mode.needs;
  }

  @Override
  public synchronized NemesisEvent start(Cluster cluster, Random random) {
    if (!affected.isEmpty()) {
      throw new IllegalStateException(
          name + ": started on " + affected + " (expected: stopped before it starts again)");
    }
    List<String> picked =
        aimed.isEmpty()
            ? targets.pick(cluster.nodes(), random, rounds++)
            : Targets.members(aimed, cluster.nodes());
    List<FaultReceipt> receipts = new ArrayList<>();
    for (String node : picked) {
      receipts.add(mode.fault.apply(cluster, node));
      affected.add(node);
    }
    return new NemesisEvent(mode.startF, picked, receipts);
  }

  @Override
  public synchronized NemesisEvent stop(Cluster cluster) {
    List<String> undone = List.copyOf(affected);
    List<FaultReceipt> receipts = new ArrayList<>();
    for (String node : undone) {
      receipts.add(mode.undo.apply(cluster, node));
    }
    affected.clear();
    return new NemesisEvent(mode.stopF, undone, receipts);
  }
}
