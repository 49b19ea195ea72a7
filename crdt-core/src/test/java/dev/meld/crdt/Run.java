package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Script} played out: the replicas' final states and every delta the operations made.
 * While playing, it checks after every operation that the returned delta is a delta: {@code
 * before.merge(delta).equals(after)}.
 */
public final class Run<T extends Crdt<T>> {
  final List<T> states = new ArrayList<>();
  final List<T> deltas = new ArrayList<>();

  private Run() {}

  /** Plays {@code script}; merges between replicas use {@link CrdtSpec#join}. */
  public static <T extends Crdt<T>, O> Run<T> play(CrdtSpec<T, O> spec, Script<O> script) {
    Run<T> run = new Run<>();
    for (int i = 0; i < script.replicas().size(); i++) {
      run.states.add(spec.empty());
    }
    for (Script.Step<O> step : script.steps()) {
      if (step instanceof Script.Op<O> op) {
        T state = run.states.get(op.at());
        T before = state.copy();
        T delta = spec.apply(state, script.replicas().get(op.at()), op.op());
        assertThat(before.merge(delta))
            .as("before.merge(delta) equals after, for %s on %s", op, before)
            .isEqualTo(state);
        run.deltas.add(delta.copy());
      } else if (step instanceof Script.Merge<O> merge) {
        run.states.set(
            merge.to(), spec.join(run.states.get(merge.to()), run.states.get(merge.from())));
      } else if (step instanceof Script.Deliver<O> deliver && !run.deltas.isEmpty()) {
        T delta = run.deltas.get(deliver.pick() % run.deltas.size());
        run.states.set(deliver.to(), spec.join(run.states.get(deliver.to()), delta));
      }
    }
    return run;
  }

  /** Every replica state and every delta: the states the merge laws draw from. */
  public List<T> pool() {
    List<T> pool = new ArrayList<>(states);
    pool.addAll(deltas);
    return pool;
  }

  public List<T> states() {
    return states;
  }

  public List<T> deltas() {
    return deltas;
  }
}
