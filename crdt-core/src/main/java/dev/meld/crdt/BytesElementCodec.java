package dev.meld.crdt;

/** {@link ElementCodec#BYTES}: a byte string is its own encoding. */
final class BytesElementCodec implements ElementCodec<Bytes> {
  @Override
  public byte[] encode(Bytes element) {
    return element.toByteArray();
  }

  @Override
  public Bytes decode(byte[] bytes) {
    return Bytes.wrap(bytes);
  }

  @Override
  public String toString() {
    return "ElementCodec.BYTES";
  }
}
