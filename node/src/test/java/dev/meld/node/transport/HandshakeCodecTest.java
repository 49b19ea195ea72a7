package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.transport.HandshakeCodec.ErrorNotice;
import dev.meld.node.transport.HandshakeCodec.Hello;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The handshake payloads: round trips, and strict rejection of everything else. */
class HandshakeCodecTest {

  private static final byte[] NONCE = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static Hello hello() {
    return new Hello(1, true, 42, NONCE, "prod", "n\u00e9ud-1");
  }

  @Test
  void helloRoundTrips() {
    byte[] bytes = HandshakeCodec.encodeHello(hello());
    assertThat(bytes).hasSize(1 + 1 + 8 + 16 + 1 + 4 + 1 + 7);
    assertThat(HandshakeCodec.decodeHello(bytes)).isEqualTo(hello());
  }

  @Test
  void everyTruncatedHelloIsRejected() {
    byte[] bytes = HandshakeCodec.encodeHello(hello());
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> HandshakeCodec.decodeHello(prefix))
          .as("prefix of %d bytes", n)
          .isInstanceOf(MeshFrameException.class)
          .hasMessageContaining("HELLO");
    }
  }

  @Test
  void aHelloWithTrailingBytesIsRejected() {
    byte[] bytes = Arrays.copyOf(HandshakeCodec.encodeHello(hello()), 40);
    assertThatThrownBy(() -> HandshakeCodec.decodeHello(bytes))
        .hasMessage("HELLO length: 40 (expected: 39)");
  }

  @Test
  void unknownFlagsEmptyNamesAndBadUtf8AreRejected() {
    byte[] flags = HandshakeCodec.encodeHello(hello());
    flags[1] = 3;
    assertThatThrownBy(() -> HandshakeCodec.decodeHello(flags))
        .hasMessage("HELLO flags: 0x03 (expected: only bit 0x01)");

    byte[] emptyCluster = HandshakeCodec.encodeHello(hello());
    emptyCluster[26] = 0;
    assertThatThrownBy(() -> HandshakeCodec.decodeHello(emptyCluster))
        .hasMessage("HELLO cluster name length: 0 (expected: 1..255)");

    byte[] badUtf8 = HandshakeCodec.encodeHello(hello());
    badUtf8[27] = (byte) 0xC3; // a lead byte followed by an ASCII letter
    assertThatThrownBy(() -> HandshakeCodec.decodeHello(badUtf8))
        .hasMessage("HELLO cluster name: 4 bytes that are not valid UTF-8 (expected: UTF-8 text)");

    byte[] negative = HandshakeCodec.encodeHello(hello());
    negative[2] = (byte) 0x80;
    assertThatThrownBy(() -> HandshakeCodec.decodeHello(negative))
        .hasMessageStartingWith("HELLO incarnation: -");
  }

  @Test
  void proofsAreEmptyOrOneMac() {
    assertThat(HandshakeCodec.decodeProof(new byte[0])).isEmpty();
    assertThat(HandshakeCodec.decodeProof(new byte[32])).hasSize(32);
    assertThatThrownBy(() -> HandshakeCodec.decodeProof(new byte[31]))
        .hasMessage("PROOF length: 31 (expected: 0 or 32)");
  }

  @Test
  void errorsRoundTrip() {
    ErrorNotice notice = new ErrorNotice(Refusal.CLUSTER, "cluster of b: \"x\" (expected: \"y\")");
    assertThat(HandshakeCodec.decodeError(HandshakeCodec.encodeError(notice))).isEqualTo(notice);
    for (Refusal r : Refusal.values()) {
      ErrorNotice n = new ErrorNotice(r, "");
      assertThat(HandshakeCodec.decodeError(HandshakeCodec.encodeError(n))).isEqualTo(n);
    }
  }

  @Test
  void aLongReasonIsCutWholeCharactersToFitAControlFrame() {
    String reason = "\u20ac".repeat(600); // 3 bytes each: 1800 bytes
    byte[] bytes = HandshakeCodec.encodeError(new ErrorNotice(Refusal.PROTOCOL, reason));
    assertThat(bytes.length).isLessThanOrEqualTo(MeshFrame.MAX_CONTROL_BYTES);
    ErrorNotice back = HandshakeCodec.decodeError(bytes);
    assertThat(back.reason()).isEqualTo("\u20ac".repeat(341));
  }

  @Test
  void unknownErrorCodesAndEmptyErrorsAreRejected() {
    assertThatThrownBy(() -> HandshakeCodec.decodeError(new byte[] {0}))
        .hasMessage("ERROR code: 0 (expected: 1.." + Refusal.values().length + ")");
    assertThatThrownBy(() -> HandshakeCodec.decodeError(new byte[] {99, 'x'}))
        .hasMessageStartingWith("ERROR code: 99");
    assertThatThrownBy(() -> HandshakeCodec.decodeError(new byte[0]))
        .hasMessage("ERROR length: 0 (expected: 1..1024)");
  }
}
