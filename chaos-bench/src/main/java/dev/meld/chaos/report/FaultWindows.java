package dev.meld.chaos.report;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Derives the fault windows of a run from its history's nemesis ops. */
public final class FaultWindows {

  /*
   * The pairing rule.
   *
   * A nemesis op is any op whose process is not a client (normally "nemesis"). Jepsen's nemesis
   * logs an invoke and then an info for each action; ours may log a lone info. Either way one
   * action is one *event* that begins at the invoke (or the lone info) and ends at the completion.
   * Events named check-* (Jepsen's check-clock-offsets) measure rather than inject and are skipped.
   *
   * Each f is a start, a stop or a one-off:
   *
   *   start            stop            kind
   *   start-X          stop-X          X   (start-partition/stop-partition: "partition")
   *   kill             start           kill
   *   pause            resume          pause
   *   bump-clock       reset-clock     clock
   *   anything else (wipe, strobe-clock, leave ...)   one-off: its own window, kind = f
   *                                                    (strobe-clock is of kind "clock")
   *
   * A start opens a window at its event's beginning. A stop closes, at its event's end, every open
   * window of its kind that shares a target with it; a stop that names no target, or a start that
   * named none, matches any of its kind. A stop that closes nothing is ignored. A window still open when the history
   * ends has no end (it is shaded to the end of the run). So the shading runs from the moment the
   * nemesis began to inject a fault to the moment it had certainly ended it: the widest span in
   * which the fault may have been in effect.
   *
   * Targets are the scenario's node names found anywhere in an op's value (strings, list items,
   * map keys and values), in the scenario's node order; with no node list, every string.
   *
   * Worked example, nodes n1..n3:
   *
   *   t=1s  invoke kill ["n1"]      t=1.2s info kill ["n1"]        -> kill n1 opens at 1 s
   *   t=2s  info kill "n2"                                        -> kill n2 opens at 2 s
   *   t=4s  info start "n1"                                       -> kill n1 closes at 4 s
   *   t=5s  info start-partition {"n3":["n1","n2"]}               -> partition n1 n2 n3 opens
   *   t=7s  info stop-partition null                              -> partition closes at 7 s
   *   end of history                                              -> kill n2 has no end
   *
   * Verification: an event whose completion is a fail did not take effect; otherwise its
   * completion's extra "verified" (true or false) says whether the nemesis confirmed it, and
   * "verify-detail" (or "error") says why. A window is verified false when its start or its stop
   * was, true when its start was, and null (not checked) otherwise.
   */

  private static final Map<String, String> KIND_OF_START =
      Map.of("kill", "kill", "pause", "pause", "bump-clock", "clock");
  private static final Map<String, String> KIND_OF_STOP =
      Map.of("start", "kill", "resume", "pause", "reset-clock", "clock");
  private static final Map<String, String> KIND_OF_ONE_OFF = Map.of("strobe-clock", "clock");

  private FaultWindows() {}

  /**
   * The fault windows of a history, ordered by start time, then history index.
   *
   * @param nodes the scenario's node names, used to find targets; empty to take every string
   */
  public static List<FaultWindow> of(History history, Collection<String> nodes) {
    List<String> nodeOrder = List.copyOf(new LinkedHashSet<>(nodes));
    List<FaultWindow> done = new ArrayList<>();
    List<Open> open = new ArrayList<>();
    Map<Object, Op> invoked = new HashMap<>();
    for (Op op : history) {
      if (op.isClient() || op.f().startsWith("check-")) {
        continue;
      }
      if (op.isInvoke()) {
        invoked.put(op.process(), op);
        continue;
      }
      Op invocation = invoked.remove(op.process());
      handle(Event.of(invocation, op, nodeOrder), open, done);
    }
    for (Op neverCompleted : invoked.values()) {
      handle(Event.of(neverCompleted, null, nodeOrder), open, done);
    }
    for (Open o : open) {
      done.add(o.window(null, null));
    }
    done.sort(
        Comparator.comparingLong(FaultWindow::startNs).thenComparingLong(FaultWindow::startIndex));
    return List.copyOf(done);
  }

