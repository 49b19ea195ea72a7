package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden vectors pin the format: each known state encodes to its file's bytes, and the bytes
 * decode back to the state. A change here is a format change (bump the format version).
 *
 * <p>A vector file is hex, with whitespace and {@code #} comment lines ignored.
 */
class GoldenVectorsTest {
  static Stream<Arguments> vectors() {
    return GoldenStates.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesToTheGoldenBytesAndDecodesBack(String name, Crdt<?> state) throws IOException {
    byte[] golden = read(name);
    assertThat(HexFormat.of().formatHex(CrdtCodec.encode(state)))
        .isEqualTo(HexFormat.of().formatHex(golden));
    Crdt<?> decoded = CrdtCodec.decode(golden, DecodeLimits.DEFAULT);
    assertThat(decoded).isEqualTo(state);
    assertThat(decoded.type()).isEqualTo(state.type());
    assertThat(golden[0]).isEqualTo(state.type().tag());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theTypedDecodersAgree(String name, Crdt<?> state) throws IOException {
    byte[] golden = read(name);
    DecodeLimits limits = DecodeLimits.DEFAULT;
    Crdt<?> typed =
        switch (state.type()) {
          case GCOUNTER -> CrdtCodec.decodeGCounter(golden, limits);
          case PNCOUNTER -> CrdtCodec.decodePNCounter(golden, limits);
          case ORSWOT -> CrdtCodec.decodeOrswot(golden, ElementCodec.BYTES, limits);
          case LWW_REGISTER -> CrdtCodec.decodeLwwRegister(golden, ElementCodec.BYTES, limits);
        };
    assertThat(typed).isEqualTo(state);
  }

  static byte[] read(String name) throws IOException {
    try (InputStream in = GoldenVectorsTest.class.getResourceAsStream("/golden/" + name + ".hex")) {
      assertThat(in).as("golden/%s.hex", name).isNotNull();
      String hex =
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .lines()
              .filter(line -> !line.startsWith("#"))
              .collect(Collectors.joining())
              .replaceAll("\\s", "");
      return HexFormat.of().parseHex(hex);
    }
  }
}
