package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Every configuration value is checked, with a message naming the value and the expectation. */
class MeshConfigTest {

  private static MeshConfig.Builder valid() {
    return MeshConfig.builder("prod", "n1", 7);
  }

  @Test
  void defaultsAreValid() {
    MeshConfig c = valid().build();
    assertThat(c.maxFrameBytes()).isEqualTo(8 << 20);
    assertThat(c.queueLimitBytes()).isEqualTo(32L << 20);
    assertThat(c.hasSharedSecret()).isFalse();
    assertThat(c.bindAddress().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void badValuesAreRefusedWithTheValueAndTheExpectation() {
    assertThatThrownBy(() -> MeshConfig.builder("", "n1", 0).build())
        .hasMessage("cluster name length: 0 bytes (expected: 1..255)");
    assertThatThrownBy(() -> MeshConfig.builder("prod", "x".repeat(256), 0).build())
        .hasMessage("node name length: 256 bytes (expected: 1..255)");
    assertThatThrownBy(() -> MeshConfig.builder("prod", "n1", -1).build())
        .hasMessage("incarnation: -1 (expected: >= 0)");
    assertThatThrownBy(() -> valid().maxFrameBytes(100).build())
        .hasMessage("maxFrameBytes: 100 (expected: 1024..1073741824)");
    assertThatThrownBy(() -> valid().maxFrameBytes(1 << 20).queueLimitBytes(1 << 20).build())
        .hasMessage(
            "queueLimitBytes: 1048576 (expected: >= 1048648, so that a largest frame fits in an"
                + " empty queue)");
    assertThatThrownBy(() -> valid().backoffMillis(50, 10).build())
        .hasMessage("backoffMaxMillis: 10 (expected: >= 50)");
    assertThatThrownBy(() -> valid().idleTimeoutMillis(2).build())
        .hasMessage("idleTimeoutMillis: 2 (expected: >= 3)");
    assertThatThrownBy(() -> valid().ioThreads(0).build())
        .hasMessage("ioThreads: 0 (expected: >= 1)");
    assertThatThrownBy(
            () -> valid().dialOverride("", new InetSocketAddress("localhost", 1)).build())
        .hasMessage("dialOverrides node name length: 0 bytes (expected: 1..255)");
  }

  @Test
  void theSecretIsCopiedInAndOut() {
    byte[] secret = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    MeshConfig c = valid().sharedSecret(secret).build();
    secret[0] = 'X';
    assertThat(c.sharedSecret()[0]).isEqualTo((byte) '0');
    c.sharedSecret()[1] = 'Y';
    assertThat(c.sharedSecret()[1]).isEqualTo((byte) '1');
  }
}
