package dev.meld.chaos.cluster;

import java.time.Duration;
import java.util.List;

/**
 * A RESP client bound to one node: the few commands the chaos bench's workloads use. One
 * connection, confined to one thread (a Jepsen client process); after a connection is lost the next
 * operation opens a new one.
 *
 * <p>Every operation either returns what the node replied, or throws {@link NodeClientException}:
 * {@linkplain NodeClientException#indeterminate() indeterminate} when the outcome is unknown (a
 * timeout, a lost or refused connection: the history records {@code info}), definite when the node
 * replied with an error (the operation did not happen: {@code fail}).
 */
public interface NodeClient extends AutoCloseable {

  /** The node this client talks to. */
  String node();

  /** {@code INCRBY key delta}: the counter's value after the increment, as the node saw it. */
  long incrBy(String key, long delta);

  /** {@code DECRBY key delta}: the counter's value after the decrement. */
  long decrBy(String key, long delta);

  /** {@code GET key} of a counter: its value, 0 if the key does not exist. */
  long counterGet(String key);

  /** {@code SADD key member}: 1 if the member was added, 0 if it was there. */
  long sadd(String key, String member);

  /**
   * {@code SADD key member [member ...]}: every member is in the set once it returns (added, or
   * already there). One command, so one write: a pre-fill sends members in chunks this way.
   *
   * @throws IllegalArgumentException for no members (nothing is sent)
   */
  void saddAll(String key, List<String> members);

  /** {@code SCARD key}: how many members the node's set holds, 0 if the key does not exist. */
  long scard(String key);

  /** {@code SREM key member}: 1 if the member was removed, 0 if it was not there. */
  long srem(String key, String member);

  /**
   * {@code SMEMBERS key}: the members exactly as the node returned them, in its order, duplicates
   * kept (so a checker can see a duplicate), empty if the key does not exist.
   */
  List<String> smembers(String key);

  /**
   * {@code WAIT replicas timeout}: how many peers acknowledged this connection's writes within the
   * timeout (Redis semantics). The client waits {@code timeout} plus its per-operation timeout.
   */
  long waitReplicas(int replicas, Duration timeout);

  /** Closes the connection; never throws. */
  @Override
  void close();
}
