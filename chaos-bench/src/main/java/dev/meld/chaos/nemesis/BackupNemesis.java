package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.NodeCopies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Backups as a scenario step ({@code backup} or {@code restore}, one op each): a backup takes the
 * copy of each named node's data directory ({@link Cluster#backup}), a restore puts it back
 * ({@link Cluster#restore}), one node at a time so the others keep serving. It only acts as a
 * timeline step aims it, at named nodes and a named copy: a restore must find the backup it follows,
 * which a seeded choice of targets could not promise. Nothing is left to stop.
 */
public final class BackupNemesis implements Nemesis {

  /** Which half. */
  public enum Mode {
    BACKUP("backup", FaultKind.BACKUP),
    RESTORE("restore", FaultKind.RESTORE);

    private final String f;
    private final FaultKind kind;

    Mode(String f, FaultKind kind) {
      this.f = f;
      this.kind = kind;
    }
  }

  private final Mode mode;
  private final List<String> aimed;
  private final String copy;

  private BackupNemesis(Mode mode, List<String> aimed, String copy) {
    this.mode = mode;
    this.aimed = List.copyOf(aimed);
    this.copy = copy;
  }

  /** Not yet aimed: {@link #aimedAt} says at what. */
  public BackupNemesis(Mode mode) {
    this(mode, List.of(), "");
  }

  /** Takes (or puts back) the copy named {@code copy} of each of {@code nodes}. */
  public BackupNemesis aimedAt(List<String> nodes, String copy) {
    return new BackupNemesis(mode, Targets.require(nodes), NodeCopies.requireName(copy));
  }

  @Override
  public String name() {
    return mode.f;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(mode.kind);
  }

  @Override
  public NemesisEvent start(Cluster cluster, Random random) {
    if (aimed.isEmpty()) {
      throw new IllegalStateException(
          mode.f + ": no targets (expected: a timeline step naming the nodes and the copy)");
    }
    List<String> nodes = Targets.members(aimed, cluster.nodes());
    List<FaultReceipt> receipts = new ArrayList<>();
    for (String node : nodes) {
      receipts.add(mode == Mode.BACKUP ? cluster.backup(node, copy) : cluster.restore(node, copy));
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("nodes", nodes);
    value.put("copy", copy);
    return new NemesisEvent(mode.f, value, receipts);
  }

  @Override
  public NemesisEvent stop(Cluster cluster) {
    return new NemesisEvent(mode.f + "-done", null, List.of());
  }
}
