package dev.meld.node.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test nodes that must know each other's ports before they start, taken below
 * Linux's ephemeral range (32768-60999) so the ports the kernel hands out for outgoing connections
 * never collide with them.
 */
public final class FreePorts {

  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private FreePorts() {}

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int next() {
    int start = ThreadLocalRandom.current().nextInt(LOW, HIGH);
    for (int i = 0; i < HIGH - LOW; i++) {
      int port = LOW + (start - LOW + i) % (HIGH - LOW);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try the next one
      }
    }
    throw new IllegalStateException("no free port in " + LOW + ".." + HIGH);
  }
}
