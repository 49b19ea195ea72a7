package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.cluster.PortAllocator.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ports for nodes and proxies: outside the ephemeral range, free, each handed out once. */
class PortAllocatorTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void portsLieOutsideTheMachinesEphemeralRangeAndAreBindable() throws IOException {
    PortAllocator ports = PortAllocator.forLoopback();
    PortRange ephemeral = PortAllocator.readEphemeralRange(PortAllocator.EPHEMERAL_RANGE);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = ports.next();
      assertThat(ephemeral.contains(port)).as("port %d in %s", port, ephemeral).isFalse();
      assertThat(port).isGreaterThanOrEqualTo(PortAllocator.LOWEST);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(LOOPBACK, port));
      }
    }
  }

  @Test
  void aPortInUseIsSkipped() throws IOException {
    // Only 65534 and 65535 lie above this range; with 65535 taken, every try gives 65534.
    PortRange range = new PortRange(PortAllocator.LOWEST, 65533);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(LOOPBACK, 65535));
      for (int seed = 0; seed < 5; seed++) {
        PortAllocator ports = new PortAllocator(range, LOOPBACK, new Random(seed));
        assertThat(ports.next()).isEqualTo(65534);
      }
    }
  }

  @Test
  void runningOutOfPortsIsAnErrorNotALoop() throws IOException {
    PortAllocator ports =
        new PortAllocator(new PortRange(PortAllocator.LOWEST, 65534), LOOPBACK, new Random(1));
    assertThat(ports.next()).isEqualTo(65535);
    assertThatThrownBy(ports::next)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no free port outside the ephemeral range");
  }

  @Test
  void portsBelowTheRangeAreUsedToo() throws IOException {
    PortRange range = new PortRange(PortAllocator.LOWEST + 3, 65535);
    PortAllocator ports = new PortAllocator(range, LOOPBACK, new Random(7));
    Set<Integer> got = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      got.add(ports.next());
    }
    assertThat(got)
        .containsExactlyInAnyOrder(
            PortAllocator.LOWEST, PortAllocator.LOWEST + 1, PortAllocator.LOWEST + 2);
  }

  @Test
  void aRangeLeavingNoPortIsRefused() {
    assertThatThrownBy(() -> new PortAllocator(new PortRange(1024, 65535), LOOPBACK, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: leaves some port");
  }

  @Test
  void theRangeFileIsParsedAndAnUnreadableOneFallsBackToLinuxDefault(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("range");
    Files.writeString(file, "40000\t50000\n");
    assertThat(PortAllocator.readEphemeralRange(file)).isEqualTo(new PortRange(40000, 50000));
    assertThat(PortAllocator.readEphemeralRange(dir.resolve("missing")))
        .isEqualTo(PortAllocator.DEFAULT_EPHEMERAL);
    assertThatThrownBy(() -> PortAllocator.parseRange("40000"))
        .hasMessage("ephemeral range: \"40000\" (expected: two numbers, low and high)");
    assertThatThrownBy(() -> new PortRange(50000, 40000))
        .hasMessage("port range: 50000-40000 (expected: 1 <= low <= high <= 65535)");
  }
}
