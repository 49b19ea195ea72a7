package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any input either is rejected with a {@link CrdtDecodeException} that says why, or decodes to a
 * state that re-encodes to exactly the input: the decoders accept only canonical encodings, and
 * never fail any other way (no other exception, no allocation from an unchecked length).
 *
 * <p>Two targets. {@link #decodeReencodes} hands the raw bytes to the generic decoder, so it also
 * covers the header (unknown tags and versions). {@link #typedDecoders} spends no effort on the
 * header: its first byte picks a type and an element codec, the target writes that type's header
 * in front of the rest, and it checks each typed decoder against the generic one and against the
 * other types' decoders, so the fuzzer's whole budget goes into the bodies of GCounter, PNCounter,
 * Orswot and LwwRegister (and the version vectors, dots and causal contexts inside them, which
 * are never encoded on their own).
 *
 * <p>Under {@code mvn verify} both run in regression mode on the seeds in {@code
 * src/test/resources/dev/meld/crdt/CrdtCodecFuzzTestInputs/<target>/} (golden vectors, malformed
 * inputs, and a corpus kept from the campaigns). To fuzz for real (crdt-core/README.md,
 * "Fuzzing"): {@code just fuzz crdt-core 'CrdtCodecFuzzTest#typedDecoders'}.
 */
class CrdtCodecFuzzTest {
  /** Small limits, so that the fuzzer reaches each of them with short inputs. */
  private static final DecodeLimits LIMITS = new DecodeLimits(1 << 16, 4096, 1024);

  private static final CrdtType[] TYPES = CrdtType.values();

  @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
  void decodeReencodes(byte[] input) {
    reencodesOrRejects(input, ElementCodec.BYTES);
    reencodesOrRejects(input, ElementCodec.UTF8);
  }

  /** First byte: bits 0-1 the type, bit 2 the element codec; the rest is the type's body. */
  @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
  void typedDecoders(byte[] input) {
    if (input.length == 0) {
      return;
    }
    CrdtType type = TYPES[input[0] & 3];
    ElementCodec<?> elements = (input[0] & 4) == 0 ? ElementCodec.BYTES : ElementCodec.UTF8;
    byte[] bytes = new byte[input.length + 1];
    bytes[0] = type.tag();
    bytes[1] = (byte) CrdtCodec.FORMAT_VERSION;
    System.arraycopy(input, 1, bytes, 2, input.length - 1);

    Crdt<?> typed;
    try {
      typed = decodeAs(type, bytes, elements);
    } catch (CrdtDecodeException rejected) {
      saysWhy(rejected);
      try {
        CrdtCodec.decode(bytes, elements, LIMITS);
      } catch (CrdtDecodeException alsoRejected) {
        return;
      }
      throw new AssertionError("the generic decoder accepts what the " + type + " one refuses");
    }
    // Plain checks, not AssertJ: they run ten million times and must cost nothing when they hold.
    if (typed.type() != type) {
      throw new AssertionError("the " + type + " decoder returned a " + typed.type());
    }
    byte[] reencoded = CrdtCodec.encode(typed);
    if (!Arrays.equals(reencoded, bytes)) {
      assertThat(reencoded).as("re-encoding of %s", typed).isEqualTo(bytes);
    }
    Crdt<?> generic = CrdtCodec.decode(bytes, elements, LIMITS);
    if (!generic.equals(typed)) {
      assertThat(generic).as("the generic decoder's reading").isEqualTo(typed);
    }
    CrdtType other = TYPES[(type.ordinal() + 1) % TYPES.length];
    refuses(other, bytes, elements, "a " + type);
    refuses(type, Arrays.copyOf(bytes, bytes.length + 1), elements, "a trailing byte");
  }

  private static void refuses(CrdtType type, byte[] bytes, ElementCodec<?> elements, String what) {
    try {
      decodeAs(type, bytes, elements);
    } catch (CrdtDecodeException refused) {
      saysWhy(refused);
      return;
    }
    throw new AssertionError("the " + type + " decoder accepts " + what);
  }

  private static void saysWhy(CrdtDecodeException rejected) {
    if (rejected.getMessage() == null || rejected.getMessage().isBlank()) {
      throw new AssertionError("a refusal that does not say why", rejected);
    }
  }

  private static Crdt<?> decodeAs(CrdtType type, byte[] bytes, ElementCodec<?> elements) {
    switch (type) {
      case GCOUNTER:
        return CrdtCodec.decodeGCounter(bytes, LIMITS);
      case PNCOUNTER:
        return CrdtCodec.decodePNCounter(bytes, LIMITS);
      case ORSWOT:
        return CrdtCodec.decodeOrswot(bytes, elements, LIMITS);
      case LWW_REGISTER:
      default:
        return CrdtCodec.decodeLwwRegister(bytes, elements, LIMITS);
    }
  }

  private static void reencodesOrRejects(byte[] input, ElementCodec<?> elements) {
    Crdt<?> state;
    try {
      state = CrdtCodec.decode(input, elements, LIMITS);
    } catch (CrdtDecodeException rejected) {
      saysWhy(rejected);
      return;
    }
    byte[] reencoded = CrdtCodec.encode(state);
    if (!Arrays.equals(reencoded, input)) {
      assertThat(reencoded).as("re-encoding of %s", state).isEqualTo(input);
    }
  }
}
