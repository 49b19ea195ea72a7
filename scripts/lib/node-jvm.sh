# Shared by the scripts that start nodes for measurements (bench-node, big-set, load-replicated-set,
# node-rss): the collector flags a node runs with (node README, "Memory" and "Collector").
#
# G1, returning free heap to the OS after a collection (RSS per million keys about 2x Redis's, where
# ParallelGC kept 6-7x). On JDK 17-19, G1's concurrent refinement threads also re-scanned the cards
# the write path's caches dirty, about 4 CPU µs per INCR at -P 16 (a fifth of the node's CPU); the
# flags below leave that work to the collection pauses, which scan each dirty card once. JDK 20
# reworked refinement (it costs about 0.2 µs there) and removed these flags, so they are passed
# only to a JVM that still has them.
meld_node_gc_flags() { # meld_node_gc_flags [JAVA]
  local java=${1:-java}
  local flags="-XX:+UseG1GC -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10"
  if "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q '\bG1UseAdaptiveConcRefinement\b'; then
    flags+=" -XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=100000"
    flags+=" -XX:G1ConcRefinementYellowZone=200000 -XX:G1ConcRefinementRedZone=300000"
  fi
  echo "$flags"
}
