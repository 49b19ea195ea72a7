package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HlcTimestamp;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.MemoryRecordStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A peer may only do what a member may (node/README.md, "What a peer may do"): data only from
 * members, no register stamped beyond the drift bound, no data write to a reserved key, membership
 * only as a membership change. Each test is a finding of issue 15, reproduced on the replica.
 */
class PeerAuthorityTest {

  private static final long HOUR = 3_600_000;

  private static Bytes b(String s) {
    return Bytes.utf8(s);
  }

  private static Bytes register(ReplicaId writer, long stamp, String value) {
    LwwRegister<Bytes> r = LwwRegister.ofBytes();
    r.set(writer, stamp, b(value));
    return Bytes.of(CrdtCodec.encode(r));
  }

  private static Bytes increment(ReplicaId writer, long n) {
    PNCounter c = new PNCounter();
    c.increment(writer, n);
    return Bytes.of(CrdtCodec.encode(c));
  }

  private static PeerMessage.ReplicateBatch batch(ReplicaId origin, Bytes... keysAndDeltas) {
    List<PeerMessage.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < keysAndDeltas.length; i += 2) {
      entries.add(new PeerMessage.Entry(1 + i / 2, keysAndDeltas[i], keysAndDeltas[i + 1]));
    }
    return new PeerMessage.ReplicateBatch(origin, entries, 1);
  }

  private static List<String> memberNames(TestCluster.Node n) {
    return n.status().members().stream().map(ReplicaStatus.MemberStatus::name).toList();
  }

  @SuppressWarnings("unchecked")
  private static Orswot<Bytes> memberSet(TestCluster.Node n) {
    return (Orswot<Bytes>)
        CrdtCodec.decode(
            n.store.get(ReservedKeys.MEMBERS.toByteArray()).orElseThrow(), DecodeLimits.DEFAULT);
  }

  private static long refusals(TestCluster.Node n, String reason) {
    return n.status().refusals().getOrDefault(reason, 0L);
  }

  /**
   * A value stamped an hour ahead was stored; the next SET was answered OK but lost to it, and GET
   * kept returning the injected value.
   */
  @Test
  void futureStampedRegisterFromAMemberIsRefusedAndALaterSetWins() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    TestCluster.Node a = c.node("a");
    ReplicaId b = new ReplicaId("b", 77); // a fresh incarnation: its log starts at 1 here
    long future = HlcTimestamp.pack(c.clock.currentTimeMillis() + HOUR, 0);
    a.replica.receive(
        "b", batch(b, b("r"), register(b, future, "injected"), b("n"), increment(b, 1)), a.outbox);

    assertThat(a.exec(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Nil());
    assertThat(a.counter("n")).as("the batch's other entry applies").isEqualTo(1);
    assertThat(a.status().hlcLast()).isLessThan(future);
    assertThat(a.exec(new Command.RegisterSet(b("r"), b("mine")))).isInstanceOf(Reply.Ok.class);
    assertThat(a.exec(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Bulk(b("mine")));
    assertThat(refusals(a, PeerWrites.FUTURE_STAMP)).isEqualTo(1);
    c.run(500);
    assertThat(c.node("b").exec(new Command.RegisterGet(b("r"))))
        .isEqualTo(new Reply.Bulk(b("mine")));
  }

  /**
   * A store that already holds a value from the future (written before such stamps were refused)
   * answered SET with OK while the write lost to it: now the SET is refused and counted.
   */
  @Test
  void setOnAValueStampedFromTheFutureIsRefusedNotLost() {
    ManualClock clock = new ManualClock(TestCluster.START);
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    long future = HlcTimestamp.pack(TestCluster.START + HOUR, 0);
    store.commit(
        store
            .newBatch()
            .put(
                b("r").toByteArray(),
                register(new ReplicaId("old", 1), future, "old").toByteArray()));
    try (Replica replica =
        Replica.open(
            ReplicaConfig.builder("solo").build(), store, clock, new SplittableRandom(1))) {
      Outbox out = (to, m) -> {};
      Reply set = replica.execute(new Command.RegisterSet(b("r"), b("new")), out);
      assertThat(set).isInstanceOf(Reply.Error.class);
      assertThat(((Reply.Error) set).code()).isEqualTo(Reply.Code.SHADOWED);
      assertThat(((Reply.Error) set).message()).contains("register stamp: ");
      assertThat(replica.status().errors()).containsEntry("register-write-shadowed", 1L);
      assertThat(replica.execute(new Command.RegisterGet(b("r")), out))
          .isEqualTo(new Reply.Bulk(b("old")));
    }
  }

  /**
   * One register write to the membership key emptied the member set on every node: replication
   * stopped, silently, for good.
   */
  @Test
  void registerWriteToTheMembershipKeyFromAPeerIsRefusedAndReplicationContinues() {
    TestCluster c = TestCluster.of("a", "b", "c");
    c.run(300);
    TestCluster.Node a = c.node("a");
    ReplicaId b = new ReplicaId("b", 77);
    Bytes overwrite = register(b, HlcTimestamp.pack(c.clock.currentTimeMillis(), 0), "x");
    a.replica.receive("b", batch(b, ReservedKeys.MEMBERS, overwrite), a.outbox);
    a.replica.receive("b", new PeerMessage.MemberSet(b, overwrite), a.outbox);
    Bytes otherReserved =
        Bytes.of("\0meld:other".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ReplicaId b2 = new ReplicaId("b", 78); // another log, so this batch is no duplicate
    a.replica.receive("b", batch(b2, otherReserved, increment(b2, 1)), a.outbox);

    c.run(300);
    for (String n : List.of("a", "b", "c")) {
      assertThat(memberNames(c.node(n))).as(n).containsExactly("a", "b", "c");
    }
    assertThat(refusals(a, PeerWrites.MEMBERSHIP_CHANGE)).isEqualTo(2);
    assertThat(refusals(a, PeerWrites.RESERVED_KEY)).isEqualTo(1);
    c.node("b").exec(new Command.Increment(b("x"), 5));
    c.run(300);
    assertThat(a.counter("x")).isEqualTo(5);
    assertThat(c.node("c").counter("x")).isEqualTo(5);
    assertThat(a.status().ready()).isTrue();
  }

  @Test
  void clientWriteToTheMembershipKeyIsRefused() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    TestCluster.Node a = c.node("a");
    Reply r = a.exec(new Command.RegisterSet(ReservedKeys.MEMBERS, b("x")));
    assertThat(((Reply.Error) r).code()).isEqualTo(Reply.Code.RESERVED);
    assertThat(a.exec(new Command.SetAdd(ReservedKeys.MEMBERS, List.of(b("x")))))
        .isInstanceOf(Reply.Error.class);
    assertThat(a.status().errors()).containsEntry("reserved-key-command", 2L);
    assertThat(memberNames(a)).containsExactly("a", "b");
  }

  @Test
  void aPeerCannotRemoveThisNodeOrEmptyTheMemberSet() {
    TestCluster c = TestCluster.of("a", "b", "c");
    c.run(300);
    TestCluster.Node a = c.node("a");
    ReplicaId b = new ReplicaId("b", 1);
    Orswot<Bytes> withoutA = memberSet(a);
    withoutA.remove(Bytes.of(new Member("a", "a:7000").encode()));
    Orswot<Bytes> empty = memberSet(a);
    empty.clear();
    a.replica.receive(
        "b", new PeerMessage.MemberSet(b, Bytes.of(CrdtCodec.encode(withoutA))), a.outbox);
    a.replica.receive(
        "b", new PeerMessage.MemberSet(b, Bytes.of(CrdtCodec.encode(empty))), a.outbox);

    assertThat(memberNames(a)).containsExactly("a", "b", "c");
    assertThat(a.status().membership()).isEqualTo(ReplicaStatus.MembershipState.MEMBER);
    assertThat(refusals(a, PeerWrites.MEMBERSHIP_CHANGE)).isEqualTo(2);
  }

  /**
   * How a non-member becomes a member: its batches are refused until its MEMBERS message (which
   * lists it) is taken as a join; a non-member's set that would remove anyone is refused.
   */
  @Test
  void aNonMembersDataIsRefusedUntilItJoinsByAMembersMessage() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    TestCluster.Node a = c.node("a");
    ReplicaId x = new ReplicaId("x", 1);
    a.replica.receive("x", batch(x, b("n"), increment(x, 3)), a.outbox);
    assertThat(a.counter("n")).isZero();
    assertThat(refusals(a, PeerWrites.NON_MEMBER)).isEqualTo(1);

    Orswot<Bytes> hostile = memberSet(a);
    hostile.remove(Bytes.of(new Member("b", "b:7000").encode()));
    hostile.add(x, Bytes.of(new Member("x", "x:7000").encode()));
    a.replica.receive(
        "x", new PeerMessage.MemberSet(x, Bytes.of(CrdtCodec.encode(hostile))), a.outbox);
    assertThat(memberNames(a)).containsExactly("a", "b");
    assertThat(refusals(a, PeerWrites.MEMBERSHIP_CHANGE)).isEqualTo(1);

    Orswot<Bytes> join = Orswot.ofBytes();
    join.add(x, Bytes.of(new Member("x", "x:7000").encode()));
    a.replica.receive(
        "x", new PeerMessage.MemberSet(x, Bytes.of(CrdtCodec.encode(join))), a.outbox);
    assertThat(memberNames(a)).containsExactly("a", "b", "x");
    a.replica.receive("x", batch(x, b("n"), increment(x, 3)), a.outbox);
    assertThat(a.counter("n")).isEqualTo(3);
  }

  /** A member set that is not a set (damage from before these rules) is loud and not ready. */
  @Test
  void aNodeMissingFromItsOwnMemberSetIsNotReady() {
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    store.commit(
        store
            .newBatch()
            .put(
                ReservedKeys.MEMBERS.toByteArray(),
                register(new ReplicaId("evil", 1), 1, "x").toByteArray()));
    try (Replica replica =
        Replica.open(
            ReplicaConfig.builder("solo").build(),
            store,
            new ManualClock(TestCluster.START),
            new SplittableRandom(1))) {
      ReplicaStatus s = replica.status();
      assertThat(s.membership()).isEqualTo(ReplicaStatus.MembershipState.MISSING);
      assertThat(s.ready()).isFalse();
    }
  }
}
