package dev.meld.chaos.proxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The chaos bench's view of the mesh: one proxy per directed link, driven only through the
 * Toxiproxy Java client, so it works the same against Meld's {@link FaultProxyServer} and a real
 * Toxiproxy.
 *
 * <p>Link {@code from -> to} is the proxy node {@code from} dials to reach node {@code to}; it
 * carries every TCP connection {@code from} opens to {@code to}. A fault on it acts on those
 * connections only, so {@code to -> from} (the connections {@code to} opens) and clients, which
 * reach nodes directly, are untouched. Faults:
 *
 * <ul>
 *   <li>{@link #cut}: the proxy is disabled. Existing connections close, new ones are refused.
 *   <li>{@link #blackhole}: a {@code timeout} toxic with timeout 0 on both streams. Connections are
 *       accepted and stay open, but nothing gets through: the silent partition of a dropped route.
 *       When it is healed, the connections it held close (their streams have holes).
 *   <li>{@link #slow}: a {@code latency} toxic on the bytes {@code from} sends.
 *   <li>{@link #lossy}: TCP has no packet loss to imitate, so "lossy" means damaged connections:
 *       each connection on the link is, with the given probability, cut after the next {@code
 *       bytesBeforeCut} bytes {@code from} sends, mid-message; the rest of what it sent is lost and
 *       it must reconnect. A {@code limit_data} toxic with toxicity below 1; every connection rolls
 *       again when the fault is (re)applied and each new connection rolls once.
 * </ul>
 *
 * {@link #heal} removes every fault from a link. {@link #probe} and {@link #faults} check that a
 * fault really took effect: the first by connecting, the second by asking the server.
 */
public final class MeshLinks {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String SLOW = "slow";
  private static final String LOSSY = "lossy";
  private static final String BLACKHOLE_UP = "blackhole_up";
  private static final String BLACKHOLE_DOWN = "blackhole_down";

  /** A fault as the server reports it. */
  public enum Fault {
    CUT,
    BLACKHOLE,
    SLOW,
    LOSSY
  }

  /** What a probe connection to a link's listen address saw. */
  public enum Probe {
    /** Connection refused: the link is cut. */
    REFUSED,
    /** The proxy accepted the connection (the link may still carry toxics). */
    ACCEPTED,
    /** No answer within the timeout. */
    TIMED_OUT
  }

  private final ToxiproxyClient client;
  private final String listenHost;
  private final Map<String, Proxy> links = new ConcurrentHashMap<>();

  /** Links listening on loopback. */
  public MeshLinks(ToxiproxyClient client) {
    this(client, "127.0.0.1");
  }

  /**
   * @param listenHost where the proxies listen, as seen by the proxy server (e.g. {@code 0.0.0.0}
   *     for a Toxiproxy in a container)
   */
  public MeshLinks(ToxiproxyClient client, String listenHost) {
    this.client = client;
    this.listenHost = listenHost;
  }

  /** The proxy name of link {@code from -> to}: {@code <from>_to_<to>}. */
  public static String linkName(String from, String to) {
    return checkNode("from", from) + "_to_" + checkNode("to", to);
  }

  /**
   * Creates the proxy for link {@code from -> to}, listening on a free port.
   *
   * @param upstream the address of node {@code to}'s mesh port, as the proxy server reaches it
   * @return where node {@code from} must dial to reach node {@code to}
   */
  public InetSocketAddress addLink(String from, String to, InetSocketAddress upstream)
      throws IOException {
    return addLink(from, to, 0, upstream);
  }

  /**
   * Creates the proxy for link {@code from -> to}, listening on {@code listenPort} (0: a free port
   * the server picks). A chosen port outside the ephemeral range stays safe to bind again when a
   * cut link is re-enabled.
   */
  public InetSocketAddress addLink(
      String from, String to, int listenPort, InetSocketAddress upstream) throws IOException {
    String name = linkName(from, to);
    if (links.containsKey(name)) {
      throw new IllegalStateException("link " + name + " exists (expected: each link added once)");
    }
    Proxy proxy =
        client.createProxy(
            name,
            listenHost + ":" + listenPort,
            upstream.getHostString() + ":" + upstream.getPort());
    links.put(name, proxy);
    return address(from, to);
  }

  /** Where node {@code from} dials to reach node {@code to}. */
  public InetSocketAddress address(String from, String to) {
    String listen = link(from, to).getListen();
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
  }

  /** Closes the link's connections and refuses new ones. */
  public void cut(String from, String to) throws IOException {
    link(from, to).disable();
  }

  /** Drops everything on the link silently while keeping its connections open. */
  public void blackhole(String from, String to) throws IOException {
    Proxy proxy = link(from, to);
    List<String> present = toxicNames(proxy);
    if (!present.contains(BLACKHOLE_UP)) {
      proxy.toxics().timeout(BLACKHOLE_UP, ToxicDirection.UPSTREAM, 0);
    }
    if (!present.contains(BLACKHOLE_DOWN)) {
      proxy.toxics().timeout(BLACKHOLE_DOWN, ToxicDirection.DOWNSTREAM, 0);
    }
  }

  /** Delays every chunk {@code from} sends by {@code latencyMs ± jitterMs}. */
  public void slow(String from, String to, long latencyMs, long jitterMs) throws IOException {
    if (latencyMs < 0 || jitterMs < 0) {
      throw new IllegalArgumentException(
          "latencyMs: " + latencyMs + ", jitterMs: " + jitterMs + " (expected: both >= 0)");
    }
    Proxy proxy = link(from, to);
    Optional<Latency> existing = find(proxy, SLOW, Latency.class);
    Latency latency =
        existing.isPresent()
            ? existing.get().setLatency(latencyMs)
            : proxy.toxics().latency(SLOW, ToxicDirection.UPSTREAM, latencyMs);
    latency.setJitter(jitterMs);
  }

  /**
   * With probability {@code probability}, each connection on the link is cut after the next {@code
   * bytesBeforeCut} bytes {@code from} sends (see the class comment).
   */
  public void lossy(String from, String to, double probability, long bytesBeforeCut)
      throws IOException {
    if (!(probability >= 0 && probability <= 1) || bytesBeforeCut < 0) {
      throw new IllegalArgumentException(
          "probability: "
              + probability
              + ", bytesBeforeCut: "
              + bytesBeforeCut
              + " (expected: probability in 0..1, bytesBeforeCut >= 0)");
    }
    Proxy proxy = link(from, to);
    Optional<LimitData> existing = find(proxy, LOSSY, LimitData.class);
    // The client creates toxics with toxicity 1, so a new one starts with a limit no connection
    // reaches; each update below rolls every connection again, the last one with the real limit.
    LimitData limit =
        existing.isPresent()
            ? existing.get()
            : proxy.toxics().limitData(LOSSY, ToxicDirection.UPSTREAM, Long.MAX_VALUE);
    limit.setToxicity((float) probability);
    limit.setBytes(bytesBeforeCut);
  }

  /** Removes every fault from the link: enabled again, no toxics. */
  public void heal(String from, String to) throws IOException {
    heal(link(from, to));
  }

  /** Heals every link this object created. */
  public void healAll() throws IOException {
    for (Proxy proxy : links.values()) {
      heal(proxy);
    }
  }

  private static void heal(Proxy proxy) throws IOException {
    for (Toxic toxic : proxy.toxics().getAll()) {
      toxic.remove();
    }
    proxy.enable();
  }

  /** The faults the server reports on the link right now. */
  public Set<Fault> faults(String from, String to) throws IOException {
    Proxy current = client.getProxy(link(from, to).getName());
    Set<Fault> faults = EnumSet.noneOf(Fault.class);
    if (!current.isEnabled()) {
      faults.add(Fault.CUT);
    }
    for (String name : toxicNames(current)) {
      switch (name) {
        case SLOW -> faults.add(Fault.SLOW);
        case LOSSY -> faults.add(Fault.LOSSY);
        case BLACKHOLE_UP, BLACKHOLE_DOWN -> faults.add(Fault.BLACKHOLE);
        default -> {}
      }
    }
    return faults;
  }

  /**
   * Opens (and at once closes) a TCP connection to the link's listen address. Through an open link
   * this reaches node {@code to}, which sees a connection that closes without a word.
   */
  public Probe probe(String from, String to, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address(from, to), (int) Math.max(1, timeout.toMillis()));
      return Probe.ACCEPTED;
    } catch (ConnectException e) {
      return Probe.REFUSED;
    } catch (SocketTimeoutException e) {
      return Probe.TIMED_OUT;
    }
  }

  /** Throws unless the link is cut: the server says so and a probe is refused. */
  public void verifyCut(String from, String to) throws IOException {
    verify(from, to, faults -> faults.contains(Fault.CUT), Probe.REFUSED, "CUT and REFUSED");
  }

  /** Throws unless the link is healed: no faults on the server and a probe is accepted. */
  public void verifyHealed(String from, String to) throws IOException {
    verify(from, to, Set::isEmpty, Probe.ACCEPTED, "none and ACCEPTED");
  }

  private void verify(
      String from, String to, Predicate<Set<Fault>> expected, Probe probe, String expectation)
      throws IOException {
    Set<Fault> faults = faults(from, to);
    Probe probed = probe(from, to, Duration.ofSeconds(1));
    if (!expected.test(faults) || probed != probe) {
      throw new IllegalStateException(
          "link "
              + linkName(from, to)
              + ": faults "
              + faults
              + ", probe "
              + probed
              + " (expected: "
              + expectation
              + ")");
    }
  }

  /** Deletes every link this object created from the server. */
  public void removeAll() throws IOException {
    for (Proxy proxy : links.values()) {
      proxy.delete();
    }
    links.clear();
  }

  private Proxy link(String from, String to) {
    String name = linkName(from, to);
    Proxy proxy = links.get(name);
    if (proxy == null) {
      throw new IllegalArgumentException(
          "link " + name + ": unknown (expected one of: " + links.keySet() + ")");
    }
    return proxy;
  }

  private static List<String> toxicNames(Proxy proxy) throws IOException {
    return proxy.toxics().getAll().stream().map(Toxic::getName).toList();
  }

  private static <T extends Toxic> Optional<T> find(Proxy proxy, String name, Class<T> type)
      throws IOException {
    for (Toxic toxic : proxy.toxics().getAll()) {
      if (toxic.getName().equals(name)) {
        if (!type.isInstance(toxic)) {
          throw new IllegalStateException(
              "toxic "
                  + name
                  + " is a "
                  + toxic.getClass().getSimpleName()
                  + " (expected: "
                  + type.getSimpleName()
                  + ")");
        }
        return Optional.of(type.cast(toxic));
      }
    }
    return Optional.empty();
  }

  private static String checkNode(String role, String id) {
    if (id == null || !NODE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          role + ": " + id + " (expected: a node id matching " + NODE_ID + ")");
    }
    return id;
  }
}
