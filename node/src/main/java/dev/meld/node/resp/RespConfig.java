package dev.meld.node.resp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How the RESP client port listens and what it accepts. Build one with {@link #builder()}; every
 * value is checked when built, with a message naming the value and the expectation.
 *
 * <p>Requests beyond a limit are protocol errors: the client gets {@code -ERR Protocol error: ...}
 * after the replies it is owed and the connection closes, as Redis does for its own limits.
 *
 * @param bindAddress where to listen (port 0 picks a free port)
 * @param password the password clients must give with {@code AUTH} or {@code HELLO ... AUTH}, or
 *     null for none
 * @param maxBulkBytes longest bulk string in a request. Redis allows 512 MiB ({@code
 *     proto-max-bulk-len}); the node's default is 8 MiB because the replica refuses records over 1
 *     MiB anyway
 * @param maxArrayLength most arguments in one request (Redis: 2^31 - 1; default 1 Mi)
 * @param maxInlineBytes longest inline command line (Redis and the default: 64 KiB)
 * @param maxRequestBytes most bytes one request may hold, counting each argument as its length plus
 *     {@value #ARGUMENT_OVERHEAD_BYTES} bytes of bookkeeping (Redis' query buffer limit is 1 GiB;
 *     default 64 MiB)
 * @param maxPipelinedCommands most commands of one connection handed to the node and waiting for
 *     their replies; at it the connection stops reading its socket until fewer than half are
 *     waiting, so a client that pipelines deeper is slowed down, never refused (default 10,000)
 * @param maxClients most connections at once; more are answered with an error and closed (Redis and
 *     the default: 10,000)
 * @param idleTimeoutMillis a connection with nothing pending and no traffic for this long is closed
 *     (0 for never; default 300 s, where Redis' {@code timeout} defaults to never)
 * @param ioThreads Netty event loop threads for client connections
 * @param maxUnfinishedRequestBytes node-wide budget for requests still being read: the bytes every
 *     connection's unfinished request has announced beyond its first {@value
 *     #UNCOUNTED_REQUEST_BYTES}; a request that would take the node over it is refused and its
 *     connection closed before its bytes are read (default 256 MiB; at least {@code
 *     maxRequestBytes}, so that one request of the largest size always fits an idle node)
 * @param maxAuthFailures failed {@code AUTH}s after which a connection is closed; it can never log
 *     in (default 10)
 * @param authFailuresPerAddress failed {@code AUTH}s one source address may make in {@value
 *     #AUTH_WINDOW_MILLIS} ms; beyond them every {@code AUTH} from it is refused, right password or
 *     not, until the window ends (default 100)
 * @param authDelayMillis the delay of the first slowed {@code WRONGPASS}: after {@value
 *     #FREE_AUTH_FAILURES} failures on a connection each further one is answered after this,
 *     doubling each time up to {@value #MAX_AUTH_DELAY_MILLIS} ms (default 100 ms)
 */
public record RespConfig(
    InetSocketAddress bindAddress,
    String password,
    int maxBulkBytes,
    int maxArrayLength,
    int maxInlineBytes,
    long maxRequestBytes,
    int maxPipelinedCommands,
    int maxClients,
    long idleTimeoutMillis,
    int ioThreads,
    long maxUnfinishedRequestBytes,
    int maxAuthFailures,
    int authFailuresPerAddress,
    long authDelayMillis) {

  /** The longest bulk string or line RESP (and Netty's decoder) allows: 512 MiB. */
  public static final int MAX_RESP_LENGTH = 512 << 20;

  /** What each argument of a request counts beyond its bytes toward {@link #maxRequestBytes}. */
  public static final int ARGUMENT_OVERHEAD_BYTES = 32;

  /**
   * What a request may hold before it counts toward {@link #maxUnfinishedRequestBytes}: ordinary
   * requests never touch the shared budget, so a node whose budget is taken by huge unfinished
   * requests still serves them. Per connection this is bounded like an inline line.
   */
  public static final int UNCOUNTED_REQUEST_BYTES = 64 * 1024;

  /** Failed {@code AUTH}s on a connection answered at once (typos); later ones are slowed. */
  public static final int FREE_AUTH_FAILURES = 3;

  /** The longest a failed {@code AUTH} is slowed. */
  public static final long MAX_AUTH_DELAY_MILLIS = 5_000;

  /** The window {@link #authFailuresPerAddress} counts in. */
  public static final long AUTH_WINDOW_MILLIS = 60_000;

  public RespConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (password != null && password.isEmpty()) {
      throw new IllegalArgumentException("password: empty (expected: null for none, or 1+ chars)");
    }
    withinResp("maxBulkBytes", maxBulkBytes);
    positive("maxArrayLength", maxArrayLength);
    withinResp("maxInlineBytes", maxInlineBytes);
    positive("maxRequestBytes", maxRequestBytes);
    positive("maxPipelinedCommands", maxPipelinedCommands);
    positive("maxClients", maxClients);
    if (idleTimeoutMillis < 0) {
      throw new IllegalArgumentException(
          "idleTimeoutMillis: " + idleTimeoutMillis + " (expected: >= 0, 0 for never)");
    }
    positive("ioThreads", ioThreads);
    if (maxUnfinishedRequestBytes < maxRequestBytes) {
      throw new IllegalArgumentException(
          "maxUnfinishedRequestBytes: "
              + maxUnfinishedRequestBytes
              + " (expected: >= maxRequestBytes "
              + maxRequestBytes
              + ")");
    }
    positive("maxAuthFailures", maxAuthFailures);
    positive("authFailuresPerAddress", authFailuresPerAddress);
    if (authDelayMillis < 0 || authDelayMillis > MAX_AUTH_DELAY_MILLIS) {
      throw new IllegalArgumentException(
          "authDelayMillis: " + authDelayMillis + " (expected: 0.." + MAX_AUTH_DELAY_MILLIS + ")");
    }
  }

  /**
   * How long the reply to a connection's {@code failures}-th failed {@code AUTH} is held back: none
   * for the first {@value #FREE_AUTH_FAILURES}, then {@code authDelayMillis} doubling per failure,
   * at most {@value #MAX_AUTH_DELAY_MILLIS} ms.
   */
  public long authDelayMillis(int failures) {
    if (failures <= FREE_AUTH_FAILURES || authDelayMillis == 0) {
      return 0;
    }
    int doublings = Math.min(failures - FREE_AUTH_FAILURES - 1, 20);
    return Math.min(authDelayMillis << doublings, MAX_AUTH_DELAY_MILLIS);
  }

  /** A builder with the defaults above, listening on 127.0.0.1:6379. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether clients must authenticate. */
  public boolean requiresPassword() {
    return password != null;
  }

  @Override
  public String toString() {
    // The password never goes to a log.
    return "RespConfig[bindAddress="
        + bindAddress
        + ", password="
        + (password == null ? "none" : "set")
        + ", maxBulkBytes="
        + maxBulkBytes
        + ", maxArrayLength="
        + maxArrayLength
        + ", maxInlineBytes="
        + maxInlineBytes
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", maxPipelinedCommands="
        + maxPipelinedCommands
        + ", maxClients="
        + maxClients
        + ", idleTimeoutMillis="
        + idleTimeoutMillis
        + ", ioThreads="
        + ioThreads
        + ", maxUnfinishedRequestBytes="
        + maxUnfinishedRequestBytes
        + ", maxAuthFailures="
        + maxAuthFailures
        + ", authFailuresPerAddress="
        + authFailuresPerAddress
        + ", authDelayMillis="
        + authDelayMillis
        + "]";
  }

  private static void withinResp(String name, int value) {
    if (value < 1 || value > MAX_RESP_LENGTH) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: 1.." + MAX_RESP_LENGTH + ")");
    }
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }

  /** Builds a {@link RespConfig}. */
  public static final class Builder {
    private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 6379);
    private String password;
    private int maxBulkBytes = 8 << 20;
    private int maxArrayLength = 1 << 20;
    private int maxInlineBytes = 64 * 1024;
    private long maxRequestBytes = 64L << 20;
    private int maxPipelinedCommands = 10_000;
    private int maxClients = 10_000;
    private long idleTimeoutMillis = 300_000;
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private long maxUnfinishedRequestBytes = 256L << 20;
    private int maxAuthFailures = 10;
    private int authFailuresPerAddress = 100;
    private long authDelayMillis = 100;

    private Builder() {}

    public Builder bindAddress(InetSocketAddress v) {
      bindAddress = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder maxBulkBytes(int v) {
      maxBulkBytes = v;
      return this;
    }

    public Builder maxArrayLength(int v) {
      maxArrayLength = v;
      return this;
    }

    public Builder maxInlineBytes(int v) {
      maxInlineBytes = v;
      return this;
    }

    public Builder maxRequestBytes(long v) {
      maxRequestBytes = v;
      return this;
    }

    public Builder maxPipelinedCommands(int v) {
      maxPipelinedCommands = v;
      return this;
    }

    public Builder maxClients(int v) {
      maxClients = v;
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

    public Builder maxUnfinishedRequestBytes(long v) {
      maxUnfinishedRequestBytes = v;
      return this;
    }

    public Builder maxAuthFailures(int v) {
      maxAuthFailures = v;
      return this;
    }

    public Builder authFailuresPerAddress(int v) {
      authFailuresPerAddress = v;
      return this;
    }

    public Builder authDelayMillis(long v) {
      authDelayMillis = v;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public RespConfig build() {
      return new RespConfig(
          bindAddress,
          password,
          maxBulkBytes,
          maxArrayLength,
          maxInlineBytes,
          maxRequestBytes,
          maxPipelinedCommands,
          maxClients,
          idleTimeoutMillis,
          ioThreads,
          maxUnfinishedRequestBytes,
          maxAuthFailures,
          authFailuresPerAddress,
          authDelayMillis);
    }
  }
}
