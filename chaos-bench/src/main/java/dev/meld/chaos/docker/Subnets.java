package dev.meld.chaos.docker;

import java.util.Random;

/**
 * The two /24 networks of a docker cluster and the fixed addresses its nodes take on them. Docker
 * gives a container a static address only on a network whose subnet was chosen by the user; fixed
 * addresses let a container keep its address through kills and restarts, so peers' seeds and
 * iptables rules stay right. Subnets are drawn from {@code 10.160.0.0 - 10.223.255.0} (a range
 * Docker's own pools do not use by default); a draw that overlaps an existing network is retried
 * with the next.
 *
 * @param mesh the mesh network's third-octet prefix, e.g. {@code 10.171.4}
 * @param edge the edge network's prefix
 */
record Subnets(String mesh, String edge) {

  /** Node {@code nK} takes host address {@code FIRST_HOST + K}. */
  static final int FIRST_HOST = 10;

  /** Two distinct random /24 prefixes. */
  static Subnets draw(Random random) {
    int second = 160 + random.nextInt(64);
    int third = random.nextInt(255);
    return new Subnets("10." + second + "." + third, "10." + second + "." + (third + 1));
  }

  static String cidr(String prefix) {
    return prefix + ".0/24";
  }

  static String gateway(String prefix) {
    return prefix + ".1";
  }

  /**
   * The address of node {@code nK} on a network.
   *
   * @throws IllegalArgumentException for a name not of the form {@code n1 .. n200}
   */
  static String address(String prefix, String node) {
    int k = index(node);
    return prefix + "." + (FIRST_HOST + k);
  }

  static int index(String node) {
    if (!node.matches("n[1-9][0-9]{0,2}") || Integer.parseInt(node.substring(1)) > 200) {
      throw new IllegalArgumentException("node: \"" + node + "\" (expected: n1 .. n200)");
    }
    return Integer.parseInt(node.substring(1));
  }

  String meshAddress(String node) {
    return address(mesh, node);
  }

  String edgeAddress(String node) {
    return address(edge, node);
  }
}
