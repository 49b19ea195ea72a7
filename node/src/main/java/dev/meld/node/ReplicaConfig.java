package dev.meld.node;

import dev.meld.antientropy.SyncConfig;
import dev.meld.crdt.DecodeLimits;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Replica} behaves: who it is, whom it starts from, its timers, its batch and
 * retention limits, and (for test harnesses only) deliberate {@link Misbehavior}s. Build one with
 * {@link #builder(String)}; every value is checked when built, with a message naming the value and
 * the expectation.
 *
 * @param nodeName this node's name (1..255 UTF-8 bytes), unique in the cluster
 * @param clusterName peers with another cluster name are refused
 * @param address this node's own address, as it appears in the member set
 * @param seeds the members to start from when the store holds no member set yet
 * @param pingIntervalMillis how often each peer is pinged
 * @param pumpIntervalMillis how often pumps retry shipping (they also ship right after a commit)
 * @param antiEntropyIntervalMillis mean spacing of the anti-entropy rounds this node starts
 * @param antiEntropyJitterMillis each spacing is the interval plus a uniform jitter in {@code
 *     [-jitter/2, jitter/2]}, so the nodes of a cluster do not start rounds in lockstep
 * @param sessionTimeoutMillis a sync session that hears nothing for this long is aborted
 * @param peerDeadTimeoutMillis a peer not heard from for this long is not live
 * @param ackTimeoutMillis unacknowledged replication batches older than this are sent again
 * @param batchMaxEntries most log entries in one replication batch
 * @param batchMaxBytes most payload bytes in one replication batch (one entry is always allowed)
 * @param inflightWindow most unacknowledged batches per peer
 * @param logRetentionEntries most local log entries kept for lagging peers
 * @param logRetentionBytes most local log payload bytes kept for lagging peers
 * @param hlcMaxDriftMillis how far ahead of the local clock a peer's stamp is adopted
 * @param decodeLimits bounds on decoding records and deltas from peers
 * @param maxKeyBytes longest client key
 * @param maxRecordBytes largest encoded counter or register a client write may produce (a set is
 *     kept in pieces, one row per member, and has no such limit); also the largest set anti-entropy
 *     puts together whole to ship (a larger one is shipped in slices)
 * @param syncConfig anti-entropy session parameters; its message bound must fit the largest record
 * @param recordCacheEntries decoded records kept in memory (the store stays the truth)
 * @param maxResponderSessions most sessions peers may hold open with this node at once
 * @param misbehaviors deliberate bugs, for test harnesses only
 */
public record ReplicaConfig(
    String nodeName,
    String clusterName,
    String address,
    List<Member> seeds,
    long pingIntervalMillis,
    long pumpIntervalMillis,
    long antiEntropyIntervalMillis,
    long antiEntropyJitterMillis,
    long sessionTimeoutMillis,
    long peerDeadTimeoutMillis,
    long ackTimeoutMillis,
    int batchMaxEntries,
    int batchMaxBytes,
    int inflightWindow,
    long logRetentionEntries,
    long logRetentionBytes,
    long hlcMaxDriftMillis,
    DecodeLimits decodeLimits,
    int maxKeyBytes,
    int maxRecordBytes,
    SyncConfig syncConfig,
    int recordCacheEntries,
    int maxResponderSessions,
    Set<Misbehavior> misbehaviors) {

  /** Room in a sync message beyond one record's key and state (framing, counts, lengths). */
  static final int SYNC_RECORD_OVERHEAD = 256;

  public ReplicaConfig {
    Member.checkName(nodeName);
    Objects.requireNonNull(clusterName, "clusterName");
    int clusterBytes = clusterName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (clusterBytes > 255) {
      throw new IllegalArgumentException(
          "clusterName length: " + clusterBytes + " bytes (expected: <= 255)");
    }
    Objects.requireNonNull(address, "address");
    new Member(nodeName, address); // checks the address
    seeds = List.copyOf(seeds);
    positive("pingIntervalMillis", pingIntervalMillis);
    positive("pumpIntervalMillis", pumpIntervalMillis);
    positive("antiEntropyIntervalMillis", antiEntropyIntervalMillis);
    if (antiEntropyJitterMillis < 0 || antiEntropyJitterMillis > antiEntropyIntervalMillis) {
      throw new IllegalArgumentException(
          "antiEntropyJitterMillis: "
              + antiEntropyJitterMillis
              + " (expected: 0..antiEntropyIntervalMillis "
              + antiEntropyIntervalMillis
              + ")");
    }
    positive("sessionTimeoutMillis", sessionTimeoutMillis);
    positive("peerDeadTimeoutMillis", peerDeadTimeoutMillis);
    positive("ackTimeoutMillis", ackTimeoutMillis);
    positive("batchMaxEntries", batchMaxEntries);
    positive("batchMaxBytes", batchMaxBytes);
    positive("inflightWindow", inflightWindow);
    positive("logRetentionEntries", logRetentionEntries);
    positive("logRetentionBytes", logRetentionBytes);
    if (hlcMaxDriftMillis < 0) {
      throw new IllegalArgumentException(
          "hlcMaxDriftMillis: " + hlcMaxDriftMillis + " (expected: >= 0)");
    }
    Objects.requireNonNull(decodeLimits, "decodeLimits");
    positive("maxKeyBytes", maxKeyBytes);
    positive("maxRecordBytes", maxRecordBytes);
    Objects.requireNonNull(syncConfig, "syncConfig");
    long needed = (long) maxKeyBytes + maxRecordBytes + SYNC_RECORD_OVERHEAD;
    if (syncConfig.maxMessageBytes() < needed) {
      throw new IllegalArgumentException(
          "syncConfig.maxMessageBytes: "
              + syncConfig.maxMessageBytes()
              + " (expected: >= maxKeyBytes + maxRecordBytes + "
              + SYNC_RECORD_OVERHEAD
              + " = "
              + needed
              + ", so every record can be shipped)");
    }
    if (maxRecordBytes > decodeLimits.maxInputBytes()) {
      throw new IllegalArgumentException(
          "maxRecordBytes: "
              + maxRecordBytes
              + " (expected: <= decodeLimits.maxInputBytes "
              + decodeLimits.maxInputBytes()
              + ")");
    }
    positive("recordCacheEntries", recordCacheEntries);
    positive("maxResponderSessions", maxResponderSessions);
    misbehaviors =
        misbehaviors.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(misbehaviors));
  }

  /** A builder with the defaults below for {@code nodeName}. */
  public static Builder builder(String nodeName) {
    return new Builder(nodeName);
  }

  /** Whether {@code m} is switched on. */
  public boolean has(Misbehavior m) {
    return misbehaviors.contains(m);
  }

  /**
   * The largest peer frame this configuration produces (a replication batch or a sync message): the
   * limit to give {@code PeerCodec} and the transport.
   */
  public int maxPeerFrameBytes() {
    long batch = (long) batchMaxBytes + maxKeyBytes + maxRecordBytes + 16L * batchMaxEntries;
    long sync = syncConfig.maxMessageBytes();
    return (int) Math.min(Integer.MAX_VALUE - 4096, Math.max(batch, sync) + 4096);
  }

  /** This node as a member. */
  public Member self() {
    return new Member(nodeName, address);
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder(nodeName);
    b.clusterName = clusterName;
    b.address = address;
    b.seeds = new ArrayList<>(seeds);
    b.pingIntervalMillis = pingIntervalMillis;
    b.pumpIntervalMillis = pumpIntervalMillis;
    b.antiEntropyIntervalMillis = antiEntropyIntervalMillis;
    b.antiEntropyJitterMillis = antiEntropyJitterMillis;
    b.sessionTimeoutMillis = sessionTimeoutMillis;
    b.peerDeadTimeoutMillis = peerDeadTimeoutMillis;
    b.ackTimeoutMillis = ackTimeoutMillis;
    b.batchMaxEntries = batchMaxEntries;
    b.batchMaxBytes = batchMaxBytes;
    b.inflightWindow = inflightWindow;
    b.logRetentionEntries = logRetentionEntries;
    b.logRetentionBytes = logRetentionBytes;
    b.hlcMaxDriftMillis = hlcMaxDriftMillis;
    b.decodeLimits = decodeLimits;
    b.maxKeyBytes = maxKeyBytes;
    b.maxRecordBytes = maxRecordBytes;
    b.syncConfig = syncConfig;
    b.recordCacheEntries = recordCacheEntries;
    b.maxResponderSessions = maxResponderSessions;
    b.misbehaviors = misbehaviors.isEmpty() ? Set.of() : EnumSet.copyOf(misbehaviors);
    return b;
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }

  /** Builds a {@link ReplicaConfig}; the defaults suit a small cluster on a LAN. */
  public static final class Builder {
    private final String nodeName;
    private String clusterName = "meld";
    private String address;
    private List<Member> seeds = new ArrayList<>();
    private long pingIntervalMillis = 500;
    private long pumpIntervalMillis = 20;
    private long antiEntropyIntervalMillis = 2_000;
    private long antiEntropyJitterMillis = 1_000;
    private long sessionTimeoutMillis = 5_000;
    private long peerDeadTimeoutMillis = 2_000;
    private long ackTimeoutMillis = 1_000;
    private int batchMaxEntries = 256;
    private int batchMaxBytes = 256 * 1024;
    private int inflightWindow = 8;
    private long logRetentionEntries = 1_000_000;
    private long logRetentionBytes = 256L << 20;
    private long hlcMaxDriftMillis = 10_000;
    private DecodeLimits decodeLimits = DecodeLimits.DEFAULT;
    private int maxKeyBytes = 64 * 1024;
    private int maxRecordBytes = 1 << 20;
    private SyncConfig syncConfig = SyncConfig.DEFAULT.withMaxMessageBytes(4 << 20);
    private int recordCacheEntries = 100_000;
    private int maxResponderSessions = 16;
    private Set<Misbehavior> misbehaviors = EnumSet.noneOf(Misbehavior.class);

    private Builder(String nodeName) {
      this.nodeName = nodeName;
    }

    public Builder clusterName(String v) {
      clusterName = v;
      return this;
    }

    /** This node's address; defaults to its address in the seed list, or empty. */
    public Builder address(String v) {
      address = v;
      return this;
    }

    public Builder seeds(List<Member> v) {
      seeds = new ArrayList<>(v);
      return this;
    }

    public Builder seeds(Member... v) {
      return seeds(List.of(v));
    }

    public Builder pingIntervalMillis(long v) {
      pingIntervalMillis = v;
      return this;
    }

    public Builder pumpIntervalMillis(long v) {
      pumpIntervalMillis = v;
      return this;
    }

    public Builder antiEntropyIntervalMillis(long v) {
      antiEntropyIntervalMillis = v;
      return this;
    }

    public Builder antiEntropyJitterMillis(long v) {
      antiEntropyJitterMillis = v;
      return this;
    }

    public Builder sessionTimeoutMillis(long v) {
      sessionTimeoutMillis = v;
      return this;
    }

    public Builder peerDeadTimeoutMillis(long v) {
      peerDeadTimeoutMillis = v;
      return this;
    }

    public Builder ackTimeoutMillis(long v) {
      ackTimeoutMillis = v;
      return this;
    }

    public Builder batchMaxEntries(int v) {
      batchMaxEntries = v;
      return this;
    }

    public Builder batchMaxBytes(int v) {
      batchMaxBytes = v;
      return this;
    }

    public Builder inflightWindow(int v) {
      inflightWindow = v;
      return this;
    }

    public Builder logRetentionEntries(long v) {
      logRetentionEntries = v;
      return this;
    }

    public Builder logRetentionBytes(long v) {
      logRetentionBytes = v;
      return this;
    }

    public Builder hlcMaxDriftMillis(long v) {
      hlcMaxDriftMillis = v;
      return this;
    }

    public Builder decodeLimits(DecodeLimits v) {
      decodeLimits = v;
      return this;
    }

    public Builder maxKeyBytes(int v) {
      maxKeyBytes = v;
      return this;
    }

    public Builder maxRecordBytes(int v) {
      maxRecordBytes = v;
      return this;
    }

    public Builder syncConfig(SyncConfig v) {
      syncConfig = v;
      return this;
    }

    public Builder recordCacheEntries(int v) {
      recordCacheEntries = v;
      return this;
    }

    public Builder maxResponderSessions(int v) {
      maxResponderSessions = v;
      return this;
    }

    public Builder misbehaviors(Set<Misbehavior> v) {
      misbehaviors = v.isEmpty() ? EnumSet.noneOf(Misbehavior.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder misbehave(Misbehavior... v) {
      misbehaviors.addAll(List.of(v));
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public ReplicaConfig build() {
      String own = address;
      if (own == null) {
        own =
            seeds.stream()
                .filter(m -> m.name().equals(nodeName))
                .map(Member::address)
                .findFirst()
                .orElse("");
      }
      return new ReplicaConfig(
          nodeName,
          clusterName,
          own,
          seeds,
          pingIntervalMillis,
          pumpIntervalMillis,
          antiEntropyIntervalMillis,
          antiEntropyJitterMillis,
          sessionTimeoutMillis,
          peerDeadTimeoutMillis,
          ackTimeoutMillis,
          batchMaxEntries,
          batchMaxBytes,
          inflightWindow,
          logRetentionEntries,
          logRetentionBytes,
          hlcMaxDriftMillis,
          decodeLimits,
          maxKeyBytes,
          maxRecordBytes,
          syncConfig,
          recordCacheEntries,
          maxResponderSessions,
          misbehaviors);
    }
  }
}
