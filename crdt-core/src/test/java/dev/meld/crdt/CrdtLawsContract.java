package dev.meld.crdt;

import org.junit.jupiter.api.Test;

/**
 * The laws as JUnit tests: a type's law test extends this and supplies its {@link CrdtSpec}.
 * Other modules reuse it from this module's test-jar.
 */
public abstract class CrdtLawsContract<T extends Crdt<T>, O> {
  /** The type under test. */
  protected abstract CrdtSpec<T, O> spec();

  private CrdtLaws<T, O> laws() {
    return new CrdtLaws<>(spec(), getClass());
  }

  @Test
  void mutatorsReturnDeltas() {
    laws().mutatorsReturnDeltas();
  }

  @Test
  void mergeIsCommutative() {
    laws().mergeIsCommutative();
  }

  @Test
  void mergeIsAssociative() {
    laws().mergeIsAssociative();
  }

  @Test
  void mergeIsIdempotent() {
    laws().mergeIsIdempotent();
  }

  @Test
  void mergeFromAgreesWithMerge() {
    laws().mergeFromAgreesWithMerge();
  }

  @Test
  void replicasConverge() {
    laws().replicasConverge();
  }

  @Test
  void deltasEqualFullStates() {
    laws().deltasEqualFullStates();
  }

  @Test
  void encodingRoundTripsAndIsCanonical() {
    laws().encodingRoundTripsAndIsCanonical();
  }

  @Test
  void agreesWithSequentialModel() {
    laws().agreesWithSequentialModel();
  }
}
