package dev.meld.node.sim;

import dev.meld.node.store.Origin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The acknowledged client writes a disk wipe may destroy: which history op, which node and disk
 * made it, and the origin and sequence number it was logged under (from the reply). When a node is
 * about to lose its disk, {@link #unreplicated} says which writes only that disk held.
 */
final class WriteLedger {

  /** One acknowledged write. */
  record Entry(long invokeIndex, SimNode node, int diskGeneration, Origin origin, long seq) {}

  private final List<Entry> entries = new ArrayList<>();

  void add(Entry entry) {
    entries.add(entry);
  }

  /**
   * The invocation indices of acknowledged writes (made anywhere) that no node of {@code nodes} but
   * {@code lost} provably holds, as {@code lost} is about to lose its disk; they are forgotten
   * afterwards, being indeterminate from now on. A node provably holds a write if it made it and
   * its disk has not been wiped since, or if its cursor for the write's origin has reached the
   * write's sequence number. A write that reached a node by anti-entropy only is not provably held:
   * the answer errs towards calling writes lost, which only widens what the checks accept.
   */
  List<Long> unreplicated(SimNode lost, Collection<SimNode> nodes) {
    Map<SimNode, Map<Origin, Long>> cursors = new LinkedHashMap<>();
    for (SimNode other : nodes) {
      if (other != lost && other.state != SimNode.State.GONE) {
        cursors.put(other, other.cursors());
      }
    }
    List<Long> gone = new ArrayList<>();
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext()) {
      Entry write = it.next();
      boolean held = false;
      for (Map.Entry<SimNode, Map<Origin, Long>> other : cursors.entrySet()) {
        SimNode holder = other.getKey();
        held |= holder == write.node() && holder.diskGeneration == write.diskGeneration();
        held |= other.getValue().getOrDefault(write.origin(), 0L) >= write.seq();
      }
      if (!held) {
        gone.add(write.invokeIndex());
        it.remove();
      }
    }
    return List.copyOf(gone);
  }
}
