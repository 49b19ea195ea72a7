package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The laws every type obeys, written once. Each method is one property: it generates histories
 * (see {@link Script}), plays them, and asserts the law on what they produce, throwing an
 * {@link AssertionError} that names the seed and a replay command when it fails.
 */
public final class CrdtLaws<T extends Crdt<T>, O> {
  private static final int MAX_STEPS = 30;

  private final CrdtSpec<T, O> spec;
  private final Class<?> testClass;
  private final int shrinks;

  public CrdtLaws(CrdtSpec<T, O> spec, Class<?> testClass) {
    this(spec, testClass, Integer.getInteger("meld.props.shrinks", 200));
  }

  private CrdtLaws(CrdtSpec<T, O> spec, Class<?> testClass, int shrinks) {
    this.spec = spec;
    this.testClass = testClass;
    this.shrinks = shrinks;
  }

  /** The same laws, reporting the first failing example as found (for expected failures). */
  public CrdtLaws<T, O> withoutShrinking() {
    return new CrdtLaws<>(spec, testClass, 0);
  }

  private <A> void check(String law, Gen<A> gen, Consumer<A> property) {
    Props.check(testClass, law, gen, property, shrinks);
  }

  /** A history and a seed for the choices the law makes on its results (picks, orders). */
  record Case<O>(Script<O> script, long choices) {}

  private Gen<Case<O>> cases() {
    return Script.scripts(spec.ops(), MAX_STEPS)
        .zip(Generate.longRange(0, Long.MAX_VALUE), Case::new);
  }

  /** Every mutator returns a delta d with before.merge(d).equals(after) (checked while playing). */
  public void mutatorsReturnDeltas() {
    check("mutators return deltas", cases(), c -> Run.play(spec, c.script()));
  }

  /** a.merge(b).equals(b.merge(a)). */
  public void mergeIsCommutative() {
    check(
        "merge is commutative",
        cases(),
        c -> {
          List<T> abc = pick(c, 2);
          assertThat(join(abc.get(0), abc.get(1))).isEqualTo(join(abc.get(1), abc.get(0)));
        });
  }

  /** (a.merge(b)).merge(c).equals(a.merge(b.merge(c))). */
  public void mergeIsAssociative() {
    check(
        "merge is associative",
        cases(),
        c -> {
          List<T> s = pick(c, 3);
          assertThat(join(join(s.get(0), s.get(1)), s.get(2)))
              .isEqualTo(join(s.get(0), join(s.get(1), s.get(2))));
        });
  }

  /** a.merge(a).equals(a), and a.merge(b) absorbs b: (a.merge(b)).merge(b) equals a.merge(b). */
  public void mergeIsIdempotent() {
    check(
        "merge is idempotent",
        cases(),
        c -> {
          List<T> s = pick(c, 2);
          assertThat(join(s.get(0), s.get(0))).isEqualTo(s.get(0));
          T ab = join(s.get(0), s.get(1));
          assertThat(join(ab, s.get(1))).isEqualTo(ab);
        });
  }

  /**
   * merge is pure (neither input changes), mergeFrom changes its target into merge's result, and
   * mergeFrom returns true iff the target changed.
   */
  public void mergeFromAgreesWithMerge() {
    check(
        "mergeFrom agrees with merge",
        cases(),
        c -> {
          List<T> s = pick(c, 2);
          T a = s.get(0);
          T b = s.get(1);
          byte[] aBytes = spec.encode(a);
          byte[] bBytes = spec.encode(b);
          T merged = a.merge(b);
          assertThat(spec.encode(a)).as("merge left its receiver alone").isEqualTo(aBytes);
          assertThat(spec.encode(b)).as("merge left its argument alone").isEqualTo(bBytes);
          T target = a.copy();
          boolean changed = target.mergeFrom(b);
          assertThat(target).isEqualTo(merged);
          assertThat(changed).as("mergeFrom's result (true iff changed)").isEqualTo(!target.equals(a));
          assertThat(spec.encode(b)).as("mergeFrom left its argument alone").isEqualTo(bBytes);
        });
  }

