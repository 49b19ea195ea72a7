package dev.meld.chaos.cluster;

import dev.meld.chaos.proxy.FaultProxyServer;
import dev.meld.chaos.proxy.MeshLinks;
import dev.meld.chaos.proxy.MeshLinks.Fault;
import dev.meld.chaos.proxy.MeshLinks.Probe;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local cluster's mesh: one proxy per directed link, served by an in-process {@link
 * FaultProxyServer} or by a Toxiproxy the bench is pointed at, and the faults in effect on each
 * link. Every change is read back from the server and checked with a probe before it is reported
 * done, so a fault the server did not apply is never reported as applied.
 */
final class LocalMesh implements AutoCloseable {

  /** A directed link: what {@code from} sends to {@code to}. */
  record Link(String from, String to) {
    @Override
    public String toString() {
      return from + "->" + to;
    }
  }

  /** Bytes a lossy connection carries before it is cut. */
  static final long LOSSY_BYTES_BEFORE_CUT = 256;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** Bytes that open no protocol a node speaks. */
  private static final byte[] NOT_A_FRAME =
      "MELD-CHAOS-LATENCY-PROBE\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final FaultProxyServer server;
  private final MeshLinks links;
  private final String description;
  private final Set<Link> all = new LinkedHashSet<>();
  private final Set<Link> cut = new LinkedHashSet<>();
  private final Map<Link, long[]> slow = new LinkedHashMap<>();
  private final Map<Link, Double> lossy = new LinkedHashMap<>();

  private LocalMesh(FaultProxyServer server, MeshLinks links, String description) {
    this.server = server;
    this.links = links;
    this.description = description;
  }

