package dev.meld.crdt;

/** How two version vectors (two histories) relate. */
public enum Causality {
  /** This history is a strict prefix of the other: the other has seen all of it and more. */
  BEFORE,
  /** The other history is a strict prefix of this one. */
  AFTER,
  /** The same history. */
  EQUAL,
  /** Each has seen something the other has not. */
  CONCURRENT
}
