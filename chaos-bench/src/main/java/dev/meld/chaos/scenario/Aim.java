package dev.meld.chaos.scenario;

import dev.meld.chaos.cluster.NodeCopies;
import java.util.List;
import java.util.Objects;

/**
 * What a timeline step's fault hits, when the file says: {@code targets} (the nodes a process,
 * link, clock, wipe, backup or restore step hits; for a partition, one side against the rest) or
 * {@code sides} (a partition's components, each hearing only itself), and for a backup or restore
 * the {@code copy} it takes or puts back. With no nodes, the nemesis makes its seeded choice as
 * before.
 *
 * @param targets node names, or empty
 * @param sides a partition's components, or empty
 * @param copy the name of a backup ({@link NodeCopies#requireName}), or "" for every other step
 */
public record Aim(List<String> targets, List<List<String>> sides, String copy) {

  /** No aim: the seeded choice. */
  public static final Aim NONE = new Aim(List.of(), List.of(), "");

  public Aim {
    targets = List.copyOf(targets);
    sides = sides.stream().map(List::copyOf).toList();
    Objects.requireNonNull(copy, "copy");
    if (!targets.isEmpty() && !sides.isEmpty()) {
      throw new IllegalArgumentException(
          "targets: " + targets + ", sides: " + sides + " (expected: one of them, not both)");
    }
    if (!copy.isEmpty()) {
      NodeCopies.requireName(copy);
      if (targets.isEmpty()) {
        throw new IllegalArgumentException(
            "copy: \"" + copy + "\" with targets: [] (expected: the nodes whose copy it is)");
      }
    }
  }

  /** Aimed at these nodes. */
  public static Aim targets(List<String> nodes) {
    return new Aim(nodes, List.of(), "");
  }

  /** A partition into these components. */
  public static Aim sides(List<List<String>> components) {
    return new Aim(List.of(), components, "");
  }

  /** The backup named {@code copy} of each of these nodes (to take, or to put back). */
  public static Aim copy(List<String> nodes, String copy) {
    return new Aim(nodes, List.of(), copy);
  }

  /** True when the step names no nodes. */
  public boolean none() {
    return targets.isEmpty() && sides.isEmpty();
  }

  @Override
  public String toString() {
    if (none()) {
      return "";
    }
    String nodes = !targets.isEmpty() ? "targets " + targets : "sides " + sides;
    return copy.isEmpty() ? nodes : nodes + " copy " + copy;
  }
}
