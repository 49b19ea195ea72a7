package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Laws of the wire format. */
class SyncCodecPropertyTest {

  private final SyncCodec codec = new SyncCodec();

  /** Law: decoding an encoded message gives the message back, and encodedSize is exact. */
  @Test
  void decodeOfEncodeIsIdentity() {
    Props.forAll(
        longs().all(),
        seed -> {
          SyncMessage message = Messages.random(new SplittableRandom(seed));
          byte[] frame = codec.encode(message);
          assertThat(frame).hasSize(SyncCodec.encodedSize(message));
          assertThat(decode(frame)).isEqualTo(message);
        });
  }

  /** Law: every proper prefix of a valid frame is rejected. */
  @Test
  void everyTruncationIsRejected() {
    Props.forAll(
        Props.EXAMPLES / 10,
        longs().all(),
        seed -> {
          byte[] frame = codec.encode(Messages.random(new SplittableRandom(seed)));
          for (int length = 0; length < frame.length; length++) {
            byte[] cut = Arrays.copyOf(frame, length);
            assertThatThrownBy(() -> codec.decode(cut))
                .as("prefix of %d of %d bytes", length, frame.length)
                .isInstanceOf(SyncProtocolException.class);
          }
        });
  }

  /**
   * Law: flipping any single bit of a valid frame is detected (by the checksum, if nothing else).
   */
  @Test
  void everyBitFlipIsRejected() {
    Props.forAll(
        longs().all().zip(integers().allPositive(), (seed, at) -> new long[] {seed, at}),
        input -> {
          byte[] frame = codec.encode(Messages.random(new SplittableRandom(input[0])));
          int bit = (int) (input[1] % (frame.length * 8L));
          frame[bit / 8] ^= (byte) (1 << (bit % 8));
          assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(SyncProtocolException.class);
        });
  }

  /** Law: appending anything to a valid frame is rejected. */
  @Test
  void trailingBytesAreRejected() {
    Props.forAll(
        longs().all(),
        seed -> {
          SplittableRandom random = new SplittableRandom(seed);
          byte[] frame = codec.encode(Messages.random(random));
          byte[] longer = Arrays.copyOf(frame, frame.length + 1 + random.nextInt(8));
          assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(SyncProtocolException.class);
        });
  }

  private SyncMessage decode(byte[] frame) {
    try {
      return codec.decode(frame);
    } catch (SyncProtocolException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
