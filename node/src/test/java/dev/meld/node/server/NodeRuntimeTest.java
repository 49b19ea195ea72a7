package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class NodeRuntimeTest {

  @TempDir Path dir;

  private static final Bytes KEY = Bytes.utf8("k");

  static NodeConfig.Builder config(String name, Path dataDir) {
    return NodeConfig.builder(ReplicaConfig.builder(name).build())
        .dataDir(dataDir)
        .clientBind(null)
        .meshBind(new InetSocketAddress("127.0.0.1", 0))
        .adminBind(new InetSocketAddress("127.0.0.1", 0))
        .drainTimeoutMillis(2_000);
  }

  private static Reply exec(NodeRuntime node, Command c) {
    return node.execute(c).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aCleanRestartKeepsTheIncarnationAndTheData() {
    long incarnation;
    // seq 1 is the node's own member record, written when it first opened
    try (NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build())) {
      incarnation = node.info().incarnation();
      assertThat(exec(node, new Command.Increment(KEY, 7))).isEqualTo(new Reply.Int(7, 2));
      assertThat(node.info().adminAddress().getPort()).isPositive();
      assertThat(node.info().version()).isNotBlank().isNotEqualTo("unknown");
    }
    try (NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build())) {
      assertThat(node.info().incarnation()).isEqualTo(incarnation);
      assertThat(exec(node, new Command.CounterGet(KEY))).isEqualTo(Reply.Int.of(7));
    }
  }

  @Test
  void theClientPortSpeaksRespAndCountsClients() throws Exception {
    NodeConfig config =
        config("n1", dir.resolve("n1")).clientBind(new InetSocketAddress("127.0.0.1", 0)).build();
    try (NodeRuntime node = NodeRuntime.start(config);
        Jedis jedis = new Jedis("127.0.0.1", node.info().clientAddress().getPort())) {
      assertThat(jedis.incrBy("k", 4)).isEqualTo(4);
      assertThat(jedis.waitReplicas(0, 100)).isZero();
      assertThat(node.metrics().scrape()).contains("meld_connections{kind=\"client\"} 1.0");
    }
  }

  @Test
  void shutdownDrainsThenRefusesAndIsIdempotent() {
    NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build());
    DrainStatus drain = node.shutdown();
    assertThat(drain.state()).isEqualTo(DrainStatus.State.COMPLETED); // no peers to wait for
    assertThat(node.shutdown()).isSameAs(drain);
    assertThatThrownBy(() -> exec(node, new Command.CounterGet(KEY)))
        .hasMessageContaining("shutting down");
  }

  @Test
  void aSecondNodeOnTheSameDirectoryIsRefusedAndTheFirstKeepsServing() {
    try (NodeRuntime first = NodeRuntime.start(config("n1", dir.resolve("n1")).build())) {
      assertThatThrownBy(() -> NodeRuntime.start(config("n1", dir.resolve("n1")).build()))
          .hasMessageContaining("lock");
      assertThat(exec(first, new Command.Increment(KEY, 1)).seq()).isPositive();
    }
  }

  @Test
  void aTakenAdminPortFailsTheStartAndReleasesTheStore() {
    try (NodeRuntime first = NodeRuntime.start(config("n1", dir.resolve("n1")).build())) {
      NodeConfig clash =
          config("n2", dir.resolve("n2")).adminBind(first.info().adminAddress()).build();
      assertThatThrownBy(() -> NodeRuntime.start(clash))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("admin port 127.0.0.1:" + first.info().adminAddress().getPort());
      // the failed start closed its store: the directory opens again
      try (NodeRuntime second =
          NodeRuntime.start(config("n2", dir.resolve("n2")).build())) {
        assertThat(exec(second, new Command.CounterGet(KEY))).isEqualTo(Reply.Int.of(0));
      }
    }
  }

  @Test
  void changeListenersHearLocalWritesOnTheirExecutor() throws Exception {
    try (NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build())) {
      List<String> threads = new CopyOnWriteArrayList<>();
      List<Bytes> keys = new CopyOnWriteArrayList<>();
      node.onChange(
          k -> {
            keys.add(k);
            threads.add(Thread.currentThread().getName());
          },
          r -> new Thread(r, "listener").start());
      exec(node, new Command.RegisterSet(KEY, Bytes.utf8("v")));
      LoopCluster.await(() -> keys.size() == 1, 5_000, "the listener ran");
      assertThat(keys).containsExactly(KEY);
      assertThat(threads).containsExactly("listener");
    }
  }

  @Test
  void aNodeAskedToLeaveRemovesItselfDrainsAndStops() {
    NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build());
    exec(node, new Command.Increment(KEY, 1));
    assertThat(node.leave().orTimeout(10, TimeUnit.SECONDS).join())
        .isEqualTo(dev.meld.node.admin.LeaveOutcome.begun());
    DrainStatus drain = node.left().orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(drain.state()).isEqualTo(DrainStatus.State.COMPLETED); // alone: nobody to wait for
    assertThat(node.shutdown()).as("already stopped").isSameAs(drain);
    assertThat(node.status().membership()).isEqualTo(dev.meld.node.ReplicaStatus.MembershipState.LEFT);
    assertThat(node.status().members()).isEmpty();
    assertThatThrownBy(() -> exec(node, new Command.CounterGet(KEY)))
        .hasMessageContaining("shutting down");
    var again = node.leave().orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(again.started()).isFalse();
    assertThat(again.refusal()).isEqualTo("node n1 is stopping (expected: running)");
  }

  @Test
  void aSecondLeaveIsRefusedAndALeaveAfterAStopToo() {
    NodeRuntime node = NodeRuntime.start(config("n1", dir.resolve("n1")).build());
    var first = node.leave();
    var second = node.leave().orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(first.orTimeout(10, TimeUnit.SECONDS).join().started()).isTrue();
    assertThat(second.started()).isFalse();
    assertThat(second.refusal()).matches("node n1 is (already leaving \\(expected: one leave\\)|stopping.*)");
    node.left().orTimeout(10, TimeUnit.SECONDS).join();

    NodeRuntime stopped = NodeRuntime.start(config("n2", dir.resolve("n2")).build());
    stopped.shutdown();
    assertThat(stopped.leave().orTimeout(10, TimeUnit.SECONDS).join().refusal())
        .isEqualTo("node n2 is stopping (expected: running)");
    assertThat(stopped.left()).isNotDone();
  }
}
