package dev.meld.node.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.DrainStatus;
import dev.meld.node.command.Reply;
import dev.meld.node.server.FreePorts;
import dev.meld.node.testing.NoLeaks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two embedded nodes in one JVM, talking over a real mesh on loopback. */
@ExtendWith(NoLeaks.class)
class EmbeddedNodesTest {

  @TempDir Path dir;

  private final int port1 = FreePorts.next();
  private final int port2 = FreePorts.next();

  private MeldNode start(String name, int port) {
    return Meld.builder()
        .name(name)
        .dataDir(dir.resolve(name))
        .mesh("127.0.0.1:" + port)
        .seeds("n1=127.0.0.1:" + port1 + ",n2=127.0.0.1:" + port2)
        .pingInterval(Duration.ofMillis(100))
        .antiEntropyInterval(Duration.ofMillis(500))
        .drainTimeout(Duration.ofSeconds(5))
        .start();
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void writesOnBothNodesConvergeAndListenersHearReplicatedChanges() throws Exception {
    try (MeldNode n1 = start("n1", port1);
        MeldNode n2 = start("n2", port2)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      List<String> threads = new CopyOnWriteArrayList<>();
      n2.onChange(
          key -> {
            heard.add(key);
            threads.add(Thread.currentThread().getName());
          });
      n1.counter("visits").increment(5);
      n2.counter("visits").decrement();
      n1.set("online").add("alice", "bob");
      n1.register("motd").set("hello");
      // observed-remove: n2 can only remove the bob it has seen
      await(() -> n2.set("online").contains("bob"), "bob reaches n2");
      assertThat(n2.set("online").remove("bob")).isEqualTo(1);

      await(() -> n1.counter("visits").get() == 4 && n2.counter("visits").get() == 4, "counter");
      await(() -> n2.set("online").members().equals(Set.of("alice")), "set on n2");
      await(() -> n1.set("online").members().equals(Set.of("alice")), "set on n1");
      await(() -> n2.register("motd").get().equals(Optional.of("hello")), "register");
      assertThat(n2.set("online").contains("alice")).isTrue();
      assertThat(n2.set("online").size()).isEqualTo(1);
      await(() -> heard.contains("motd") && heard.contains("online"), "n2's listener");
      assertThat(heard).contains("visits");
      assertThat(threads).allMatch(t -> t.startsWith("meld-callbacks-n2"));
      assertThat(n1.counter("visits").getAsync().get(5, TimeUnit.SECONDS)).isEqualTo(4);
    }
  }

  @Test
  void aRefusedCommandIsAMeldExceptionWithItsCode() {
    try (MeldNode n1 = start("n1", port1)) {
      n1.counter("k").increment();
      assertThatThrownBy(() -> n1.set("k").add("x"))
          .isInstanceOfSatisfying(
              MeldException.class, e -> assertThat(e.code()).isEqualTo(Reply.Code.WRONGTYPE));
      assertThatThrownBy(() -> n1.register("k").setAsync("v").join())
          .hasCauseInstanceOf(MeldException.class);
    }
  }

  @Test
  void closeDrainsToThePeerAndARestartKeepsTheData() throws Exception {
    MeldNode n2 = start("n2", port2);
    try {
      MeldNode n1 = start("n1", port1);
      await(() -> n1.status().peer("n2").map(p -> p.live()).orElse(false), "n1 sees n2");
      n1.counter("c").increment(3);
      DrainStatus drain = n1.shutdown();
      assertThat(drain.state()).isEqualTo(DrainStatus.State.COMPLETED);
      assertThat(n2.counter("c").get()).isEqualTo(3); // the drain waited for n2's ack
      try (MeldNode again = start("n1", port1)) {
        assertThat(again.counter("c").get()).isEqualTo(3);
        assertThat(again.info().incarnation()).isEqualTo(n1.info().incarnation());
      }
    } finally {
      n2.close();
    }
  }

  @Test
  void aListenerMayCallTheNodeSynchronously() throws Exception {
    try (MeldNode n1 = start("n1", port1)) {
      List<Long> seen = new CopyOnWriteArrayList<>();
      n1.onChange(key -> seen.add(n1.counter(key).get()));
      n1.counter("c").increment(2);
      await(() -> seen.equals(List.of(2L)), "the listener read the counter");
    }
  }

  @Test
  void aNodeThatLeavesHandsOverItsWritesAndTheOtherForgetsIt() throws Exception {
    try (MeldNode n1 = start("n1", port1);
        MeldNode n2 = start("n2", port2)) {
      await(() -> n1.status().ready() && n2.status().ready(), "both ready");
      n2.counter("handed").increment(4);
      DrainStatus drain = n2.leave();
      assertThat(drain.state()).isEqualTo(DrainStatus.State.COMPLETED);
      assertThat(n1.counter("handed").get()).as("the drain waited for n1's ack").isEqualTo(4);
      assertThatThrownBy(n2::leave)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("node n2 is stopping (expected: running)");
      await(
          () -> n1.status().members().stream().noneMatch(m -> m.name().equals("n2")),
          "n1 no longer lists n2");
      assertThat(n1.status().peers()).isEmpty();
    }
  }
}
