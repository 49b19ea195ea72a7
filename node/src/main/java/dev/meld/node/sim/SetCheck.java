package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The set rules for one key of an add-wins observed-remove set. A remove deletes only the adds its
 * node had observed, so the rules are stated in terms of what a remove could have seen.
 *
 * <ul>
 *   <li>PHANTOM: a read shows an element for which no add had been invoked before it completed.
 *   <li>DUPLICATE: a read lists an element twice.
 *   <li>LOST: a final read lacks an element with an acknowledged add that no remove can explain,
 *       i.e. every remove of it (that did not fail) completed before the add was invoked.
 *   <li>RESURRECTED: a final read shows an element after an acknowledged remove that had observed
 *       every add of it. Observation is proven from the history: every add that did not fail
 *       completed before the remove was invoked, and then either the remove's reply said the
 *       element was present and there was a single add; or, the reply not saying it was absent,
 *       each add was acknowledged by the remove's node, or (a single add) a read on that node
 *       showed the element before the remove was invoked, with the node's disk not wiped and no
 *       other remove of the element possibly run since that proof (it would have taken the adds
 *       first).
 * </ul>
 *
 * The brief's simpler wording ("an acknowledged remove invoked after every add completed") is not
 * sound for an observed-remove set: a remove sent to a node the add has not reached yet removes
 * nothing, correctly. The proof of observation above is what makes the rule checkable.
 */
final class SetCheck {

  private SetCheck() {}

  /**
   * @param wipes history index of each disk wipe, per node
   */
  static void check(
      String key, List<OpPair> ops, Map<String, List<Long>> wipes, List<Violation> out) {
    Map<String, List<OpPair>> adds = new TreeMap<>();
    Map<String, List<OpPair>> removes = new TreeMap<>();
    List<OpPair> reads = new ArrayList<>();
    List<OpPair> finals = new ArrayList<>();
    for (OpPair op : ops) {
      switch (op.f()) {
        case "add":
          adds.computeIfAbsent((String) op.invoke().value(), e -> new ArrayList<>()).add(op);
          break;
        case "remove":
          removes.computeIfAbsent((String) op.invoke().value(), e -> new ArrayList<>()).add(op);
          break;
        case "final-read":
          finals.add(op);
          reads.add(op);
          break;
        default:
          reads.add(op);
      }
    }
    for (OpPair read : reads) {
      checkRead(key, read, adds, out);
    }
    Set<String> reported = new HashSet<>();
    for (OpPair read : finals) {
      if (read.outcome() != SimOp.Type.OK) {
        continue;
      }
      Set<String> present = new HashSet<>(elements(read));
      for (Map.Entry<String, List<OpPair>> entry : adds.entrySet()) {
        String element = entry.getKey();
        List<OpPair> removesOf = removes.getOrDefault(element, List.of());
        if (!present.contains(element) && reported.add("lost " + element)) {
          lost(key, element, read, entry.getValue(), removesOf, out);
        } else if (present.contains(element) && reported.add("resurrected " + element)) {
          resurrected(key, element, read, entry.getValue(), removesOf, reads, wipes, out);
        }
      }
    }
  }

