package dev.meld.node.embed;

import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.admin.LeaveOutcome;
import dev.meld.node.server.CommandGateway;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.server.NodeRuntime;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Meld node, started by {@link Meld#builder()}. Handles to its replicated values are
 * cheap: ask for one per use or keep it. Thread-safe.
 */
public final class MeldNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MeldNode.class);

  private final NodeRuntime runtime;
  private final ExecutorService callbacks;

  MeldNode(NodeRuntime runtime) {
    this.runtime = runtime;
    String name = "meld-callbacks-" + runtime.info().nodeName();
    this.callbacks =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    // A node asked to leave (POST /leave on its admin port, or leave()) stops by itself; this
    // handle then closes too.
    runtime.left().whenComplete((status, error) -> shutdown());
  }

  /** The counter at {@code key}. */
  public MeldCounter counter(String key) {
    return new MeldCounter(key, runtime);
  }

  /** The set of strings at {@code key}. */
  public MeldSet set(String key) {
    return new MeldSet(key, runtime);
  }

  /** The string register at {@code key}. */
  public MeldRegister register(String key) {
    return new MeldRegister(key, runtime);
  }

  /**
   * Calls {@code listener} with each key that changes from now on, by a write here or one
   * replicated from a peer (a write that changed nothing is not reported). Listeners run one at a
   * time on the node's callback thread, never on the replica thread; a slow listener delays the
   * others, not the node. Close the returned handle to stop listening.
   */
  public AutoCloseable onChange(Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    return runtime.onChange(
        key -> {
          try {
            listener.accept(Handle.text(key));
          } catch (RuntimeException e) {
            log.warn("a change listener failed for key {}", Handle.text(key), e);
          }
        },
        callbacks);
  }

  /** What the node knows about itself and its peers (a recent snapshot). */
  public ReplicaStatus status() {
    return runtime.status();
  }

  /** Name, incarnation, version and ports. */
  public NodeInfo info() {
    return runtime.info();
  }

  /** The command gateway, for applications that speak {@link dev.meld.node.command.Command}s. */
  public CommandGateway gateway() {
    return runtime;
  }

  /**
   * Stops the node: drains (waits, up to the drain timeout, for live peers to take this node's
   * writes), closes the store cleanly, stops the callback thread after the queued callbacks ran.
   * Returns how the drain ended. Idempotent.
   */
  public DrainStatus shutdown() {
    DrainStatus drain = runtime.shutdown();
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("change listeners still running 5 s after the node stopped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return drain;
  }

  /**
   * Leaves the cluster for good: removes this node from the replicated member set, drains (waits,
   * up to the drain timeout, for every live peer to acknowledge its writes), then stops and closes
   * this handle. Other members stop listing it. Returns how the drain ended.
   *
   * @throws IllegalStateException if the node is already leaving or stopping
   */
  public DrainStatus leave() {
    LeaveOutcome outcome = runtime.leave().join();
    if (!outcome.started()) {
      throw new IllegalStateException(outcome.refusal());
    }
    return runtime.left().join();
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
