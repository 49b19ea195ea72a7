package dev.meld.node.sim;

import dev.meld.node.store.Origin;

/**
 * An acknowledged client write, as the simulator tracks it to know what a disk wipe may destroy:
 * the history op, the node and disk that made it, and the origin and sequence number it was logged
 * under (from the reply).
 */
record AckedWrite(long invokeIndex, SimNode node, int diskGeneration, Origin origin, long seq) {}
