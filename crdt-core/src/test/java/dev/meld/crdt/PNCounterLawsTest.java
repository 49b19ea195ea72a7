package dev.meld.crdt;

/** The laws, run by {@link PNCounter}. */
class PNCounterLawsTest extends CrdtLawsContract<PNCounter, PNCounterSpec.Op> {
  @Override
  protected CrdtSpec<PNCounter, PNCounterSpec.Op> spec() {
    return new PNCounterSpec();
  }
}
