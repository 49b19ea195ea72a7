package dev.meld.chaos.proxy;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} address as the Toxiproxy API writes it ({@code 127.0.0.1:8474}, {@code
 * localhost:0}, {@code [::1]:9000}). The host is resolved only when it is used, so an upstream may
 * name a host that does not resolve yet.
 */
record HostPort(String host, int port) {

  HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
  }

  /**
   * Parses {@code host:port}; an empty host means every interface, as in Go's {@code net.Listen}.
   *
   * @param field the JSON field the text came from, for the error message
   */
  static HostPort parse(String field, String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw ApiException.badRequest(field + ": \"" + text + "\" (expected: host:port)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw ApiException.badRequest(
          field + ": \"" + text + "\" (expected: host:port, IPv6 hosts in brackets)");
    }
    String portText = text.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535 || !portText.chars().allMatch(Character::isDigit)) {
      throw ApiException.badRequest(field + ": \"" + text + "\" (expected: a port in 0..65535)");
    }
    return new HostPort(host, port);
  }

  /** An unresolved socket address; the empty host is the wildcard address. */
  InetSocketAddress toAddress() {
    return host.isEmpty()
        ? new InetSocketAddress(port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  /** How the API reports a bound socket: {@code 127.0.0.1:41234} or {@code [::1]:41234}. */
  static String format(InetSocketAddress bound) {
    String host =
        bound.getAddress() != null ? bound.getAddress().getHostAddress() : bound.getHostString();
    return host.indexOf(':') >= 0
        ? "[" + host + "]:" + bound.getPort()
        : host + ":" + bound.getPort();
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
