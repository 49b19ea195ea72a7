package dev.meld.crdt;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * A generated history: operations at 1-8 replicas, interleaved with full-state merges between
 * replicas and deliveries of earlier deltas (so deltas arrive late, out of order and twice).
 *
 * @param replicas the replica ids, by index
 * @param steps what happens, in order
 */
public record Script<O>(List<ReplicaId> replicas, List<Script.Step<O>> steps) {
  /** One step of a history. */
  public sealed interface Step<O> permits Op, Merge, Deliver {}

  /** Replica {@code at} performs {@code op}. */
  public record Op<O>(int at, O op) implements Step<O> {
    @Override
    public String toString() {
      return "r" + at + "." + op;
    }
  }

  /** Replica {@code to} merges the full state of replica {@code from}. */
  public record Merge<O>(int from, int to) implements Step<O> {
    @Override
    public String toString() {
      return "r" + from + "->r" + to;
    }
  }

  /** Replica {@code to} merges delta number {@code pick} modulo the deltas made so far. */
  public record Deliver<O>(int pick, int to) implements Step<O> {
    @Override
    public String toString() {
      return "delta" + pick + "->r" + to;
    }
  }

  /** Histories over 1-8 replicas and up to {@code maxSteps} steps. */
  public static <O> Gen<Script<O>> scripts(Gen<O> ops, int maxSteps) {
    return Generate.range(1, 8)
        .flatMap(
            n ->
                SourceDSL.lists()
                    .of(step(ops, n))
                    .ofSizeBetween(0, maxSteps)
                    .map(steps -> new Script<>(replicaIds(n), steps)));
  }

  /** Histories at one replica: operations only. */
  public static <O> Gen<Script<O>> sequential(Gen<O> ops, int maxSteps) {
    return SourceDSL.lists()
        .of(ops.map(op -> (Step<O>) new Op<>(0, op)))
        .ofSizeBetween(0, maxSteps)
        .map(steps -> new Script<>(replicaIds(1), steps));
  }

  /** Replica i is node "n{i}"; odd ones run a later incarnation, to mix both into the order. */
  static List<ReplicaId> replicaIds(int n) {
    List<ReplicaId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(new ReplicaId("n" + i, i % 2));
    }
    return ids;
  }

  private static <O> Gen<Step<O>> step(Gen<O> ops, int n) {
    Gen<Integer> replica = Generate.range(0, n - 1);
    Gen<Step<O>> op = replica.zip(ops, (at, o) -> new Op<>(at, o));
    Gen<Step<O>> merge = replica.zip(replica, (from, to) -> new Merge<>(from, to));
    Gen<Step<O>> deliver = Generate.range(0, 64).zip(replica, (pick, to) -> new Deliver<>(pick, to));
    return Generate.frequency(Pair.of(5, op), Pair.of(2, merge), Pair.of(2, deliver));
  }

  @Override
  public String toString() {
    return replicas.size() + " replicas: " + steps;
  }
}
