package dev.meld.crdt;

import java.util.Objects;

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
    Reader in = reader(bytes, limits);
    CrdtType type = header(in, null);
    Crdt<?> state =
        switch (type) {
          case GCOUNTER -> GCounterCodec.read(in);
          case PNCOUNTER -> PNCounterCodec.read(in);
          case ORSWOT -> OrswotCodec.read(in, elements);
          case LWW_REGISTER -> LwwRegisterCodec.read(in, elements);
        };
    in.end();
    return state;
  }

  public static GCounter decodeGCounter(byte[] bytes, DecodeLimits limits) {
    Reader in = reader(bytes, limits);
    header(in, CrdtType.GCOUNTER);
    GCounter state = GCounterCodec.read(in);
    in.end();
    return state;
  }

  public static PNCounter decodePNCounter(byte[] bytes, DecodeLimits limits) {
    Reader in = reader(bytes, limits);
    header(in, CrdtType.PNCOUNTER);
    PNCounter state = PNCounterCodec.read(in);
    in.end();
    return state;
  }

  public static <E> Orswot<E> decodeOrswot(
      byte[] bytes, ElementCodec<E> elements, DecodeLimits limits) {
    Reader in = reader(bytes, limits);
    header(in, CrdtType.ORSWOT);
    Orswot<E> state = OrswotCodec.read(in, Objects.requireNonNull(elements, "elements"));
    in.end();
    return state;
  }

  public static <V> LwwRegister<V> decodeLwwRegister(
      byte[] bytes, ElementCodec<V> values, DecodeLimits limits) {
    Reader in = reader(bytes, limits);
    header(in, CrdtType.LWW_REGISTER);
    LwwRegister<V> state = LwwRegisterCodec.read(in, Objects.requireNonNull(values, "values"));
    in.end();
    return state;
  }

  private static Reader reader(byte[] bytes, DecodeLimits limits) {
    return new Reader(Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(limits, "limits"));
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
