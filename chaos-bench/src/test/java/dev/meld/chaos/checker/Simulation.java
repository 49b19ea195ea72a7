package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Generates histories of concurrent clients against a correct, linearizable counter or set, with
 * failures and indeterminate ops: the histories every checker must accept.
 *
 * <p>Each operation takes effect at one random step between its invocation and completion. A failed
 * one never does. One completed {@code info} takes effect before its completion, later (at any step
 * up to the end), or never. After the last step every process issues a {@code final-read}, one
 * after another.
 */
final class Simulation {

  enum Kind {
    COUNTER,
    PN_COUNTER,
    SET,
    SET_WITH_REMOVES
  }

  private final Random random;
  private final Kind kind;
  private final int processes;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Long, Running> running = new HashMap<>();
  private final List<Running> late = new ArrayList<>();
  private long counter;
  private final TreeSet<Long> set = new TreeSet<>();
  private long nextElement;

  private static final class Running {
    final Op invocation;
    final OpType outcome;
    boolean applied;
    Object result;

    Running(Op invocation, OpType outcome) {
      this.invocation = invocation;
      this.outcome = outcome;
    }
  }

  private Simulation(Random random, Kind kind, int processes) {
    this.random = random;
    this.kind = kind;
    this.processes = processes;
  }

  /** A history of about {@code steps} events by {@code processes} clients. */
  static History run(Kind kind, long seed, int processes, int steps) {
    Simulation s = new Simulation(new Random(seed), kind, processes);
    for (int i = 0; i < steps; i++) {
      s.step();
    }
    s.finish();
    return History.of(s.ops);
  }

  private void step() {
    int choice = random.nextInt(4);
    List<Long> idle = new ArrayList<>();
    for (long p = 0; p < processes; p++) {
      if (!running.containsKey(p)) {
        idle.add(p);
      }
    }
    if (choice == 0 && !idle.isEmpty()) {
      invoke(idle.get(random.nextInt(idle.size())));
    } else if (choice == 1 && !running.isEmpty()) {
      Running r = pick(new ArrayList<>(running.values()));
      if (r.outcome != OpType.FAIL && !r.applied) {
        apply(r);
      }
    } else if (choice == 2 && !running.isEmpty()) {
      complete(pick(new ArrayList<>(running.values())));
    } else if (choice == 3 && !late.isEmpty()) {
      apply(late.remove(random.nextInt(late.size())));
    }
  }

  private Running pick(List<Running> list) {
    list.sort((a, b) -> Long.compare(a.invocation.index(), b.invocation.index()));
    return list.get(random.nextInt(list.size()));
  }

  private void invoke(long process) {
    String f;
    Object value = null;
    boolean read = random.nextInt(3) == 0;
    if (read) {
      f = "read";
    } else if (kind == Kind.COUNTER || kind == Kind.PN_COUNTER) {
      f = "add";
      long magnitude = 1 + random.nextInt(5);
      value = kind == Kind.PN_COUNTER && random.nextBoolean() ? -magnitude : magnitude;
    } else if (kind == Kind.SET) {
      f = "add";
      value = nextElement++;
    } else {
      f = random.nextInt(3) == 0 ? "remove" : "add";
      value = (long) random.nextInt(6);
    }
    int roll = random.nextInt(10);
    OpType outcome = roll < 7 ? OpType.OK : roll < 9 ? OpType.INFO : OpType.FAIL;
    Op inv = record(OpType.INVOKE, process, f, value);
    running.put(process, new Running(inv, outcome));
  }

  private void apply(Running r) {
    r.applied = true;
    Op inv = r.invocation;
    if (inv.f().equals("read")) {
      r.result =
          kind == Kind.COUNTER || kind == Kind.PN_COUNTER ? (Object) counter : new ArrayList<>(set);
    } else if (inv.f().equals("remove")) {
      set.remove((Long) inv.value());
    } else if (kind == Kind.COUNTER || kind == Kind.PN_COUNTER) {
      counter += (Long) inv.value();
    } else {
      set.add((Long) inv.value());
    }
  }

  private void complete(Running r) {
    running.remove((Long) r.invocation.process());
    Op inv = r.invocation;
    boolean isRead = inv.f().equals("read");
    if (r.outcome == OpType.OK) {
      if (!r.applied) {
        apply(r);
      }
      record(OpType.OK, (Long) inv.process(), inv.f(), isRead ? r.result : inv.value());
    } else if (r.outcome == OpType.FAIL) {
      record(OpType.FAIL, (Long) inv.process(), inv.f(), inv.value());
    } else {
      if (!r.applied && !isRead && random.nextBoolean()) {
        late.add(r);
      }
      record(OpType.INFO, (Long) inv.process(), inv.f(), isRead ? null : inv.value());
    }
  }

  private void finish() {
    while (!running.isEmpty()) {
      complete(pick(new ArrayList<>(running.values())));
    }
    for (Running r : late) {
      if (random.nextBoolean()) {
        apply(r);
      }
    }
    late.clear();
    for (long p = 0; p < processes; p++) {
      record(OpType.INVOKE, p, "final-read", null);
      Object state =
          kind == Kind.COUNTER || kind == Kind.PN_COUNTER ? (Object) counter : new ArrayList<>(set);
      record(OpType.OK, p, "final-read", state);
    }
  }

  private Op record(OpType type, long process, String f, Object value) {
    Op op = new Op(ops.size(), ops.size() * 1000L, type, process, f, value);
    ops.add(op);
    return op;
  }

  /** The history with the op at {@code position} given another value. */
  static History withValue(History h, int position, Object value) {
    List<Op> ops = new ArrayList<>(h.ops());
    ops.set(position, ops.get(position).withValue(value));
    return History.of(ops);
  }
}
