package dev.meld.chaos.sim;

import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeClientException;
import dev.meld.node.sim.ClientOp;
import dev.meld.node.sim.SimOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A synchronous client of one simulated node, for what the runner reads after the workload (the
 * convergence watch, the final reads): each call sends the request and runs the simulation until
 * its completion (the simulator's client timeout bounds it). The workload's writes go through
 * {@link SimClients}; the simulator's replies to writes carry no count, so {@code INCRBY}, {@code
 * DECRBY}, {@code SADD} and {@code WAIT} are not offered. A pre-fill's {@code SADD} of many
 * members is offered: the simulator's clients add one member per request, so it sends one request
 * per member, all at once, and waits for every one. A {@code fail} completion (the
 * node refused: no process, or an error reply) is a definite {@link NodeClientException}; an
 * {@code info} (a crash or a timeout) an indeterminate one.
 */
final class SimNodeClient implements NodeClient {

  private final SimBackedCluster cluster;
  private final String node;

  SimNodeClient(SimBackedCluster cluster, String node) {
    this.cluster = cluster;
    this.node = node;
  }

  @Override
  public String node() {
    return node;
  }

  private Object call(ClientOp op) {
    SimOp[] done = new SimOp[1];
    cluster.sim().invoke(cluster.nextProcess(), node, op, c -> done[0] = c);
    if (!cluster.advanceUntil(() -> done[0] != null, SimBackedCluster.SETTLE_MILLIS)) {
      throw new NodeClientException(node, op.f() + " " + op.key() + ": no completion", true, null);
    }
    SimOp c = done[0];
    if (c.type() == SimOp.Type.OK) {
      return c.value();
    }
    throw new NodeClientException(
        node, op.f() + " " + op.key() + ": " + c.error(), c.type() == SimOp.Type.INFO, null);
  }

  @Override
  public long incrBy(String key, long delta) {
    throw unsupported("INCRBY");
  }

  @Override
  public long decrBy(String key, long delta) {
    throw unsupported("DECRBY");
  }

  private static UnsupportedOperationException unsupported(String command) {
    return new UnsupportedOperationException(
        command + ": the simulator's reply carries no count; writes go through SimClients");
  }

  @Override
  public long counterGet(String key) {
    return (Long) call(new ClientOp.CounterRead(key));
  }

  @Override
  public long sadd(String key, String member) {
    throw unsupported("SADD");
  }

  /**
   * One simulated add per member, all in flight together. Ok when every one was; indeterminate if
   * any was (some members may have been added); definite only when every one failed.
   */
  @Override
  public void saddAll(String key, List<String> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("SADD " + key + ": no members (expected: at least one)");
    }
    List<SimOp> done = new ArrayList<>(members.size());
    for (String m : members) {
      cluster.sim().invoke(cluster.nextProcess(), node, new ClientOp.SetAdd(key, m), done::add);
    }
    String what = "SADD " + key + " (" + members.size() + " members from " + members.get(0) + ")";
    if (!cluster.advanceUntil(() -> done.size() == members.size(), SimBackedCluster.SETTLE_MILLIS)) {
      throw new NodeClientException(
          node, what + ": " + (members.size() - done.size()) + " adds without completion", true, null);
    }
    long ok = done.stream().filter(c -> c.type() == SimOp.Type.OK).count();
    if (ok == members.size()) {
      return;
    }
    SimOp bad = done.stream().filter(c -> c.type() != SimOp.Type.OK).findFirst().orElseThrow();
    boolean allFailed = done.stream().allMatch(c -> c.type() == SimOp.Type.FAIL);
    throw new NodeClientException(
        node, what + ": " + (members.size() - ok) + " adds not ok, e.g. " + bad.error(), !allFailed, null);
  }

  /** The size of a set read: the simulator's clients have no {@code SCARD}. */
  @Override
  public long scard(String key) {
    return ((List<?>) call(new ClientOp.SetRead(key))).size();
  }

  @Override
  public long srem(String key, String member) {
    Object value = call(new ClientOp.SetRemove(key, member));
    return Boolean.TRUE.equals(((Map<?, ?>) value).get("present")) ? 1 : 0;
  }

  @Override
  public List<String> smembers(String key) {
    List<String> members = new ArrayList<>();
    for (Object m : (List<?>) call(new ClientOp.SetRead(key))) {
      members.add((String) m);
    }
    return members;
  }

  @Override
  public long waitReplicas(int replicas, Duration timeout) {
    throw unsupported("WAIT");
  }

  @Override
  public void close() {}
}
