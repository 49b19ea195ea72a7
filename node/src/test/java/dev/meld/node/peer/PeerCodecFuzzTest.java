package dev.meld.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any MESSAGE payload a peer may send (every {@link PeerMessage}, the anti-entropy frames inside
 * SYNC among them) is either refused with a {@link PeerProtocolException} that says why, or
 * decodes to a message that re-encodes to exactly the payload (the format has one encoding per
 * message, so a decoder that accepts more is lax somewhere). A codec with a tighter frame limit
 * refuses what is over it before reading anything.
 *
 * <p>Under {@code mvn verify} it replays the seeds in {@code
 * src/test/resources/dev/meld/node/peer/PeerCodecFuzzTestInputs/messages/} (the golden frames of
 * {@code PeerCodecTest} and a corpus kept from the campaigns); to fuzz for real: {@code just fuzz
 * node PeerCodecFuzzTest} (node/README.md, "Fuzzing").
 */
class PeerCodecFuzzTest {

  private static final PeerCodec CODEC = new PeerCodec(4096);

  private static final PeerCodec SMALL = new PeerCodec(PeerCodec.MIN_FRAME_BYTES);

  @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
  void messages(byte[] frame) throws PeerProtocolException {
    PeerMessage message;
    try {
      message = CODEC.decode(frame);
    } catch (PeerProtocolException refused) {
      assertThat(refused.getMessage()).as("a refusal says why").isNotBlank();
      return;
    }
    byte[] reencoded = CODEC.encode(message);
    if (!Arrays.equals(reencoded, frame)) {
      assertThat(reencoded).as("re-encoding of %s", message).isEqualTo(frame);
    }
    if (frame.length > SMALL.maxFrameBytes()) {
      assertThatThrownBy(() -> SMALL.decode(frame))
          .as("a frame over the limit")
          .isInstanceOf(PeerProtocolException.class)
          .hasMessageStartingWith("frame length: " + frame.length);
    } else if (!Arrays.equals(SMALL.encode(SMALL.decode(frame)), frame)) {
      throw new AssertionError("codecs with different limits read " + message + " apart");
    }
  }
}
