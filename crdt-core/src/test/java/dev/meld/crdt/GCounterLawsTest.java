package dev.meld.crdt;

/** The laws, run by {@link GCounter}. */
class GCounterLawsTest extends CrdtLawsContract<GCounter, Long> {
  @Override
  protected CrdtSpec<GCounter, Long> spec() {
    return new GCounterSpec();
  }
}