  private static void handle(Event e, List<Open> open, List<FaultWindow> done) {
    String f = e.f;
    String startKind =
        KIND_OF_START.getOrDefault(f, f.startsWith("start-") ? f.substring(6) : null);
    if (startKind != null && !startKind.isEmpty()) {
      open.add(new Open(startKind, e));
      return;
    }
    String stopKind = KIND_OF_STOP.getOrDefault(f, f.startsWith("stop-") ? f.substring(5) : null);
    if (stopKind != null && !stopKind.isEmpty()) {
      for (Iterator<Open> it = open.iterator(); it.hasNext(); ) {
        Open o = it.next();
        if (o.kind.equals(stopKind) && e.closes(o.start)) {
          done.add(o.window(e, f));
          it.remove();
        }
      }
      return;
    }
    done.add(new Open(KIND_OF_ONE_OFF.getOrDefault(f, f), e).window(e, null));
  }

  private record Open(String kind, Event start) {

    FaultWindow window(Event stop, String stopF) {
      Long end = stop == null ? null : stop.endNs;
      if (stop == start) {
        end = start.endNs == null ? start.beginNs : start.endNs;
      }
      Boolean verified = start.verified;
      String detail = start.detail;
      if (stop != null && stop != start) {
        if (Boolean.FALSE.equals(stop.verified)) {
          verified = false;
        }
        if (stop.detail != null) {
          String stopSaid = stop.f + ": " + stop.detail;
          detail = detail == null ? stopSaid : detail + "; " + stopSaid;
        }
      }
      return new FaultWindow(
          kind,
          start.f,
          stopF,
          start.index,
          start.beginNs,
          end == null ? null : Math.max(end, start.beginNs),
          start.targets,
          start.value,
          verified,
          detail);
    }
  }

  private static final class Event {
    final String f;
    final long index;
    final long beginNs;
    final Long endNs;
    final Object value;
    final List<String> targets;
    final Boolean verified;
    final String detail;

    private Event(
        Op first,
        Op completion,
        Object value,
        List<String> targets,
        Boolean verified,
        String detail) {
      this.f = first.f();
      this.index = first.index();
      this.beginNs = first.time();
      this.endNs = completion == null ? null : completion.time();
      this.value = value;
      this.targets = targets;
      this.verified = verified;
      this.detail = detail;
    }

    static Event of(Op invocation, Op completion, List<String> nodes) {
      Op first = invocation != null ? invocation : completion;
      Object value =
          completion != null && completion.value() != null ? completion.value() : first.value();
      Boolean verified = null;
      String detail = null;
      if (completion == null) {
        detail = "the nemesis op never completed";
      } else {
        Object error = completion.extra("error");
        Object said = completion.extra("verify-detail");
        detail = said != null ? text(said) : error != null ? text(error) : null;
        if (completion.type() == OpType.FAIL) {
          verified = false;
          detail = detail == null ? "the nemesis op failed" : detail;
        } else if (completion.extra("verified") instanceof Boolean) {
          verified = (Boolean) completion.extra("verified");
        }
      }
      return new Event(first, completion, value, targets(value, nodes), verified, detail);
    }

    boolean closes(Event start) {
      if (targets.isEmpty() || start.targets.isEmpty()) {
        return true;
      }
      for (String t : start.targets) {
        if (targets.contains(t)) {
          return true;
        }
      }
      return false;
    }
  }

  private static String text(Object o) {
    return o instanceof String ? (String) o : Values.render(o);
  }

  /** The node names in a value, in node order (every string, sorted, when nodes is empty). */
  static List<String> targets(Object value, List<String> nodes) {
    Set<String> found = new TreeSet<>();
    collect(value, found);
    if (nodes.isEmpty()) {
      return List.copyOf(found);
    }
    List<String> inOrder = new ArrayList<>();
    for (String n : nodes) {
      if (found.contains(n)) {
        inOrder.add(n);
      }
    }
    return inOrder;
  }

  private static void collect(Object value, Set<String> into) {
    if (value instanceof String) {
      into.add((String) value);
    } else if (value instanceof List) {
      for (Object item : (List<?>) value) {
        collect(item, into);
      }
    } else if (value instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        into.add((String) e.getKey());
        collect(e.getValue(), into);
      }
    }
  }
}
