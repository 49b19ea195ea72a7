package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.antientropy.KeyHashing;
import dev.meld.antientropy.SyncMessage;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A malformed or unexpected peer message changes nothing and is counted. */
class BadPeerInputTest {

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final List<PeerMessage> sent = new ArrayList<>();
  private final Outbox out = (to, m) -> sent.add(m);
  private final ReplicaId peer = new ReplicaId("p", 1);
  private Replica replica;

  @BeforeEach
  void open() {
    ReplicaConfig config =
        ReplicaConfig.builder("r").seeds(new Member("r", ""), new Member("p", "")).build();
    replica =
        Replica.open(
            config,
            MemoryRecordStore.create(KeyHashing::keyHash64),
            clock,
            new SplittableRandom(2));
  }

  private static PeerMessage.Entry entry(long seq, String key, byte[] delta) {
    return new PeerMessage.Entry(seq, Bytes.utf8(key), Bytes.of(delta));
  }

  private static byte[] increment(ReplicaId by) {
    PNCounter c = new PNCounter();
    return CrdtCodec.encode(c.increment(by, 1));
  }

  private long errors(String reason) {
    return replica.status().errors().getOrDefault(reason, 0L);
  }

  @Test
  void aMalformedFrameIsCountedAndChangesNothing() {
    String root = replica.status().rootDigest();
    assertThat(replica.receiveFrame("p", new byte[] {1, 99}, out)).isFalse();
    assertThat(replica.receiveFrame("p", new byte[0], out)).isFalse();
    assertThat(errors("malformed-frame")).isEqualTo(2);
    assertThat(replica.status().rootDigest()).isEqualTo(root);
    byte[] ping = new PeerCodec(4096).encode(new PeerMessage.Ping("meld", peer, 1));
    assertThat(replica.receiveFrame("p", ping, out)).isTrue();
    assertThat(sent).singleElement().isInstanceOf(PeerMessage.Pong.class);
  }

  @Test
  void aBatchWithOneMalformedDeltaMergesNothingAndIsNotAcknowledged() {
    byte[] good = increment(peer);
    byte[] bad = good.clone();
    bad[0] = 0x01; // a GCounter tag: not a record type of the node
    replica.receive(
        "p",
        new PeerMessage.ReplicateBatch(peer, List.of(entry(1, "a", good), entry(2, "b", bad)), 1),
        out);
    assertThat(errors("malformed-delta")).isEqualTo(1);
    assertThat(sent).isEmpty();
    assertThat(replica.execute(new Command.CounterGet(Bytes.utf8("a")), out))
        .isEqualTo(dev.meld.node.command.Reply.Int.of(0));
    // the same batch, well formed, is applied and acknowledged
    replica.receive(
        "p",
        new PeerMessage.ReplicateBatch(peer, List.of(entry(1, "a", good), entry(2, "b", good)), 1),
        out);
    assertThat(sent).containsExactly(new PeerMessage.ReplicateAck(peer, 2));
  }

  @Test
  void aBatchThatSkipsAheadIsAnsweredWithTheCursorAndNotApplied() {
    replica.receive(
        "p", new PeerMessage.ReplicateBatch(peer, List.of(entry(5, "a", increment(peer))), 1), out);
    assertThat(sent).containsExactly(new PeerMessage.ReplicateAck(peer, 0));
    assertThat(replica.status().keyCount()).isZero();
  }

  @Test
  void messagesThatLieAboutTheirSenderAreCounted() {
    replica.receive(
        "p",
        new PeerMessage.ReplicateBatch(
            new ReplicaId("someone-else", 1), List.of(entry(1, "a", increment(peer))), 1),
        out);
    replica.receive("p", new PeerMessage.Ping("meld", new ReplicaId("q", 1), 1), out);
    replica.receive("p", new PeerMessage.Ping("other-cluster", peer, 1), out);
    replica.receive("p", new PeerMessage.LogGap(new ReplicaId("q", 1), 10), out);
    replica.receive("q", new PeerMessage.ReplicateAck(replica.replicaId(), 1), out);
    replica.receive(
        "p", new PeerMessage.SyncEnvelope(9, false, new SyncMessage.Abort(9, "who?")), out);
    assertThat(errors("batch-origin-mismatch")).isEqualTo(1);
    assertThat(errors("sender-mismatch")).isEqualTo(1);
    assertThat(errors("wrong-cluster")).isEqualTo(1);
    assertThat(errors("gap-origin-mismatch")).isEqualTo(1);
    assertThat(errors("ack-from-non-member")).isEqualTo(1);
    assertThat(errors("sync-unknown-session")).isEqualTo(1);
    assertThat(sent).isEmpty();
    assertThat(replica.status().keyCount()).isZero();
  }

  @Test
  void peersAckedCountsLivePeersAtOrPastASequence() {
    long seq = replica.execute(new Command.Increment(Bytes.utf8("x"), 1), out).seq();
    assertThat(replica.peersAcked(seq)).isZero();
    replica.receive("p", new PeerMessage.Ping("meld", peer, 1), out);
    replica.receive("p", new PeerMessage.Pong("meld", peer, 1, replica.replicaId(), seq), out);
    assertThat(replica.peersAcked(seq)).isEqualTo(1);
    assertThat(replica.peersAcked(seq + 1)).isZero();
    clock.advance(60_000); // no longer live
    assertThat(replica.peersAcked(seq)).isZero();
  }

  @Test
  void aStoreOrderedByAnotherKeyHashIsRefused() {
    MemoryRecordStore store = MemoryRecordStore.create(key -> 42L);
    store.commit(store.newBatch().put(new byte[] {1}, CrdtCodec.encode(new PNCounter())));
    ReplicaConfig config = ReplicaConfig.builder("r").build();
    assertThatThrownBy(() -> Replica.open(config, store, clock, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: KeyHashing.keyHash64");
  }
}
