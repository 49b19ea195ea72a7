package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HlcTimestamp;
import dev.meld.node.Member;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.server.FreePorts;
import dev.meld.node.server.NodeConfig;
import dev.meld.node.server.NodeRuntime;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, reproduced on the mesh: with no cluster secret, a process no node knew completed a
 * hand-built handshake and sent BATCH frames that overwrote a counter with a register (INCR then
 * answered WRONGTYPE), and the injection spread to nodes it never contacted. Here the same frames
 * reach a real two-node cluster on loopback and change nothing anywhere.
 */
class MeshInjectionTest {

  private static final String CLUSTER = "meld";
  private static final Bytes HITS = Bytes.utf8("hits");

  @TempDir Path dir;

  private NodeRuntime a;
  private NodeRuntime b;

  @AfterEach
  void stop() {
    for (NodeRuntime n : new NodeRuntime[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
  }

  private NodeConfig config(String name, int port, List<Member> seeds) {
    ReplicaConfig replica =
        ReplicaConfig.builder(name)
            .address("127.0.0.1:" + port)
            .seeds(seeds)
            .pingIntervalMillis(50)
            .pumpIntervalMillis(10)
            .peerDeadTimeoutMillis(1_000)
            .ackTimeoutMillis(100)
            .build();
    return NodeConfig.builder(replica)
        .dataDir(dir.resolve(name))
        .clientBind(null)
        .meshBind(new InetSocketAddress("127.0.0.1", port))
        .adminBind(new InetSocketAddress("127.0.0.1", 0))
        .drainTimeoutMillis(1_000)
        .build();
  }

  private static Reply exec(NodeRuntime node, Command c) {
    return node.execute(c).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static long counter(NodeRuntime node) {
    return ((Reply.Int) exec(node, new Command.CounterGet(HITS))).value();
  }

  @Test
  void batchesFromAHandshakedNonMemberAreNotAppliedAndDoNotSpread() throws Exception {
    int pa = FreePorts.next();
    int pb = FreePorts.next();
    List<Member> seeds =
        List.of(new Member("a", "127.0.0.1:" + pa), new Member("b", "127.0.0.1:" + pb));
    a = NodeRuntime.start(config("a", pa, seeds));
    b = NodeRuntime.start(config("b", pb, seeds));
    assertThat(exec(a, new Command.Increment(HITS, 1))).isInstanceOf(Reply.Int.class);
    await("b has the counter", () -> counter(b) == 1);

    ReplicaId evil = new ReplicaId("evil", 1);
    long future = HlcTimestamp.pack(System.currentTimeMillis() + 3_600_000, 0);
    LwwRegister<Bytes> register = LwwRegister.ofBytes();
    register.set(evil, future, Bytes.utf8("pwned"));
    byte[] delta = CrdtCodec.encode(register);
    PeerCodec codec = new PeerCodec(PeerCodec.MIN_FRAME_BYTES * 64);
    int batches = 20;
    try (Socket s = new Socket("127.0.0.1", pa)) {
      s.setSoTimeout(5_000);
      RawFrames.handshakeAsDialer(s, CLUSTER, evil, "a");
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < batches; i++) {
        PeerMessage.ReplicateBatch batch =
            new PeerMessage.ReplicateBatch(
                evil,
                List.of(
                    new PeerMessage.Entry(1 + 2L * i, HITS, Bytes.of(delta)),
                    new PeerMessage.Entry(
                        2 + 2L * i,
                        Bytes.of("\0meld:members".getBytes(StandardCharsets.US_ASCII)),
                        Bytes.of(delta))),
                future);
        RawFrames.write(out, List.of(new Frame(MeshFrame.MESSAGE, codec.encode(batch))));
      }
      // Until every batch was refused, or (without the check) the register replaced the counter.
      await(
          "a handled every batch",
          () ->
              a.status().refusals().getOrDefault("non-member", 0L) >= batches
                  || !exec(a, new Command.TypeOf(HITS)).equals(new Reply.TypeName("counter")));
    }

    assertThat(exec(a, new Command.TypeOf(HITS))).isEqualTo(new Reply.TypeName("counter"));
    assertThat(exec(a, new Command.Increment(HITS, 1))).isInstanceOf(Reply.Int.class);
    assertThat(counter(a)).isEqualTo(2);
    await("b has the increment", () -> counter(b) == 2);
    assertThat(exec(b, new Command.TypeOf(HITS))).isEqualTo(new Reply.TypeName("counter"));
    for (NodeRuntime n : List.of(a, b)) {
      ReplicaStatus s = n.status();
      assertThat(s.members())
          .extracting(ReplicaStatus.MemberStatus::name)
          .containsExactly("a", "b");
      assertThat(s.hlcLast()).as("no stamp from the future taken in").isLessThan(future);
    }
    assertThat(b.status().refusals()).as("b never heard of evil").isEmpty();
    assertThat(a.metrics().scrape())
        .contains("meld_peer_refusals_total{reason=\"non-member\"} " + batches);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
