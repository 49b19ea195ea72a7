package dev.meld.chaos.scenario;

import java.util.List;

/**
 * Which nodes a timeline step's fault hits, when the file names them: {@code targets} (the nodes
 * a process, link, clock or wipe fault hits; for a partition, one side against the rest) or {@code
 * sides} (a partition's components, each hearing only itself). With neither, the nemesis makes its
 * seeded choice as before.
 *
 * @param targets node names, or empty
 * @param sides a partition's components, or empty
 */
public record Aim(List<String> targets, List<List<String>> sides) {

  /** No aim: the seeded choice. */
  public static final Aim NONE = new Aim(List.of(), List.of());

  public Aim {
    targets = List.copyOf(targets);
    sides = sides.stream().map(List::copyOf).toList();
    if (!targets.isEmpty() && !sides.isEmpty()) {
      throw new IllegalArgumentException(
          "targets: " + targets + ", sides: " + sides + " (expected: one of them, not both)");
    }
  }

  /** Aimed at these nodes. */
  public static Aim targets(List<String> nodes) {
    return new Aim(nodes, List.of());
  }

  /** A partition into these components. */
  public static Aim sides(List<List<String>> components) {
    return new Aim(List.of(), components);
  }

  /** True when the step names no nodes. */
  public boolean none() {
    return targets.isEmpty() && sides.isEmpty();
  }

  @Override
  public String toString() {
    return none() ? "" : !targets.isEmpty() ? "targets " + targets : "sides " + sides;
  }
}
