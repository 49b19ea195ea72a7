package dev.meld.crdt;

import java.util.List;

/** The laws, run by {@link Orswot} of strings, through {@link ElementCodec#UTF8}. */
class OrswotOfStringsLawsTest extends CrdtLawsContract<Orswot<String>, OrswotSpec.Op<String>> {
  @Override
  protected CrdtSpec<Orswot<String>, OrswotSpec.Op<String>> spec() {
    return new OrswotSpec<>(ElementCodec.UTF8, List.of("", "a", "b", "é", "\uD83D\uDE00"));
  }
}
