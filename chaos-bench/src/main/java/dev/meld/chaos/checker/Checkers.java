package dev.meld.chaos.checker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The checkers by name, as the {@code check} command and scenarios refer to them. */
public final class Checkers {

  private record Entry(String description, Supplier<Checker> factory) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    register(
        "counter",
        "Jepsen's grow-only counter: every read within its bounds",
        CounterChecker::counter);
    register(
        "pn-counter",
        "counter with decrements: every read within its bounds",
        CounterChecker::pnCounter);
    register(
        "pn-counter-final",
        "Maelstrom's check: final reads = ok adds + a subset of indeterminate adds",
        () -> new PnCounterFinalChecker(PnCounterFinalChecker.DEFAULT_MAX_RANGES));
    register(
        "set",
        "Jepsen's set: the last read holds every ok add and nothing unattempted",
        SetChecker::new);
    register(
        "set-full",
        "Jepsen's set-full: per-element stable/lost/never-read, latencies," + " duplicates",
        () -> new SetFullChecker(false));
    register(
        "set-full-kept",
        "set-full over the elements no remove was invoked for (sets with removes)",
        SetFullKeptChecker::new);
    register(
        "set-removes",
        "sets with removes: LOST, PHANTOM, DUPLICATE, RESURRECTED",
        SetRemovesChecker::new);
  }

  private Checkers() {}

  private static void register(String name, String description, Supplier<Checker> factory) {
    REGISTRY.put(name, new Entry(description, factory));
  }

  /** Every name, in a stable order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** A one-line description of a checker. */
  public static String describe(String name) {
    return entry(name).description();
  }

  /**
   * The checker of this name.
   *
   * @throws IllegalArgumentException naming the unknown name and the known ones
   */
  public static Checker named(String name) {
    return entry(name).factory().get();
  }

  /** The named checker, or for several names their {@link Compose}. */
  public static Checker of(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("checkers: none (expected: at least one name)");
    }
    if (names.size() == 1) {
      return named(names.get(0));
    }
    Map<String, Checker> checkers = new LinkedHashMap<>();
    for (String name : names) {
      checkers.put(name, named(name));
    }
    return new Compose(checkers);
  }

  private static Entry entry(String name) {
    Entry e = REGISTRY.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "checker: \"" + name + "\" (expected: one of " + String.join(", ", names()) + ")");
    }
    return e;
  }
}
