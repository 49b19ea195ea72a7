package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import java.util.Random;
import java.util.Set;

/**
 * A kind of fault a scenario schedules: {@link #start} injects it on targets it picks, {@link
 * #stop} ends what it started (restart, resume, heal, reset the clock). Each call returns a {@link
 * NemesisEvent} to record in the history as one nemesis op, with whether the fault was verified.
 *
 * <p>A nemesis remembers what it started and only ends that; it assumes no other nemesis takes the
 * same targets down meanwhile. Its random choices come from the {@code Random} it is given, so the
 * same seed picks the same targets. Every call is bounded in time.
 */
public interface Nemesis {

  /** The name scenarios use, e.g. {@code kill}, {@code partition-bridge}. */
  String name();

  /** The fault kinds it uses; a cluster that does not support one makes the scenario SKIPPED. */
  Set<FaultKind> needs();

  /** Injects the fault. */
  NemesisEvent start(Cluster cluster, Random random);

  /** Ends what {@link #start} began; an event with no receipts if nothing is in effect. */
  NemesisEvent stop(Cluster cluster);
}
