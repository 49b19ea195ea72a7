package dev.meld.crdt;

/** The laws, run by {@link LwwRegister}. */
class LwwRegisterLawsTest extends CrdtLawsContract<LwwRegister<Bytes>, LwwRegisterSpec.Op> {
  @Override
  protected CrdtSpec<LwwRegister<Bytes>, LwwRegisterSpec.Op> spec() {
    return new LwwRegisterSpec();
  }
}
