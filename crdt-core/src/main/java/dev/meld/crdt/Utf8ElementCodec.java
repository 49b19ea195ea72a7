package dev.meld.crdt;

/** {@link ElementCodec#UTF8}: strings as strict UTF-8. */
final class Utf8ElementCodec implements ElementCodec<String> {
  @Override
  public byte[] encode(String element) {
    return Utf8.encode(element, "element");
  }

  @Override
  public String decode(byte[] bytes) {
    return Utf8.decode(bytes, "element");
  }

  @Override
  public String toString() {
    return "ElementCodec.UTF8";
  }
}
