package dev.meld.chaos.workload;

import dev.meld.chaos.cluster.NodeClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One client operation of a workload, before it is sent: what it does, on which key, with which
 * argument. It knows its history {@code f} and values (Jepsen's {@code independent} tuples {@code
 * [key, v]}) and how to run itself on a {@link NodeClient}, so the local backend and the simulator
 * record the same history for the same request.
 *
 * @param kind what the request does
 * @param key the counter or set it acts on
 * @param argument the delta (counters, never 0) or the element (sets); 0 for reads
 */
public record Request(Kind kind, String key, long argument) {

  /** The operations the workloads issue. */
  public enum Kind {
    /** {@code INCRBY} (positive) or {@code DECRBY} (negative): history {@code add [k, delta]}. */
    COUNTER_ADD("add"),
    /**
     * {@code GET} of a counter while the workload runs: history {@code local-read [k, value]}. Not
     * a Jepsen {@code read}: a replica that has not heard of writes made elsewhere reads less than
     * Jepsen's counter bounds allow, which an eventually consistent counter may; only final reads
     * are judged against those bounds.
     */
    COUNTER_READ("local-read"),
    /** {@code SADD}: history {@code add [k, element]}. */
    SET_ADD("add"),
    /** {@code SREM}: history {@code remove [k, element]}. */
    SET_REMOVE("remove"),
    /** {@code SMEMBERS}: history {@code read [k, [elements]]}. */
    SET_READ("read"),
    /** A counter's {@code GET} after the cluster quiesced: {@code final-read [k, value]}. */
    FINAL_COUNTER_READ("final-read"),
    /** A set's {@code SMEMBERS} after the cluster quiesced: {@code final-read [k, [elements]]}. */
    FINAL_SET_READ("final-read");

    private final String f;

    Kind(String f) {
      this.f = f;
    }

    /** The history's {@code f}. */
    public String f() {
      return f;
    }

    /** Whether the request reads (its argument is unused). */
    public boolean isRead() {
      return this == COUNTER_READ || this == SET_READ || isFinal();
    }

    /** Whether it is a final read. */
    public boolean isFinal() {
      return this == FINAL_COUNTER_READ || this == FINAL_SET_READ;
    }
  }

  public Request {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if (kind == Kind.COUNTER_ADD && argument == 0) {
      throw new IllegalArgumentException("delta: 0 (expected: non-zero)");
    }
    if (kind == Kind.COUNTER_ADD && argument == Long.MIN_VALUE) {
      throw new IllegalArgumentException("delta: " + argument + " (expected: > Long.MIN_VALUE)");
    }
  }

  /** The history's {@code f}. */
  public String f() {
    return kind.f();
  }

  /** The invocation's value: {@code [key, argument]}, or {@code [key, null]} for a read. */
  public List<Object> invokeValue() {
    return Arrays.asList(key, kind.isRead() ? null : argument);
  }

  /** The {@code ok} completion's value for what the node returned ({@link #execute}). */
  public List<Object> okValue(Object result) {
    return Arrays.asList(key, result);
  }

  /**
   * Runs the request on {@code client} and returns what the history records inside the tuple: the
   * delta or element for writes, the value for a counter read, the elements (as numbers, in the
   * node's order, duplicates kept) for a set read.
   *
   * @throws dev.meld.chaos.cluster.NodeClientException if the node did not reply or replied with
   *     an error
   * @throws IllegalStateException if a set read returned a member that is not a number (no
   *     workload adds one)
   */
  public Object execute(NodeClient client) {
    switch (kind) {
      case COUNTER_ADD:
        if (argument > 0) {
          client.incrBy(key, argument);
        } else {
          client.decrBy(key, -argument);
        }
        return argument;
      case COUNTER_READ:
      case FINAL_COUNTER_READ:
        return client.counterGet(key);
      case SET_ADD:
        client.sadd(key, Long.toString(argument));
        return argument;
      case SET_REMOVE:
        client.srem(key, Long.toString(argument));
        return argument;
      case SET_READ:
      case FINAL_SET_READ:
        return elements(client.node(), client.smembers(key));
      default:
        throw new IllegalStateException("kind: " + kind);
    }
  }

  /** Set members as the numbers the workload added, in the node's order. */
  public static List<Long> elements(String node, List<String> members) {
    List<Long> elements = new ArrayList<>(members.size());
    for (String m : members) {
      try {
        elements.add(Long.parseLong(m));
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            node + ": set member: \"" + m + "\" (expected: a decimal element the workload added)",
            e);
      }
    }
    return elements;
  }
}
