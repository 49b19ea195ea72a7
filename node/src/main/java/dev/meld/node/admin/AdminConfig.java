package dev.meld.node.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How the admin HTTP port listens and whom it lets change the node. Reads ({@code GET /health},
 * {@code /ready}, {@code /metrics}) are open; every request that changes state ({@code POST /leave})
 * needs {@code Authorization: Bearer <token>}. Without a token, such requests are refused, unless
 * the port is bound to loopback and {@code insecure} was asked for explicitly.
 *
 * @param bind where to listen (port 0: any free port)
 * @param token the bearer token mutating requests must carry, or null for none
 * @param insecure with no token, let mutating requests through without one; only allowed on a
 *     loopback address (anyone who can reach another address could stop the node)
 * @param maxConnections most admin connections at once; more are closed on arrival (default 64)
 * @param requestTimeoutMillis how long a request may take to arrive, headers and body, counted from
 *     the connection's start or the previous response; a connection slower than that is closed
 *     (default 10 s)
 */
public record AdminConfig(
    InetSocketAddress bind,
    String token,
    boolean insecure,
    int maxConnections,
    long requestTimeoutMillis) {

  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;

  public AdminConfig {
    Objects.requireNonNull(bind, "bind");
    if (token != null && token.isEmpty()) {
      throw new IllegalArgumentException("admin token: empty (expected: null for none, or text)");
    }
    if (token == null && insecure && !isLoopback(bind)) {
      throw new IllegalArgumentException(
          "admin insecure: the admin port "
              + bind.getHostString()
              + ":"
              + bind.getPort()
              + " is not a loopback address (expected: an admin token, or the port on loopback)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "admin maxConnections: " + maxConnections + " (expected: >= 1)");
    }
    if (requestTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "admin requestTimeoutMillis: " + requestTimeoutMillis + " (expected: >= 1)");
    }
  }

  /** Defaults for the limits; {@code token} and {@code insecure} as given. */
  public static AdminConfig of(InetSocketAddress bind, String token, boolean insecure) {
    return new AdminConfig(
        bind, token, insecure, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MILLIS);
  }

  /**
   * Whether {@code address} only takes connections from this host. An unresolved address counts
   * when it is {@code localhost} or a loopback IP literal; any other host name does not (deciding
   * would take a DNS lookup whose answer may change).
   */
  public static boolean isLoopback(InetSocketAddress address) {
    if (address.getAddress() != null) {
      return address.getAddress().isLoopbackAddress();
    }
    String host = address.getHostString();
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether mutating requests may pass without a token. */
  boolean open() {
    return token == null && insecure;
  }

  @Override
  public String toString() {
    // The token never goes to a log.
    return "AdminConfig[bind="
        + bind
        + ", token="
        + (token == null ? "none" : "set")
        + ", insecure="
        + insecure
        + ", maxConnections="
        + maxConnections
        + ", requestTimeoutMillis="
        + requestTimeoutMillis
        + "]";
  }
}