  /**
   * Replicas that have seen the same operations converge, whatever the order, duplication or
   * grouping of the merges: each replica merging all others' states, in its own order, with
   * repeats, reaches the same state (and so the same bytes).
   */
  public void replicasConverge() {
    check(
        "replicas that saw the same operations converge",
        cases(),
        c -> {
          Run<T> run = Run.play(spec, c.script());
          Random random = new Random(c.choices());
          T first = null;
          for (T start : run.states()) {
            T state = start;
            for (T other : shuffledWithRepeats(run.states(), random)) {
              state = join(state, other);
            }
            if (first == null) {
              first = state;
            }
            assertThat(state).isEqualTo(first);
            assertThat(spec.encode(state)).isEqualTo(spec.encode(first));
            assertThat(state.hashCode()).isEqualTo(first.hashCode());
          }
          T grouped = treeJoin(shuffledWithRepeats(run.states(), random), random);
          assertThat(grouped).as("grouped differently").isEqualTo(first);
        });
  }

  /** Merging every delta, in any order, with repeats, equals merging every full state. */
  public void deltasEqualFullStates() {
    check(
        "merging the deltas equals merging the full states",
        cases(),
        c -> {
          Run<T> run = Run.play(spec, c.script());
          Random random = new Random(c.choices());
          T fromStates = spec.empty();
          for (T state : run.states()) {
            fromStates = join(fromStates, state);
          }
          T fromDeltas = spec.empty();
          for (T delta : shuffledWithRepeats(run.deltas(), random)) {
            fromDeltas = join(fromDeltas, delta);
          }
          assertThat(fromDeltas).isEqualTo(fromStates);
        });
  }

  /**
   * Encoding round-trips (decode(encode(s)) equals s, and re-encodes to the same bytes), and is
   * canonical: equal states, however built, have equal bytes.
   */
  public void encodingRoundTripsAndIsCanonical() {
    check(
        "encode/decode round-trips and equal states encode equally",
        cases(),
        c -> {
          List<T> pool = Run.play(spec, c.script()).pool();
          for (T state : pool) {
            byte[] bytes = spec.encode(state);
            T decoded = spec.decode(bytes);
            assertThat(decoded).isEqualTo(state);
            assertThat(spec.encode(decoded)).isEqualTo(bytes);
            assertThat(spec.read(decoded)).isEqualTo(spec.read(state));
          }
          for (T a : pool) {
            for (T b : pool) {
              if (a.equals(b)) {
                assertThat(spec.encode(a)).isEqualTo(spec.encode(b));
                assertThat(a.hashCode()).isEqualTo(b.hashCode());
              }
            }
          }
        });
  }

  /** At a single replica, the type reads like its sequential model after every operation. */
  public void agreesWithSequentialModel() {
    check(
        "a single replica agrees with the sequential model",
        Script.sequential(spec.sequentialOps(), MAX_STEPS),
        script -> {
          T state = spec.empty();
          SequentialModel<O> model = spec.model();
          ReplicaId replica = script.replicas().get(0);
          for (Script.Step<O> step : script.steps()) {
            O op = ((Script.Op<O>) step).op();
            spec.apply(state, replica, op);
            model.apply(op);
            assertThat(spec.read(state)).as("after %s", op).isEqualTo(model.read());
          }
        });
  }

  private T join(T a, T b) {
    return spec.join(a, b);
  }

  /** {@code n} states drawn (with repeats) from a played history's states and deltas. */
  private List<T> pick(Case<O> c, int n) {
    List<T> pool = Run.play(spec, c.script()).pool();
    pool.add(spec.empty());
    Random random = new Random(c.choices());
    List<T> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(pool.get(random.nextInt(pool.size())));
    }
    return picked;
  }

  private static <X> List<X> shuffledWithRepeats(List<X> items, Random random) {
    List<X> out = new ArrayList<>(items);
    for (X item : items) {
      if (random.nextInt(3) == 0) {
        out.add(item);
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  /** Joins {@code items} as a random binary tree: a different grouping from a left fold. */
  private T treeJoin(List<T> items, Random random) {
    if (items.isEmpty()) {
      return spec.empty();
    }
    if (items.size() == 1) {
      return items.get(0);
    }
    int split = 1 + random.nextInt(items.size() - 1);
    return join(
        treeJoin(items.subList(0, split), random), treeJoin(items.subList(split, items.size()), random));
  }
}
