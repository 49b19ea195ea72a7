package dev.meld.chaos.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mesh faults one node's container applies to itself, and the shell script that puts exactly
 * them in place: iptables DROP rules for the senders it is cut from (partitions and grudges), random
 * DROP rules for lossy links, and a token bucket on its mesh interface for slow links.
 *
 * <p>The script is idempotent and replaces whatever it installed before, so the same script serves a
 * live change ({@code docker exec}) and a restart (the container's entrypoint runs it before the
 * node starts: a restarted node never talks through a cut link, and a new network namespace gets
 * the rules back). Every rule names the mesh addresses only, so clients on the edge network are
 * never cut.
 *
 * <p>A cut of link {@code sender -> receiver} drops, at the receiver, the packets of the
 * connections the sender opened ({@code conntrack --ctdir ORIGINAL}): what the sender dials never
 * arrives, while connections the receiver opens to the sender still work both ways. That is the
 * local fault proxy's one-way cut (one proxy per dialled link), so grudges mean the same on both
 * backends.
 *
 * @param meshIp this node's address on the mesh network
 * @param cutFrom mesh addresses of the senders whose connections this node drops
 * @param lossyFrom mesh address of a sender to the drop probability of its packets here
 * @param slowTo mesh address of a destination to how what this node sends it is slowed
 */
