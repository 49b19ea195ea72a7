package dev.meld.chaos.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The kernel's view of TCP sockets, read from Linux's {@code /proc/net/tcp} and {@code tcp6}: what
 * a test needs to see a socket no Java object will admit to, such as an upstream dial still in
 * {@code SYN_SENT} or a socket a closed event loop forgot. Elsewhere {@link #available()} is false.
 */
final class TcpTable {

  private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

  /** States in which this side has not closed the socket (ESTABLISHED, SYN_SENT, CLOSE_WAIT). */
  private static final Set<String> OPEN = Set.of("01", "02", "08");

  /** 127.0.0.1 as the tables write it, also at the end of an IPv4-mapped IPv6 address. */
  private static final String LOOPBACK = "0100007F";

  /**
   * One loopback socket: ports and the state as the kernel names it (hex, e.g. {@code 02} =
   * SYN_SENT).
   */
  record Row(int localPort, int remotePort, String state) {

    boolean open() {
      return OPEN.contains(state);
    }

    boolean dialling() {
      return state.equals("02");
    }

    @Override
    public String toString() {
      return ":" + localPort + " -> :" + remotePort + " state " + state;
    }
  }

  private TcpTable() {}

  static boolean available() {
    return Files.isReadable(TABLES[0]);
  }

  /** Rows this side still holds open whose remote port is {@code port}: sockets dialled to it. */
  static List<Row> openTo(int port) {
    return rows(row -> row.open() && row.remotePort() == port);
  }

  /** Rows in {@code SYN_SENT} towards {@code port}: connects the peer has not answered yet. */
  static List<Row> diallingTo(int port) {
    return rows(row -> row.dialling() && row.remotePort() == port);
  }

  /** Open rows between two local ports, seen from {@code localPort}'s side. */
  static List<Row> openBetween(int localPort, int remotePort) {
    return rows(row -> row.open() && row.localPort() == localPort && row.remotePort() == remotePort);
  }

  static List<Row> rows(Predicate<Row> filter) {
    List<Row> rows = new ArrayList<>();
    if (!available()) {
      return rows;
    }
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // "  sl  local_address rem_address   st ..." then "   0: 0100007F:1F90 0100007F:A2C4 01 ..."
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        Row row = new Row(port(fields[1]), port(fields[2]), fields[3]);
        String remoteHost = fields[2].substring(0, fields[2].indexOf(':'));
        if (remoteHost.endsWith(LOOPBACK) && filter.test(row)) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
