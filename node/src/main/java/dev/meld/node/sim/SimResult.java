package dev.meld.node.sim;

import dev.meld.node.Misbehavior;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outcome of one seeded run.
 *
 * @param scenario what was run
 * @param misbehaviors the deliberate bugs switched on
 * @param violations what went wrong (empty: the run passed)
 * @param fingerprint the trace fingerprint: equal for two runs of one seed
 * @param events events run
 * @param ops history ops recorded
 * @param settledAtMillis virtual time when the cluster was quiet after the heal, or -1 if never
 */
public record SimResult(
    Scenario scenario,
    Set<Misbehavior> misbehaviors,
    List<Violation> violations,
    long fingerprint,
    long events,
    long ops,
    long settledAtMillis) {

  public SimResult {
    misbehaviors = Set.copyOf(misbehaviors);
    violations = List.copyOf(violations);
  }

  public boolean passed() {
    return violations.isEmpty();
  }

  /** Whether some violation is of {@code kind}. */
  public boolean has(Violation.Kind kind) {
    return violations.stream().anyMatch(v -> v.kind() == kind);
  }

  /** The one-line command that replays this seed with a full trace. */
  public String replayCommand() {
    String broken =
        misbehaviors.isEmpty()
            ? ""
            : " -Dmeld.sim.misbehaviors="
                + misbehaviors.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    return "mvn -B -q -pl node -am verify -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Dmeld.sim.seed="
        + scenario.seed()
        + broken
        + " -Dmeld.sim.trace=true";
  }

  /** A report: the scenario, every violation with its ops, and the replay command. */
  public String report() {
    StringBuilder text = new StringBuilder();
    text.append(passed() ? "PASSED " : "FAILED ").append(scenario);
    if (!misbehaviors.isEmpty()) {
      text.append(", misbehaviors ").append(misbehaviors);
    }
    text.append(
        String.format(" (fingerprint %016x, %d events, %d ops)%n", fingerprint, events, ops));
    for (Violation violation : violations) {
      text.append("  ").append(violation).append('\n');
    }
    if (!passed()) {
      text.append("  replay: ").append(replayCommand()).append('\n');
    }
    return text.toString();
  }
}
