package dev.meld.crdt;

/** The laws, run by {@link Orswot} of byte strings (the node's instantiation). */
class OrswotLawsTest extends CrdtLawsContract<Orswot<Bytes>, OrswotSpec.Op<Bytes>> {
  @Override
  protected CrdtSpec<Orswot<Bytes>, OrswotSpec.Op<Bytes>> spec() {
    return OrswotSpec.ofBytes();
  }
}
