package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.Member;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.StoreException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, end to end on real nodes: a node whose WAL lost acknowledged writes refuses to start;
 * started with {@code acceptDataLoss} it opens what is left under a new incarnation, says so on
 * {@code /health} and {@code /metrics}, anti-entropy brings back what it lost from its peer, and
 * its new writes reach the peer (they are not swallowed by the old incarnation's dots).
 */
class StoreLossRepairTest {

  private static final int KEYS = 150;

  @TempDir Path dir;

  private final int port1 = FreePorts.next();
  private final int port2 = FreePorts.next();

  private NodeConfig.Builder config(String name, int port) {
    List<Member> seeds =
        List.of(new Member("n1", "127.0.0.1:" + port1), new Member("n2", "127.0.0.1:" + port2));
    ReplicaConfig replica =
        ReplicaConfig.builder(name)
            .seeds(seeds)
            .pingIntervalMillis(50)
            .antiEntropyIntervalMillis(300)
            .antiEntropyJitterMillis(100)
            .peerDeadTimeoutMillis(2_000)
            .build();
    return NodeConfig.builder(replica)
        .dataDir(dir.resolve(name))
        .clientBind(null)
        .meshBind(new InetSocketAddress("127.0.0.1", port))
        .adminBind(new InetSocketAddress("127.0.0.1", 0))
        .drainTimeoutMillis(2_000);
  }

  private static Reply exec(NodeRuntime node, Command c) {
    return node.execute(c).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static long counter(NodeRuntime node, int key) {
    return ((Reply.Int) exec(node, new Command.CounterGet(Bytes.utf8("k" + key)))).value();
  }

  private static boolean all(NodeRuntime node, long value) {
    for (int i = 0; i < KEYS; i++) {
      if (counter(node, i) != value) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aNodeStartedWithAcceptDataLossAfterACutWalIsRepairedByAntiEntropyUnderANewIncarnation()
      throws Exception {
    long oldIncarnation;
    try (NodeRuntime n2 = NodeRuntime.start(config("n2", port2).build());
        NodeRuntime n1 = NodeRuntime.start(config("n1", port1).build())) {
      oldIncarnation = n1.info().incarnation();
      for (int i = 0; i < KEYS; i++) {
        exec(n1, new Command.Increment(Bytes.utf8("k" + i), 1));
      }
      LoopCluster.await(() -> all(n2, 1), 20_000, "n2 has every increment");
    }
    truncateNewestWal(dir.resolve("n1"));

    assertThatThrownBy(() -> NodeRuntime.start(config("n1", port1).build()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("write-ahead log is damaged")
        .hasMessageContaining("--accept-data-loss");

    try (NodeRuntime n1 = NodeRuntime.start(config("n1", port1).acceptDataLoss(true).build())) {
      assertThat(n1.info().incarnation()).isNotEqualTo(oldIncarnation);
      assertThat(get(n1, "/health")).contains("\"recovery\" : \"recovered with loss\"");
      assertThat(get(n1, "/metrics")).contains("meld_store_recovered_with_loss 1.0");
      assertThat(all(n1, 1)).as("the cut lost acknowledged increments (n2 is down)").isFalse();

      try (NodeRuntime n2 = NodeRuntime.start(config("n2", port2).build())) {
        LoopCluster.await(() -> all(n1, 1), 30_000, "anti-entropy restored every increment on n1");
        exec(n1, new Command.Increment(Bytes.utf8("k0"), 1));
        LoopCluster.await(
            () -> counter(n2, 0) == 2, 20_000, "n2 took n1's write under its new incarnation");
        assertThat(counter(n1, 0)).isEqualTo(2);
        assertThat(get(n1, "/health"))
            .as("the loss stays on /health for this process's life")
            .contains("recovered with loss");
      }
    }
  }

  private static void truncateNewestWal(Path store) throws Exception {
    Path wal;
    try (Stream<Path> files = Files.list(store)) {
      wal =
          files
              .filter(p -> p.getFileName().toString().endsWith(".log"))
              .max(Comparator.comparing(p -> p.getFileName().toString()))
              .orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
  }

  private static String get(NodeRuntime node, String path) throws Exception {
    InetSocketAddress admin = node.info().adminAddress();
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.getPort() + path))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
