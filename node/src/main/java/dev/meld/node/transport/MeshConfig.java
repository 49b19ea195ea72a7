package dev.meld.node.transport;

import dev.meld.node.peer.PeerCodec;
import dev.meld.node.tls.MeshTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link MeshTransport} behaves: who this node is, where it listens, its secret, its limits
 * and timers, and where to dial particular peers instead of their own addresses. Build one with
 * {@link #builder}; every value is checked when built, with a message naming the value and the
 * expectation. {@link #toString()} never shows the secret.
 */
public final class MeshConfig {

  /** The shortest shared secret accepted: an HMAC key guessable offline is no key. */
  public static final int MIN_SECRET_BYTES = 16;

  /** The largest frame limit accepted. */
  public static final int MAX_FRAME_LIMIT = 1 << 30;

  private final String clusterName;
  private final String nodeName;
  private final long incarnation;
  private final InetSocketAddress bindAddress;
  private final byte[] sharedSecret;
  private final MeshTls tls;
  private final int maxFrameBytes;
  private final long queueLimitBytes;
  private final int connectTimeoutMillis;
  private final long backoffMinMillis;
  private final long backoffMaxMillis;
  private final long handshakeTimeoutMillis;
  private final long idleTimeoutMillis;
  private final int ioThreads;
  private final boolean nativeTransport;
  private final Map<String, InetSocketAddress> dialOverrides;

  private MeshConfig(Builder b) {
    HandshakeCodec.checkName("cluster", b.clusterName);
    HandshakeCodec.checkName("node", b.nodeName);
    atLeast("incarnation", b.incarnation, 0);
    Objects.requireNonNull(b.bindAddress, "bindAddress");
    if (b.sharedSecret != null && b.sharedSecret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "sharedSecret length: "
              + b.sharedSecret.length
              + " bytes (expected: >= "
              + MIN_SECRET_BYTES
              + ")");
    }
    if (b.maxFrameBytes < PeerCodec.MIN_FRAME_BYTES || b.maxFrameBytes > MAX_FRAME_LIMIT) {
      throw new IllegalArgumentException(
          "maxFrameBytes: "
              + b.maxFrameBytes
              + " (expected: "
              + PeerCodec.MIN_FRAME_BYTES
              + ".."
              + MAX_FRAME_LIMIT
              + ")");
    }
    long largestEntry = OutboundQueue.charge(b.maxFrameBytes);
    if (b.queueLimitBytes < largestEntry) {
      throw new IllegalArgumentException(
          "queueLimitBytes: "
              + b.queueLimitBytes
              + " (expected: >= "
              + largestEntry
              + ", so that a largest frame fits in an empty queue)");
    }
    atLeast("connectTimeoutMillis", b.connectTimeoutMillis, 1);
    atLeast("backoffMinMillis", b.backoffMinMillis, 1);
    atLeast("backoffMaxMillis", b.backoffMaxMillis, b.backoffMinMillis);
    atLeast("handshakeTimeoutMillis", b.handshakeTimeoutMillis, 1);
    atLeast("idleTimeoutMillis", b.idleTimeoutMillis, 3);
    atLeast("ioThreads", b.ioThreads, 1);
    for (Map.Entry<String, InetSocketAddress> e : b.dialOverrides.entrySet()) {
      HandshakeCodec.checkName("dialOverrides node", e.getKey());
      Objects.requireNonNull(e.getValue(), "dialOverrides address of " + e.getKey());
    }
    this.clusterName = b.clusterName;
    this.nodeName = b.nodeName;
    this.incarnation = b.incarnation;
    this.bindAddress = b.bindAddress;
    this.sharedSecret = b.sharedSecret == null ? null : b.sharedSecret.clone();
    this.tls = b.tls;
    this.maxFrameBytes = b.maxFrameBytes;
    this.queueLimitBytes = b.queueLimitBytes;
    this.connectTimeoutMillis = b.connectTimeoutMillis;
    this.backoffMinMillis = b.backoffMinMillis;
    this.backoffMaxMillis = b.backoffMaxMillis;
    this.handshakeTimeoutMillis = b.handshakeTimeoutMillis;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.ioThreads = b.ioThreads;
    this.nativeTransport = b.nativeTransport;
    this.dialOverrides = Map.copyOf(b.dialOverrides);
  }

  /** A builder for node {@code nodeName}, incarnation {@code incarnation}, of {@code cluster}. */
  public static Builder builder(String clusterName, String nodeName, long incarnation) {
    return new Builder(clusterName, nodeName, incarnation);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
    }
  }

  public String clusterName() {
    return clusterName;
  }

  public String nodeName() {
    return nodeName;
  }

  public long incarnation() {
    return incarnation;
  }

  /**
   * Where the mesh port listens (port 0: any free port, see {@link MeshTransport#boundAddress}).
   */
  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  /** Whether peers must prove they hold the shared secret. */
  public boolean hasSharedSecret() {
    return sharedSecret != null;
  }

  /** A copy of the secret, or {@code null}. */
  byte[] sharedSecret() {
    return sharedSecret == null ? null : sharedSecret.clone();
  }

  /** The mesh's mutual TLS, or {@code null} for none. */
  public MeshTls tls() {
    return tls;
  }

  /** Whether connections run inside mutual TLS. */
  public boolean hasTls() {
    return tls != null;
  }

  /** The largest MESSAGE payload (a {@link PeerCodec} encoding) sent or accepted. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** The most bytes queued for one peer; a message that would exceed it is dropped. */
  public long queueLimitBytes() {
    return queueLimitBytes;
  }

  public int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** The shortest wait before redialing a peer. */
  public long backoffMinMillis() {
    return backoffMinMillis;
  }

  /** The longest wait before redialing a peer. */
  public long backoffMaxMillis() {
    return backoffMaxMillis;
  }

  /** A connection whose handshake has not completed this long after it opened is closed. */
  public long handshakeTimeoutMillis() {
    return handshakeTimeoutMillis;
  }

  /**
   * An inbound connection that carries nothing for this long is closed; dialers send a heartbeat
   * after a third of it without traffic.
   */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public int ioThreads() {
    return ioThreads;
  }

  /** Whether to use native epoll where it is available (NIO otherwise, or if false). */
  public boolean nativeTransport() {
    return nativeTransport;
  }

  /** Peers to dial at another address than their own (e.g. through a fault proxy). */
  public Map<String, InetSocketAddress> dialOverrides() {
    return dialOverrides;
  }

  @Override
  public String toString() {
    return "MeshConfig[cluster="
        + clusterName
        + ", node="
        + nodeName
        + "#"
        + incarnation
        + ", bind="
        + bindAddress
        + ", secret="
        + (sharedSecret == null ? "none" : "(hidden)")
        + ", tls="
        + (tls == null ? "none" : tls)
        + ", maxFrameBytes="
        + maxFrameBytes
        + ", queueLimitBytes="
        + queueLimitBytes
        + ", connectTimeoutMillis="
        + connectTimeoutMillis
        + ", backoff="
        + backoffMinMillis
        + ".."
        + backoffMaxMillis
        + "ms, handshakeTimeoutMillis="
        + handshakeTimeoutMillis
        + ", idleTimeoutMillis="
        + idleTimeoutMillis
        + ", ioThreads="
        + ioThreads
        + ", nativeTransport="
        + nativeTransport
        + ", dialOverrides="
        + dialOverrides
        + "]";
  }

  /** Builds a {@link MeshConfig}; the defaults suit a small cluster on a LAN. */
  public static final class Builder {
    private final String clusterName;
    private final String nodeName;
    private final long incarnation;
    private InetSocketAddress bindAddress =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private byte[] sharedSecret;
    private MeshTls tls;
    private int maxFrameBytes = 8 << 20;
    private long queueLimitBytes = 32L << 20;
    private int connectTimeoutMillis = 2_000;
    private long backoffMinMillis = 100;
    private long backoffMaxMillis = 5_000;
    private long handshakeTimeoutMillis = 5_000;
    private long idleTimeoutMillis = 15_000;
    private int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
    private boolean nativeTransport = true;
    private final Map<String, InetSocketAddress> dialOverrides = new LinkedHashMap<>();

    private Builder(String clusterName, String nodeName, long incarnation) {
      this.clusterName = clusterName;
      this.nodeName = nodeName;
      this.incarnation = incarnation;
    }

    /** Where to listen; defaults to the loopback address and any free port. */
    public Builder bindAddress(InetSocketAddress v) {
      bindAddress = v;
      return this;
    }

    /** The cluster's shared secret (at least 16 bytes), or {@code null} for none. */
    public Builder sharedSecret(byte[] v) {
      sharedSecret = v == null ? null : v.clone();
      return this;
    }

    /** The cluster's shared secret as UTF-8 text (at least 16 bytes), or {@code null}. */
    public Builder sharedSecret(String v) {
      return sharedSecret(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Mutual TLS for every connection (see {@link MeshTls}), or {@code null} for none. With TLS a
     * peer's certificate must name the node its hello names; a shared secret may be given as well
     * (then both hold), and frames carry no MAC of their own: TLS protects them.
     */
    public Builder tls(MeshTls v) {
      tls = v;
      return this;
    }

    public Builder maxFrameBytes(int v) {
      maxFrameBytes = v;
      return this;
    }

    public Builder queueLimitBytes(long v) {
      queueLimitBytes = v;
      return this;
    }

    public Builder connectTimeoutMillis(int v) {
      connectTimeoutMillis = v;
      return this;
    }

    public Builder backoffMillis(long min, long max) {
      backoffMinMillis = min;
      backoffMaxMillis = max;
      return this;
    }

    public Builder handshakeTimeoutMillis(long v) {
      handshakeTimeoutMillis = v;
      return this;
    }

    public Builder idleTimeoutMillis(long v) {
      idleTimeoutMillis = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public Builder nativeTransport(boolean v) {
      nativeTransport = v;
      return this;
    }

    /** Dial {@code node} at {@code address} instead of the address {@code setPeers} gives. */
    public Builder dialOverride(String node, InetSocketAddress address) {
      dialOverrides.put(node, address);
      return this;
    }

    public Builder dialOverrides(Map<String, InetSocketAddress> v) {
      dialOverrides.clear();
      dialOverrides.putAll(v);
      return this;
    }

    public MeshConfig build() {
      return new MeshConfig(this);
    }
  }
}
