package dev.meld.chaos.cluster;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link NodeClient} over one Jedis connection. The per-operation timeout is the socket timeout: an
 * operation whose reply does not arrive in time is indeterminate and the connection is dropped (a
 * late reply must not be read as the answer to the next operation); the next operation connects
 * again.
 */
public final class JedisNodeClient implements NodeClient {

  private final String node;
  private final HostAndPort address;
  private final JedisClientConfig config;
  private final int timeoutMillis;
  private Jedis jedis;

  public JedisNodeClient(String node, InetSocketAddress address, Duration timeout) {
    this(node, address, timeout, null);
  }

  /** As above, speaking TLS through {@code ssl} (null: plain RESP). */
  public JedisNodeClient(
      String node, InetSocketAddress address, Duration timeout, SSLSocketFactory ssl) {
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "timeout: " + timeout + " (expected: positive, at most " + Integer.MAX_VALUE + " ms)");
    }
    this.node = node;
    this.address = new HostAndPort(address.getHostString(), address.getPort());
    this.timeoutMillis = (int) timeout.toMillis();
    this.config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .ssl(ssl != null)
            .sslSocketFactory(ssl)
            .build();
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public long incrBy(String key, long delta) {
    return call("INCRBY " + key + " " + delta, j -> j.incrBy(key, delta));
  }

  @Override
  public long decrBy(String key, long delta) {
    return call("DECRBY " + key + " " + delta, j -> j.decrBy(key, delta));
  }

  @Override
  public long counterGet(String key) {
    String value = call("GET " + key, j -> j.get(key));
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new NodeClientException(
          node, "GET " + key + ": \"" + value + "\" (expected: a counter's integer)", false, e);
    }
  }

  @Override
  public long sadd(String key, String member) {
    return call("SADD " + key + " " + member, j -> j.sadd(key, member));
  }

  @Override
  public void saddAll(String key, List<String> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("SADD " + key + ": no members (expected: at least one)");
    }
    String what = "SADD " + key + " (" + members.size() + " members from " + members.get(0) + ")";
    call(what, j -> j.sadd(key, members.toArray(String[]::new)));
  }

  @Override
  public long scard(String key) {
    return call("SCARD " + key, j -> j.scard(key));
  }

  @Override
  public long srem(String key, String member) {
    return call("SREM " + key + " " + member, j -> j.srem(key, member));
  }

  @Override
  public List<String> smembers(String key) {
    // Jedis' smembers() returns a Set, which would hide a duplicate the node returned.
    Object reply = call("SMEMBERS " + key, j -> j.sendCommand(Protocol.Command.SMEMBERS, key));
    if (!(reply instanceof List<?> items)) {
      throw new NodeClientException(
          node, "SMEMBERS " + key + ": " + reply + " (expected: an array)", false, null);
    }
    List<String> members = new ArrayList<>(items.size());
    for (Object item : items) {
      members.add(new String((byte[]) item, StandardCharsets.UTF_8));
    }
    return members;
  }

  @Override
  public long waitReplicas(int replicas, Duration timeout) {
    long waitMillis = timeout.toMillis();
    if (replicas < 0 || waitMillis < 0 || waitMillis > Integer.MAX_VALUE - timeoutMillis) {
      throw new IllegalArgumentException(
          "WAIT "
              + replicas
              + " "
              + waitMillis
              + " (expected: replicas >= 0, 0 <= timeout <= "
              + (Integer.MAX_VALUE - timeoutMillis)
              + " ms)");
    }
    return call(
        "WAIT " + replicas + " " + waitMillis,
        j -> {
          j.getConnection().setSoTimeout((int) waitMillis + timeoutMillis);
          try {
            return j.waitReplicas(replicas, waitMillis);
          } finally {
            if (!j.getConnection().isBroken()) {
              j.getConnection().setSoTimeout(timeoutMillis);
            }
          }
        });
  }

  private <T> T call(String op, Function<Jedis, T> command) {
    try {
      if (jedis == null) {
        // Jedis connects in its constructor: a refused connection is thrown from here.
        jedis = new Jedis(address, config);
      }
      return command.apply(jedis);
    } catch (JedisDataException e) {
      // The node answered with an error: the operation did not happen.
      throw new NodeClientException(node, op + ": " + e.getMessage(), false, e);
    } catch (JedisException | IllegalStateException e) {
      // Timeout, refused or lost connection, or a reply Jedis could not read: outcome unknown.
      dropConnection();
      throw new NodeClientException(node, op + ": " + e.getMessage(), true, e);
    }
  }

  private void dropConnection() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        // already broken; nothing more to release
      }
      jedis = null;
    }
  }

  @Override
  public void close() {
    dropConnection();
  }
}
