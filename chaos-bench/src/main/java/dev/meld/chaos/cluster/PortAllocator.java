package dev.meld.chaos.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Hands out loopback ports for nodes and proxy listeners that lie outside the kernel's ephemeral
 * range and are free when handed out.
 *
 * <p>Why not port 0: a port is chosen here, released, and bound later by a node process (or bound
 * again by a proxy re-enabled after a cut). A released ephemeral port can be taken in between by
 * any outgoing connection on the machine, and the bind then fails; a port outside the range is
 * never handed to an outgoing connection by the kernel. Each port is handed out once per allocator,
 * and the search starts at a random place so that allocators in concurrent processes rarely meet.
 */
final class PortAllocator {

  /** Where Linux keeps the ephemeral range. */
  static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Used when the range cannot be read: Linux's default. */
  static final PortRange DEFAULT_EPHEMERAL = new PortRange(32768, 60999);

  /** Below this, ports are left to well-known and registered services people run by hand. */
  static final int LOWEST = 10000;

  private static final int MAX_ATTEMPTS = 2000;

  /** An inclusive range of ports. */
  record PortRange(int low, int high) {
    PortRange {
      if (low < 1 || high > 65535 || low > high) {
        throw new IllegalArgumentException(
            "port range: " + low + "-" + high + " (expected: 1 <= low <= high <= 65535)");
      }
    }

    boolean contains(int port) {
      return port >= low && port <= high;
    }
  }

  private final PortRange ephemeral;
  private final InetAddress host;
  private final Random random;
  private final Set<Integer> handedOut = new HashSet<>();

  PortAllocator(PortRange ephemeral, InetAddress host, Random random) {
    this.ephemeral = ephemeral;
    this.host = host;
    this.random = random;
    if (candidates() == 0) {
      throw new IllegalArgumentException(
          "ephemeral range: "
              + ephemeral
              + " (expected: leaves some port in "
              + LOWEST
              + "..65535 outside it)");
    }
  }

  /** An allocator for loopback with the machine's ephemeral range. */
  static PortAllocator forLoopback() {
    return new PortAllocator(
        readEphemeralRange(EPHEMERAL_RANGE), InetAddress.getLoopbackAddress(), new Random());
  }

  /** The range in {@code file} ("low<whitespace>high"), or Linux's default if it is unreadable. */
  static PortRange readEphemeralRange(Path file) {
    try {
      return parseRange(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      return DEFAULT_EPHEMERAL;
    }
  }

  static PortRange parseRange(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "ephemeral range: \"" + text.trim() + "\" (expected: two numbers, low and high)");
    }
    try {
      return new PortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ephemeral range: \"" + text.trim() + "\" (expected: two numbers, low and high)", e);
    }
  }

  PortRange ephemeral() {
    return ephemeral;
  }

  /**
   * A port outside the ephemeral range that was free a moment ago and that this allocator has not
   * handed out before.
   *
   * @throws IOException if no free port was found after a bounded number of tries
   */
  synchronized int next() throws IOException {
    int count = candidates();
    int start = random.nextInt(count);
    for (int i = 0; i < Math.min(count, MAX_ATTEMPTS); i++) {
      int port = candidate((start + i) % count);
      if (!handedOut.contains(port) && free(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new IOException(
        "no free port outside the ephemeral range "
            + ephemeral
            + " after "
            + Math.min(count, MAX_ATTEMPTS)
            + " tries");
  }

  /** The number of ports in LOWEST..65535 outside the ephemeral range. */
  private int candidates() {
    int below = Math.max(0, Math.min(ephemeral.low(), 65536) - LOWEST);
    int above = Math.max(0, 65535 - Math.max(ephemeral.high(), LOWEST - 1));
    return below + above;
  }

  /** The i-th candidate: first the ports below the range, then those above it. */
  private int candidate(int i) {
    int below = Math.max(0, ephemeral.low() - LOWEST);
    return i < below ? LOWEST + i : Math.max(ephemeral.high(), LOWEST - 1) + 1 + (i - below);
  }

  private boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
