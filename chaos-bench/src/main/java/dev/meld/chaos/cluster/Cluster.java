package dev.meld.chaos.cluster;

import dev.meld.chaos.nemesis.Grudge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running Meld cluster as the chaos bench sees it, whatever runs it: local processes, containers
 * or the deterministic simulator. Scenarios talk to this interface only.
 *
 * <p>Every fault returns a {@link FaultReceipt} that says what was done and whether the cluster
 * <em>verified</em> that it took effect (a kill: the process is gone; a partition: the links are
 * cut and the nodes see it; a clock offset: the node's clock moved). A fault method never throws
 * for a fault that did not happen: it returns a receipt with {@link FaultReceipt.Status#FAILED} and
 * says why, and the scenario then fails. It throws {@link IllegalArgumentException} only for bad
 * arguments (an unknown node, a negative latency), and then changes nothing.
 *
 * <p>Methods may be called from any thread; faults are applied one at a time.
 */
public interface Cluster extends AutoCloseable {

  /** {@code "local"}, {@code "sim"}, later {@code "docker"}. */
  String backend();

  /** The current members, in start order (e.g. {@code n1 .. n5}, then nodes that joined). */
  List<String> nodes();

  /**
   * Starts every node and waits (bounded) until each one is ready.
   *
   * @throws Exception if a node could not start or did not become ready in time; the cluster is
   *     then left for {@link #close()} to clean up
   */
  void start() throws Exception;

  /** A new client bound to {@code node} with the cluster's default per-operation timeout. */
  NodeClient client(String node);

  /**
   * A new client bound to {@code node}. A client is confined to one thread and holds one
   * connection; an operation that does not complete within {@code timeout} is indeterminate.
   */
  NodeClient client(String node, Duration timeout);

  /** The node's {@code /health}, parsed. */
  NodeHealth health(String node) throws NodeUnreachable;

  /**
   * Empty when this cluster can inject faults of {@code kind}; otherwise why not, with what to do
   * about it (e.g. clock faults without libfaketime: {@code "apt-get install -y faketime"}). A
   * scenario that needs an unsupported fault is reported SKIPPED with this reason.
   */
  Optional<String> unsupported(FaultKind kind);

  /** SIGKILL: the process is gone, its data kept. */
  FaultReceipt kill(String node);

  /** Starts a node that is down (killed, terminated) on its existing data; verified by /ready. */
  FaultReceipt restart(String node);

  /** SIGSTOP: verified when the node stops answering /health. */
  FaultReceipt pause(String node);

  /** SIGCONT: verified when the node answers /health again. */
  FaultReceipt resume(String node);

  /**
   * SIGTERM: the node drains and exits. Verified when it exited with code 0 and its log says the
   * drain completed; the receipt's detail carries the exit code and the drain result.
   */
  FaultReceipt terminate(String node);

  /** Kills the node, destroys its data directory and starts it empty; verified by /ready. */
  FaultReceipt wipe(String node);

  /**
   * Takes a backup: stops the node gracefully (as a graceful restart does), copies its data
   * directory as the copy named {@code copy} (replacing an earlier copy of that name), and starts
   * it again on its data; verified when the stop drained, the copy is complete and the node is
   * ready. A node whose stop or copy failed is started again all the same.
   *
   * @throws IllegalArgumentException for an unknown node or a name that is not a copy name
   */
  FaultReceipt backup(String node, String copy);

  /**
   * Puts a backup back: stops the node, replaces its data directory with the copy named {@code
   * copy}, marks it restored so the node takes a new incarnation, and starts it; verified when the
   * node consumed the mark and is ready. Without such a copy (its backup failed) nothing is done
   * and the receipt fails.
   *
   * @throws IllegalArgumentException for an unknown node or a name that is not a copy name
   */
  FaultReceipt restore(String node, String copy);

  /**
   * Cuts the mesh as the grudge says: a receiver that drops a sender gets nothing from it (link
   * {@code sender -> receiver} is cut). Replaces any partition in effect; slow and lossy links are
   * kept. Clients still reach every node.
   */
  FaultReceipt partition(Grudge<String> grudge);

  /** Removes every mesh fault (partitions, slow and lossy links). */
  FaultReceipt heal();

  /** Delays what {@code from} sends to {@code to} by {@code latency ± jitter}. */
  FaultReceipt slow(String from, String to, Duration latency, Duration jitter);

  /**
   * Makes link {@code from -> to} lossy: each connection on it, with {@code probability}, is cut
   * mid-message and must be re-established (see chaos-bench/PROXY.md for what loss means over TCP).
   */
  FaultReceipt lossy(String from, String to, double probability);

  /**
   * Sets the node's wall clock to real time plus {@code offset} (negative: behind), replacing any
   * offset before. {@link Duration#ZERO} resets it. Verified against the node's reported clock.
   */
  FaultReceipt clockOffset(String node, Duration offset);

  /**
   * Adds a new member named {@code node}, seeded with the current members; verified when it is
   * ready and the others list it as a member.
   */
  FaultReceipt join(String node);

  /**
   * The node leaves the cluster gracefully (drains) and stops; verified when it exited cleanly and
   * the remaining members no longer list it.
   */
  FaultReceipt leave(String node);

  /** Where node logs and the cluster's own log of faults are written. */
  Path logDir();

  /** Stops every node and releases every resource; never throws for a node already gone. */
  @Override
  void close();
}