  /**
   * A mesh on {@code toxiproxy} (an {@code http://host:port} URL) if given, else on a new
   * in-process fault proxy seeded with {@code seed}.
   */
  static LocalMesh start(Optional<URI> toxiproxy, long seed) throws IOException {
    if (toxiproxy.isPresent()) {
      URI uri = toxiproxy.get();
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("toxiproxy: " + uri + " (expected: http://host:port)");
      }
      MeshLinks links = new MeshLinks(new ToxiproxyClient(uri.getHost(), uri.getPort()));
      return new LocalMesh(null, links, "toxiproxy " + uri);
    }
    FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0), seed);
    InetSocketAddress api = server.apiAddress();
    MeshLinks links = new MeshLinks(new ToxiproxyClient(api.getHostString(), api.getPort()));
    return new LocalMesh(server, links, "fault proxy " + api.getHostString() + ":" + api.getPort());
  }

  /** Which proxy server this mesh talks to. */
  String description() {
    return description;
  }

  /** Adds link {@code from -> to}; returns where {@code from} dials to reach {@code to}. */
  synchronized InetSocketAddress addLink(
      String from, String to, int listenPort, InetSocketAddress upstream) throws IOException {
    InetSocketAddress address = links.addLink(from, to, listenPort, upstream);
    all.add(new Link(from, to));
    return address;
  }

  synchronized boolean has(Link link) {
    return all.contains(link);
  }

  /** The faults the server reports on {@code link}. */
  synchronized Set<Fault> faults(Link link) throws IOException {
    requireKnown(link);
    return links.faults(link.from(), link.to());
  }

  /** The links currently cut. */
  synchronized Set<Link> cutLinks() {
    return Set.copyOf(cut);
  }

  /**
   * Cuts exactly {@code toCut}: links cut before and not in it are reopened (keeping their slow or
   * lossy faults). Returns what was checked.
   *
   * @throws IllegalStateException if the server or a probe disagrees with the intended state
   */
  synchronized String cutExactly(Set<Link> toCut) throws IOException {
    for (Link link : toCut) {
      requireKnown(link);
    }
    for (Link link : new ArrayList<>(cut)) {
      if (!toCut.contains(link)) {
        links.heal(link.from(), link.to());
        cut.remove(link);
        reapply(link);
      }
    }
    for (Link link : toCut) {
      links.cut(link.from(), link.to());
      cut.add(link);
    }
    List<String> checked = new ArrayList<>();
    for (Link link : all) {
      if (cut.contains(link)) {
        links.verifyCut(link.from(), link.to());
      } else {
        verifyOpen(link);
      }
    }
    checked.add(toCut.size() + " links cut (server: disabled, probe: refused): " + toCut);
    checked.add((all.size() - toCut.size()) + " other links open (probe: accepted)");
    return String.join("; ", checked);
  }

  /** Removes every fault from every link and checks each is healed. */
  synchronized String healAll() throws IOException {
    links.healAll();
    cut.clear();
    slow.clear();
    lossy.clear();
    for (Link link : all) {
      links.verifyHealed(link.from(), link.to());
    }
    return all.size() + " links healed (server: no faults, probe: accepted)";
  }

  /** Slows the link and reads the fault back. */
  synchronized String slow(Link link, Duration latency, Duration jitter) throws IOException {
    requireKnown(link);
    links.slow(link.from(), link.to(), latency.toMillis(), jitter.toMillis());
    slow.put(link, new long[] {latency.toMillis(), jitter.toMillis()});
    requireFault(link, Fault.SLOW);
    Duration least = latency.minus(jitter).minusMillis(50);
    Optional<Duration> delay = hangUpDelay(link, latency.plus(jitter).plusSeconds(5));
    if (delay.isPresent() && delay.get().compareTo(least) < 0) {
      throw new IllegalStateException(
          "link "
              + link
              + ": a probe came back after "
              + delay.get().toMillis()
              + " ms (expected: >= "
              + least.toMillis()
              + " ms with the latency)");
    }
    String probed =
        delay
            .map(d -> "probe answered after " + d.toMillis() + " ms")
            .orElse("probe not answered; server state only");
    return "link "
        + link
        + " slowed by "
        + latency.toMillis()
        + " ± "
        + jitter.toMillis()
        + " ms (server: SLOW; "
        + probed
        + ")";
  }

  /**
   * Sends a few bytes no node accepts through the link and times how long until the far end hangs
   * up; empty if it does not within {@code timeout}. A node closes a connection that starts with
   * anything but its protocol's magic, so on a slowed link this takes about the latency.
   */
  synchronized Optional<Duration> hangUpDelay(Link link, Duration timeout) throws IOException {
    requireKnown(link);
    try (Socket socket = new Socket()) {
      socket.connect(links.address(link.from(), link.to()), (int) PROBE_TIMEOUT.toMillis());
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      long start = System.nanoTime();
      socket.getOutputStream().write(NOT_A_FRAME);
      socket.getOutputStream().flush();
      try {
        while (socket.getInputStream().read() != -1) {
          // whatever the node says before it hangs up is of no interest
        }
      } catch (SocketException reset) {
        // a reset is a hang-up too
      }
      return Optional.of(Duration.ofNanos(System.nanoTime() - start));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /** Makes the link lossy and reads the fault back. */
  synchronized String lossy(Link link, double probability) throws IOException {
    requireKnown(link);
    links.lossy(link.from(), link.to(), probability, LOSSY_BYTES_BEFORE_CUT);
    lossy.put(link, probability);
    requireFault(link, Fault.LOSSY);
    return "link "
        + link
        + " lossy: each connection cut with probability "
        + probability
        + " after "
        + LOSSY_BYTES_BEFORE_CUT
        + " bytes (server: LOSSY)";
  }

  private void reapply(Link link) throws IOException {
    long[] s = slow.get(link);
    if (s != null) {
      links.slow(link.from(), link.to(), s[0], s[1]);
    }
    Double p = lossy.get(link);
    if (p != null) {
      links.lossy(link.from(), link.to(), p, LOSSY_BYTES_BEFORE_CUT);
    }
  }

  private void verifyOpen(Link link) throws IOException {
    Set<Fault> faults = links.faults(link.from(), link.to());
    Probe probe = links.probe(link.from(), link.to(), PROBE_TIMEOUT);
    if (faults.contains(Fault.CUT) || probe != Probe.ACCEPTED) {
      throw new IllegalStateException(
          "link "
              + link
              + ": faults "
              + faults
              + ", probe "
              + probe
              + " (expected: not CUT and ACCEPTED)");
    }
  }

  private void requireFault(Link link, Fault fault) throws IOException {
    Set<Fault> faults = links.faults(link.from(), link.to());
    if (!faults.contains(fault)) {
      throw new IllegalStateException(
          "link " + link + ": faults " + faults + " (expected: " + fault + ")");
    }
  }

  private void requireKnown(Link link) {
    if (!all.contains(link)) {
      throw new IllegalArgumentException(
          "link " + link + ": unknown (expected one of " + all + ")");
    }
  }

  /** Deletes the links from the server and stops the in-process server; never throws. */
  @Override
  public synchronized void close() {
    try {
      links.removeAll();
    } catch (IOException | RuntimeException e) {
      // the server may be gone already; nothing is left to clean up on it then
    }
    if (server != null) {
      server.close();
    }
  }
}
