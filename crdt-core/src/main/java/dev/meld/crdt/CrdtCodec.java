package dev.meld.crdt;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The canonical binary form of every type: a type tag byte ({@link CrdtType#tag()}), a format
 * version byte ({@value #FORMAT_VERSION}), then the type's content in a deterministic order, so
 * equal states encode to equal bytes whatever order they were built in. The formats are drawn in
 * {@link GCounterCodec}, {@link PNCounterCodec}, {@link OrswotCodec}, {@link LwwRegisterCodec}
 * and {@link CausalCodec}, and pinned by the golden vectors in the tests.
 *
 * <p>Decoding accepts exactly the canonical encodings: truncated input, trailing bytes, lengths
 * and counts over the {@link DecodeLimits}, unknown tags and versions, and non-canonical content
 * (unsorted or duplicate entries, zero counters, redundant varint bytes) are rejected with a
 * {@link CrdtDecodeException}, so a decoded state re-encodes to the same bytes.
 */
public final class CrdtCodec {
  /** The format version every type's encoding carries after its tag. */
  public static final int FORMAT_VERSION = 1;

  private CrdtCodec() {}

  /** The canonical bytes of {@code state}. */
  public static byte[] encode(Crdt<?> state) {
    Objects.requireNonNull(state, "state");
    Writer out = new Writer();
    out.u8(state.type().tag());
    out.u8(FORMAT_VERSION);
    if (state instanceof GCounter counter) {
      GCounterCodec.write(out, counter);
    } else if (state instanceof PNCounter counter) {
      PNCounterCodec.write(out, counter);
    } else if (state instanceof Orswot<?> set) {
      OrswotCodec.write(out, set);
    } else if (state instanceof LwwRegister<?> register) {
      LwwRegisterCodec.write(out, register);
    } else {
      throw new IllegalArgumentException(
          "state: " + state.getClass().getName() + " (expected: a type of this module)");
    }
    return out.toByteArray();
  }

  /**
   * Decodes the state in {@code bytes}, of whichever type its tag names, with {@link Bytes} set
   * elements and register values (the node's instantiation).
   */
  public static Crdt<?> decode(byte[] bytes, DecodeLimits limits) {
    return decode(bytes, ElementCodec.BYTES, limits);
  }

  /** Decodes the state in {@code bytes}, with {@code elements} for set elements and values. */
  public static Crdt<?> decode(byte[] bytes, ElementCodec<?> elements, DecodeLimits limits) {
    Objects.requireNonNull(elements, "elements");
    return decode(
        bytes,
        limits,
        null,
        (type, in) ->
            switch (type) {
              case GCOUNTER -> GCounterCodec.read(in);
              case PNCOUNTER -> PNCounterCodec.read(in);
              case ORSWOT -> OrswotCodec.read(in, elements);
              case LWW_REGISTER -> LwwRegisterCodec.read(in, elements);
            });
  }

  public static GCounter decodeGCounter(byte[] bytes, DecodeLimits limits) {
    return decode(bytes, limits, CrdtType.GCOUNTER, (type, in) -> GCounterCodec.read(in));
  }

  public static PNCounter decodePNCounter(byte[] bytes, DecodeLimits limits) {
    return decode(bytes, limits, CrdtType.PNCOUNTER, (type, in) -> PNCounterCodec.read(in));
  }

  public static <E> Orswot<E> decodeOrswot(
      byte[] bytes, ElementCodec<E> elements, DecodeLimits limits) {
    Objects.requireNonNull(elements, "elements");
    return decode(bytes, limits, CrdtType.ORSWOT, (type, in) -> OrswotCodec.read(in, elements));
  }

  public static <V> LwwRegister<V> decodeLwwRegister(
      byte[] bytes, ElementCodec<V> values, DecodeLimits limits) {
    Objects.requireNonNull(values, "values");
    return decode(
        bytes, limits, CrdtType.LWW_REGISTER, (type, in) -> LwwRegisterCodec.read(in, values));
  }

  /** Reads the header ({@code expected} null: any type), the content, and checks the end. */
  private static <S> S decode(
      byte[] bytes, DecodeLimits limits, CrdtType expected, BiFunction<CrdtType, Reader, S> body) {
    Reader in =
        new Reader(
            Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(limits, "limits"));
    S state = body.apply(header(in, expected), in);
    in.end();
    return state;
  }

  /** Reads tag and version; {@code expected} null accepts any known type. */
  private static CrdtType header(Reader in, CrdtType expected) {
    int tag = in.u8("type tag");
    CrdtType type = CrdtType.ofTag((byte) tag);
    if (type == null || (expected != null && type != expected)) {
      throw new CrdtDecodeException(
          String.format("type tag: 0x%02x (expected: %s)", tag, expectedTags(expected)));
    }
    int version = in.u8("format version");
    if (version != FORMAT_VERSION) {
      throw new CrdtDecodeException(
          "format version of " + type + ": " + version + " (expected: " + FORMAT_VERSION + ")");
    }
    return type;
  }

  private static String expectedTags(CrdtType expected) {
    if (expected != null) {
      return String.format("0x%02x %s", expected.tag(), expected);
    }
    StringBuilder all = new StringBuilder("one of");
    for (CrdtType type : CrdtType.values()) {
      all.append(String.format(" 0x%02x %s", type.tag(), type));
    }
    return all.toString();
  }
}
