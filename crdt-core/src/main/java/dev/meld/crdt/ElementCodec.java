package dev.meld.crdt;

/**
 * How set elements and register values become bytes. An implementation must be canonical: equal
 * values encode to equal bytes, and {@link #decode} accepts exactly the bytes {@link #encode}
 * produces, so that a decoded state re-encodes to the same bytes.
 *
 * @param <E> the element type; its {@code equals} must agree with equality of encodings
 */
public interface ElementCodec<E> {
  /** Byte strings as themselves. */
  ElementCodec<Bytes> BYTES = new BytesElementCodec();

  /** Text as strict UTF-8 (a string with an unpaired surrogate cannot be encoded). */
  ElementCodec<String> UTF8 = new Utf8ElementCodec();

  /**
   * The canonical bytes of {@code element}.
   *
   * @throws IllegalArgumentException if {@code element} has no encoding
   */
  byte[] encode(E element);

  /**
   * The element whose encoding is {@code bytes}; the decoder gives up ownership of the array.
   *
   * @throws CrdtDecodeException if {@code bytes} is not the encoding of any element
   */
  E decode(byte[] bytes);
}
