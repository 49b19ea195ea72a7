package dev.meld.node.server;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code host:port} addresses as the command line, the config file and member records write them. */
public final class Addresses {

  private Addresses() {}

  /**
   * Parses {@code host:port} ({@code [v6]:port} for an IPv6 literal); port 0 means "any free port".
   * The host is not resolved here.
   *
   * @throws IllegalArgumentException naming the text and the expectation
   */
  public static InetSocketAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("address: '" + text + "' (expected: host:port)");
    }
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("address: '" + text + "' (expected: host:port)");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "address: '" + text + "' (expected: host:port, IPv6 literals in brackets)");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "port in '" + text + "': '" + s.substring(colon + 1) + "' (expected: 0..65535)");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port in '" + text + "': " + port + " (expected: 0..65535)");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * Parses {@code name=host:port[,name=host:port...]} into an ordered map.
   *
   * @throws IllegalArgumentException naming the entry and the expectation (also for a name given
   *     twice)
   */
  public static Map<String, InetSocketAddress> parseNamed(String text) {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String entry : text.split(",")) {
      String e = entry.trim();
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("entry: '" + e + "' (expected: name=host:port)");
      }
      String name = e.substring(0, eq).trim();
      if (out.put(name, parse(e.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("node name: '" + name + "' given twice (expected: once)");
      }
    }
    return out;
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  public static String format(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The address to bind or dial: resolved if it was given unresolved. */
  public static InetSocketAddress resolved(InetSocketAddress a) {
    return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
  }
}