  private static void checkRead(
      String key, OpPair read, Map<String, List<OpPair>> adds, List<Violation> out) {
    if (read.outcome() != SimOp.Type.OK) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String element : elements(read)) {
      if (!seen.add(element)) {
        out.add(
            new Violation(
                Violation.Kind.DUPLICATE,
                key,
                "read on " + read.node() + " lists " + element + " twice",
                read.ops()));
      }
      boolean attempted = false;
      for (OpPair add : adds.getOrDefault(element, List.of())) {
        attempted |= add.start() < read.end();
      }
      if (!attempted) {
        out.add(
            new Violation(
                Violation.Kind.PHANTOM,
                key,
                "read on " + read.node() + " shows " + element + ", which no add had attempted",
                read.ops()));
      }
    }
  }

  private static void lost(
      String key,
      String element,
      OpPair read,
      List<OpPair> addsOf,
      List<OpPair> removesOf,
      List<Violation> out) {
    for (OpPair add : addsOf) {
      if (add.outcome() != SimOp.Type.OK) {
        continue;
      }
      boolean explained = false;
      for (OpPair remove : removesOf) {
        explained |= !remove.failed() && remove.end() > add.start();
      }
      if (!explained) {
        List<SimOp> shown = new ArrayList<>(add.ops());
        shown.addAll(read.ops());
        removesOf.forEach(r -> shown.addAll(r.ops()));
        out.add(
            new Violation(
                Violation.Kind.LOST,
                key,
                element
                    + " was acknowledged by "
                    + add.node()
                    + " and no remove could follow it, yet the final read on "
                    + read.node()
                    + " lacks it",
                shown));
        return;
      }
    }
  }

  private static void resurrected(
      String key,
      String element,
      OpPair read,
      List<OpPair> addsOf,
      List<OpPair> removesOf,
      List<OpPair> reads,
      Map<String, List<Long>> wipes,
      List<Violation> out) {
    List<OpPair> attempted = new ArrayList<>();
    for (OpPair add : addsOf) {
      if (!add.failed()) {
        attempted.add(add);
      }
    }
    for (OpPair remove : removesOf) {
      if (remove.outcome() != SimOp.Type.OK
          || !observedAll(remove, attempted, removesOf, reads, wipes)) {
        continue;
      }
      List<SimOp> shown = new ArrayList<>(remove.ops());
      attempted.forEach(a -> shown.addAll(a.ops()));
      shown.addAll(read.ops());
      out.add(
          new Violation(
              Violation.Kind.RESURRECTED,
              key,
              element
                  + " was removed on "
                  + remove.node()
                  + " after that node had observed every add of it, yet the final read on "
                  + read.node()
                  + " shows it",
              shown));
      return;
    }
  }

  private static boolean observedAll(
      OpPair remove,
      List<OpPair> adds,
      List<OpPair> removes,
      List<OpPair> reads,
      Map<String, List<Long>> wipes) {
    if (adds.isEmpty()) {
      return false;
    }
    for (OpPair add : adds) {
      if (add.end() >= remove.start()) {
        return false; // might have run after the remove
      }
    }
    if (remove.completion().value() instanceof Map<?, ?> reply
        && reply.get("present") instanceof Boolean present) {
      if (!present) {
        return false; // it removed nothing: whatever removed the adds first is responsible
      }
      if (adds.size() == 1) {
        return true;
      }
    }
    String node = remove.node();
    boolean eachAckedThere = true;
    for (OpPair add : adds) {
      eachAckedThere &=
          add.acknowledged() && add.node().equals(node) && undisturbed(add, remove, removes, wipes);
    }
    if (eachAckedThere || adds.size() != 1) {
      return eachAckedThere;
    }
    String element = (String) remove.invoke().value();
    for (OpPair read : reads) {
      if (read.outcome() == SimOp.Type.OK
          && node.equals(read.node())
          && read.end() < remove.start()
          && elements(read).contains(element)
          && undisturbed(read, remove, removes, wipes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether what {@code proof} showed about the remove's node still held when {@code remove} ran:
   * the node's disk was not wiped and no other remove of the element may have run in between (that
   * one would have taken the adds first, leaving this remove nothing to observe). The window starts
   * at the proof's invocation: a reply that arrives after a wipe may come from before it.
   */
  private static boolean undisturbed(
      OpPair proof, OpPair remove, List<OpPair> removes, Map<String, List<Long>> wipes) {
    for (OpPair other : removes) {
      if (other != remove
          && !other.failed()
          && other.end() > proof.start()
          && other.start() < remove.end()) {
        return false;
      }
    }
    return !wipedBetween(wipes, remove.node(), proof.start(), remove.start());
  }

  /** Whether {@code node}'s disk was wiped between history indices {@code from} and {@code to}. */
  private static boolean wipedBetween(
      Map<String, List<Long>> wipes, String node, long from, long to) {
    for (long wipe : wipes.getOrDefault(node, List.of())) {
      if (wipe > from && wipe < to) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static List<String> elements(OpPair read) {
    return (List<String>) read.value();
  }
}