record NetFaults(
    String meshIp, Set<String> cutFrom, Map<String, Double> lossyFrom, Map<String, Slow> slowTo) {

  /**
   * A slow link: {@code netem} delay where the kernel has it, else a token bucket ({@code tbf})
   * whose rate makes a 2 KiB burst take about {@code latency} (this kernel has no netem: a slow
   * link is then narrow, not long).
   */
  record Slow(long latencyMillis, long jitterMillis) {
    Slow {
      if (latencyMillis < 1 || jitterMillis < 0) {
        throw new IllegalArgumentException(
            "latency: " + latencyMillis + " ms, jitter: " + jitterMillis + " ms (expected: >= 1, >= 0)");
      }
    }

    /** The token bucket's rate: 2 KiB per latency, at least 8 kbit/s. */
    long bitsPerSecond() {
      return Math.max(8_000, 2048L * 8 * 1000 / latencyMillis);
    }
  }

  /** Destinations one node can slow at once (htb classes 1:4 ..). */
  static final int MAX_SLOW = 200;

  /** The partition chain, jumped to from INPUT. */
  static final String CUT_CHAIN = "MELD-CUT";

  /** The loss chain, jumped to from INPUT after the partition chain. */
  static final String LOSS_CHAIN = "MELD-LOSS";

  private static final Pattern IPV4 =
      Pattern.compile("(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
  private static final Pattern DROP_SOURCE =
      Pattern.compile("^-A " + CUT_CHAIN + " -s (\\S+?)(?:/32)? .*-j DROP\\s*$");

  private static final Pattern U32_DST =
      Pattern.compile("match ([0-9a-f]{8})/ffffffff at 16");

  NetFaults {
    requireIp(meshIp, "mesh address");
    cutFrom = Set.copyOf(new LinkedHashSet<>(cutFrom));
    cutFrom.forEach(ip -> requireIp(ip, "cut sender"));
    lossyFrom = Map.copyOf(lossyFrom);
    lossyFrom.forEach(
        (ip, p) -> {
          requireIp(ip, "lossy sender");
          if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException(
                "loss probability: " + p + " (expected: in (0, 1])");
          }
        });
    slowTo = Map.copyOf(slowTo);
    slowTo.keySet().forEach(ip -> requireIp(ip, "slow destination"));
    if (slowTo.size() > MAX_SLOW) {
      throw new IllegalArgumentException(
          "slow destinations: " + slowTo.size() + " (expected: " + MAX_SLOW + " at most)");
    }
  }

  /** No fault: the script removes whatever was installed. */
  static NetFaults none(String meshIp) {
    return new NetFaults(meshIp, Set.of(), Map.of(), Map.of());
  }

  NetFaults withCutFrom(Set<String> senders) {
    return new NetFaults(meshIp, senders, lossyFrom, slowTo);
  }

  NetFaults withLossyFrom(String sender, double probability) {
    Map<String, Double> m = new LinkedHashMap<>(lossyFrom);
    m.put(sender, probability);
    return new NetFaults(meshIp, cutFrom, m, slowTo);
  }

  NetFaults withSlowTo(String destination, Slow slow) {
    Map<String, Slow> m = new LinkedHashMap<>(slowTo);
    m.put(destination, slow);
    return new NetFaults(meshIp, cutFrom, lossyFrom, m);
  }


  /**
   * The POSIX shell script that installs exactly these faults. It exits non-zero if any command
   * fails (a missing capability, a tool missing from the image).
   */
  String script() {
    List<String> lines = new ArrayList<>();
    lines.add("set -e");
    for (String chain : List.of(CUT_CHAIN, LOSS_CHAIN)) {
      lines.add("iptables -w -N " + chain + " 2>/dev/null || true");
      lines.add("iptables -w -C INPUT -j " + chain + " 2>/dev/null || iptables -w -A INPUT -j " + chain);
      lines.add("iptables -w -F " + chain);
    }
    for (String ip : sorted(cutFrom)) {
      lines.add(
          "iptables -w -A " + CUT_CHAIN + " -s " + ip + " -m conntrack --ctdir ORIGINAL -j DROP");
    }
    for (String ip : sorted(lossyFrom.keySet())) {
      lines.add(
          "iptables -w -A "
              + LOSS_CHAIN
              + " -s "
              + ip
              + " -m statistic --mode random --probability "
              + String.format(Locale.ROOT, "%.4f", lossyFrom.get(ip))
              + " -j DROP");
    }
    // The mesh interface is the one holding the mesh address (eth0 or eth1 by attach order).
    lines.add("dev=$(ip -o -4 addr show to " + meshIp + " | awk '{print $2}')");
    lines.add("[ -n \"$dev\" ] || { echo 'no interface holds " + meshIp + "' >&2; exit 3; }");
    lines.add("tc qdisc del dev \"$dev\" root 2>/dev/null || true");
    if (!slowTo.isEmpty()) {
      // An htb root sends what no filter claims straight out (no default class); each slow
      // destination gets a class of its own (htb does not shape it: 1 Gbit/s), and the class's leaf
      // qdisc does the slowing. This kernel has neither prio nor netem, but htb and tbf.
      lines.add("tc qdisc add dev \"$dev\" root handle 1: htb");
      int band = 3;
      for (String ip : sorted(slowTo.keySet())) {
        band++;
        Slow slow = slowTo.get(ip);
        lines.add(
            "tc class add dev \"$dev\" parent 1: classid 1:"
                + band
                + " htb rate 1gbit quantum 1514");
        String leaf = "tc qdisc add dev \"$dev\" parent 1:" + band + " handle " + (band * 10) + ": ";
        lines.add(
            leaf
                + "netem delay "
                + slow.latencyMillis()
                + "ms "
                + slow.jitterMillis()
                + "ms 2>/dev/null || "
                + leaf
                + "tbf rate "
                + slow.bitsPerSecond()
                + "bit burst 1600 latency 60s");
        lines.add(
            "tc filter add dev \"$dev\" parent 1: protocol ip prio 1 u32 match ip dst "
                + ip
                + "/32 flowid 1:"
                + band);
      }
    }
    // What was installed, for the bench to check (cutSendersIn, slowedIn).
    lines.add("iptables -w -S " + CUT_CHAIN);
    lines.add("tc qdisc show dev \"$dev\"");
    lines.add("tc filter show dev \"$dev\"");
    return String.join("\n", lines) + "\n";
  }

  /**
   * The senders a node drops, read back from {@code iptables -S MELD-CUT}: the source address of
   * each DROP rule, in order.
   */
  static List<String> cutSendersIn(String iptablesListing) {
    List<String> sources = new ArrayList<>();
    for (String line : iptablesListing.split("\\R")) {
      Matcher m = DROP_SOURCE.matcher(line.strip());
      if (m.matches()) {
        sources.add(m.group(1));
      }
    }
    return sources;
  }

  /**
   * The destinations a node slows, read back from {@code tc filter show}: the address of each u32
   * match on the IPv4 destination (offset 16), which tc prints in hex.
   */
  static Set<String> slowedIn(String tcListing) {
    Set<String> destinations = new LinkedHashSet<>();
    Matcher m = U32_DST.matcher(tcListing);
    while (m.find()) {
      long v = Long.parseLong(m.group(1), 16);
      destinations.add((v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255));
    }
    return destinations;
  }

  private static List<String> sorted(Set<String> ips) {
    return ips.stream().sorted().toList();
  }

  private static void requireIp(String ip, String what) {
    Objects.requireNonNull(ip, what);
    if (!IPV4.matcher(ip).matches()) {
      throw new IllegalArgumentException(what + ": \"" + ip + "\" (expected: an IPv4 address)");
    }
  }
}
