package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any input either is rejected with a {@link CrdtDecodeException} or decodes to a state that
 * re-encodes to exactly the input: the decoder accepts only canonical encodings, and never fails
 * any other way (no other exception, no allocation from an unchecked length).
 *
 * <p>Under {@code mvn verify} it runs in regression mode on the seeds in {@code
 * src/test/resources/dev/meld/crdt/CrdtCodecFuzzTestInputs/decodeReencodes/} (the golden vectors
 * and malformed inputs). To fuzz for real: {@code JAZZER_FUZZ=1 mvn -pl crdt-core -am test
 * -Dtest=CrdtCodecFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CrdtCodecFuzzTest {
  private static final DecodeLimits LIMITS = new DecodeLimits(1 << 16, 4096, 1024);

  @FuzzTest(maxDuration = "5m")
  void decodeReencodes(byte[] input) {
    reencodesOrRejects(input, ElementCodec.BYTES);
    reencodesOrRejects(input, ElementCodec.UTF8);
  }

  private static void reencodesOrRejects(byte[] input, ElementCodec<?> elements) {
    Crdt<?> state;
    try {
      state = CrdtCodec.decode(input, elements, LIMITS);
    } catch (CrdtDecodeException rejected) {
      return;
    }
    assertThat(CrdtCodec.encode(state)).as("re-encoding of %s", state).isEqualTo(input);
  }
}
