package dev.meld.chaos.cluster;

/** Where a node of a {@link NamedNodeCluster} stands as far as the bench knows. */
public enum NodeState {
  /** Never started, or joined and then left. */
  NEW,
  RUNNING,
  PAUSED,
  /** Killed or exited. */
  DOWN,
  /** Left the cluster; its name is not reused. */
  LEFT
}
