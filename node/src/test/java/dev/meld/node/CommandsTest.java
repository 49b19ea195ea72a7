package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HlcTimestamp;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A single node's commands: semantics, types, limits, and what a command that changes nothing
 * writes.
 */
class CommandsTest {

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final List<String> sent = new ArrayList<>();
  private final Outbox out = (to, m) -> sent.add(to);
  private CountingStore store;
  private Replica replica;

  @BeforeEach
  void open() {
    open(b -> b);
  }

  private void open(UnaryOperator<ReplicaConfig.Builder> tweak) {
    store = new CountingStore(MemoryRecordStore.create(KeyHashing::keyHash64));
    ReplicaConfig config = tweak.apply(ReplicaConfig.builder("solo")).build();
    replica = Replica.open(config, store, clock, new SplittableRandom(1));
  }

  private static Bytes b(String s) {
    return Bytes.utf8(s);
  }

  private Reply run(Command c) {
    return replica.execute(c, out);
  }

  private long integer(Command c) {
    Reply r = run(c);
    assertThat(r).isInstanceOf(Reply.Int.class);
    return ((Reply.Int) r).value();
  }

  private Reply.Code error(Command c) {
    Reply r = run(c);
    assertThat(r).isInstanceOf(Reply.Error.class);
    return ((Reply.Error) r).code();
  }

  @Test
  void countersAddSubtractAndReset() {
    assertThat(integer(new Command.CounterGet(b("c")))).isZero();
    assertThat(integer(new Command.Increment(b("c"), 5))).isEqualTo(5);
    assertThat(integer(new Command.Decrement(b("c"), 2))).isEqualTo(3);
    assertThat(integer(new Command.Increment(b("c"), -10))).isEqualTo(-7);
    assertThat(integer(new Command.Decrement(b("c"), -1))).isEqualTo(-6);
    assertThat(integer(new Command.Increment(b("c"), 0))).isEqualTo(-6);
    assertThat(run(new Command.CounterReset(b("c")))).isInstanceOf(Reply.Ok.class);
    assertThat(integer(new Command.CounterGet(b("c")))).isZero();
    assertThat(integer(new Command.Increment(b("c"), 1))).isEqualTo(1);
  }

  @Test
  void counterOverflowIsRefusedAndChangesNothing() {
    run(new Command.Increment(b("c"), Long.MAX_VALUE));
    long head = replica.status().headSeq();
    assertThat(error(new Command.Increment(b("c"), 1))).isEqualTo(Reply.Code.OVERFLOW);
    assertThat(error(new Command.Decrement(b("c"), Long.MIN_VALUE))).isEqualTo(Reply.Code.OVERFLOW);
    assertThat(error(new Command.Increment(b("d"), Long.MIN_VALUE))).isEqualTo(Reply.Code.OVERFLOW);
    assertThat(integer(new Command.CounterGet(b("c")))).isEqualTo(Long.MAX_VALUE);
    assertThat(replica.status().headSeq()).isEqualTo(head);
  }

  @Test
  void setsAddRemoveAndList() {
    assertThat(integer(new Command.SetAdd(b("s"), b("y"), b("x"), b("y")))).isEqualTo(2);
    assertThat(integer(new Command.SetAdd(b("s"), b("x"), b("z")))).isEqualTo(1);
    assertThat(run(new Command.SetMembers(b("s"))))
        .isEqualTo(new Reply.Elements(List.of(b("x"), b("y"), b("z"))));
    assertThat(integer(new Command.SetContains(b("s"), b("y")))).isEqualTo(1);
    assertThat(integer(new Command.SetSize(b("s")))).isEqualTo(3);
    assertThat(integer(new Command.SetRemove(b("s"), b("y"), b("absent")))).isEqualTo(1);
    assertThat(integer(new Command.SetContains(b("s"), b("y")))).isZero();
    assertThat(integer(new Command.SetClear(b("s")))).isEqualTo(2);
    assertThat(integer(new Command.SetSize(b("s")))).isZero();
    assertThat(run(new Command.SetMembers(b("nothing")))).isEqualTo(new Reply.Elements(List.of()));
  }

  @Test
  void registersSetGetDelete() {
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Nil());
    assertThat(run(new Command.RegisterSet(b("r"), b("v1")))).isInstanceOf(Reply.Ok.class);
    assertThat(run(new Command.RegisterSet(b("r"), b("v2")))).isInstanceOf(Reply.Ok.class);
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Bulk(b("v2")));
    assertThat(integer(new Command.RegisterDelete(b("r")))).isEqualTo(1);
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Nil());
    assertThat(integer(new Command.RegisterDelete(b("r")))).isZero();
  }

  @Test
  void registerWriteWinsOverAValueStampedAheadOfTheLocalClock() {
    // A peer whose clock runs 5 s ahead (within the drift bound) wrote "remote"; its entry
    // arrives with no clock reading of its own (as a repaired record would). A write issued here
    // after that must still win: the stamp is taken after the value's, not from the clock alone.
    open(b -> b.seeds(new Member("solo", ""), new Member("peer", ""))); // data only from members
    ReplicaId peer = new ReplicaId("peer", 1);
    long ahead = HlcTimestamp.pack(clock.currentTimeMillis() + 5_000, 0);
    LwwRegister<Bytes> remote = LwwRegister.ofBytes();
    remote.set(peer, ahead, b("remote"));
    PeerMessage.Entry entry = new PeerMessage.Entry(1, b("r"), Bytes.of(CrdtCodec.encode(remote)));
    replica.receive("peer", new PeerMessage.ReplicateBatch(peer, List.of(entry), 0), out);
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Bulk(b("remote")));
    run(new Command.RegisterSet(b("r"), b("local")));
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Bulk(b("local")));
  }

  @Test
  void typeExistsDeleteAndKeyCount() {
    run(new Command.Increment(b("c"), 1));
    run(new Command.SetAdd(b("s"), b("e")));
    run(new Command.RegisterSet(b("r"), b("v")));
    assertThat(run(new Command.TypeOf(b("c")))).isEqualTo(new Reply.TypeName("counter"));
    assertThat(run(new Command.TypeOf(b("s")))).isEqualTo(new Reply.TypeName("set"));
    assertThat(run(new Command.TypeOf(b("r")))).isEqualTo(new Reply.TypeName("register"));
    assertThat(run(new Command.TypeOf(b("none")))).isEqualTo(new Reply.TypeName("none"));
    assertThat(integer(new Command.KeyCount())).isEqualTo(3);
    for (String k : List.of("c", "s", "r")) {
      assertThat(integer(new Command.Exists(b(k)))).as(k).isEqualTo(1);
      assertThat(integer(new Command.Delete(b(k)))).as(k).isEqualTo(1);
      assertThat(integer(new Command.Exists(b(k)))).as(k).isZero();
      assertThat(integer(new Command.Delete(b(k)))).as(k).isZero();
      assertThat(run(new Command.TypeOf(b(k)))).isEqualTo(new Reply.TypeName("none"));
    }
    assertThat(integer(new Command.KeyCount())).isZero();
    // a counter whose increments and decrements cancel still exists: only a reset removes it
    run(new Command.Increment(b("z"), 1));
    run(new Command.Decrement(b("z"), 1));
    assertThat(integer(new Command.Exists(b("z")))).isEqualTo(1);
    assertThat(replica.status().records()).isEqualTo(5); // 4 keys + the member set
  }

  @Test
  void aKeyOfOneTypeRefusesCommandsOfAnotherEvenAfterDelete() {
    run(new Command.Increment(b("c"), 1));
    run(new Command.SetAdd(b("s"), b("e")));
    run(new Command.RegisterSet(b("r"), b("v")));
    assertThat(error(new Command.SetAdd(b("c"), b("e")))).isEqualTo(Reply.Code.WRONGTYPE);
    assertThat(error(new Command.RegisterGet(b("c")))).isEqualTo(Reply.Code.WRONGTYPE);
    assertThat(error(new Command.Increment(b("s"), 1))).isEqualTo(Reply.Code.WRONGTYPE);
    assertThat(error(new Command.SetMembers(b("r")))).isEqualTo(Reply.Code.WRONGTYPE);
    assertThat(error(new Command.CounterGet(b("r")))).isEqualTo(Reply.Code.WRONGTYPE);
    run(new Command.Delete(b("r")));
    Reply r = run(new Command.Increment(b("r"), 1));
    assertThat(r).isInstanceOf(Reply.Error.class);
    assertThat(((Reply.Error) r).message()).contains("deleted; a key keeps its type");
  }

  @Test
  void reservedKeysAreUnreachable() {
    Bytes members = ReservedKeys.MEMBERS;
    Bytes other = Bytes.utf8("\0meld:x");
    for (Bytes key : List.of(members, other)) {
      assertThat(error(new Command.SetMembers(key))).isEqualTo(Reply.Code.RESERVED);
      assertThat(error(new Command.SetAdd(key, b("e")))).isEqualTo(Reply.Code.RESERVED);
      assertThat(error(new Command.Increment(key, 1))).isEqualTo(Reply.Code.RESERVED);
      assertThat(error(new Command.Delete(key))).isEqualTo(Reply.Code.RESERVED);
      assertThat(error(new Command.Exists(key))).isEqualTo(Reply.Code.RESERVED);
    }
    assertThat(integer(new Command.KeyCount())).isZero();
    assertThat(replica.status().members()).hasSize(1);
  }

  @Test
  void limitsAreCheckedAndChangeNothing() {
    open(b -> b.maxKeyBytes(8).maxRecordBytes(64 * 1024));
    run(new Command.SetAdd(b("s"), b("keep")));
    long head = replica.status().headSeq();
    assertThat(error(new Command.Increment(b("123456789"), 1))).isEqualTo(Reply.Code.TOO_LARGE);
    Bytes huge = Bytes.of(new byte[(1 << 20) + 1]);
    assertThat(error(new Command.RegisterSet(b("r"), huge))).isEqualTo(Reply.Code.TOO_LARGE);
    assertThat(error(new Command.SetAdd(b("s"), huge))).isEqualTo(Reply.Code.TOO_LARGE);
    run(new Command.RegisterSet(b("r"), b("keep")));
    head = replica.status().headSeq();
    Reply.Error tooBig =
        (Reply.Error) run(new Command.RegisterSet(b("r"), Bytes.of(new byte[80 * 1024])));
    assertThat(tooBig.code()).isEqualTo(Reply.Code.TOO_LARGE);
    assertThat(tooBig.message()).contains("record length").contains("expected: <= 65536");
    assertThat(run(new Command.SetMembers(b("s"))))
        .isEqualTo(new Reply.Elements(List.of(b("keep"))));
    assertThat(run(new Command.RegisterGet(b("r")))).isEqualTo(new Reply.Bulk(b("keep")));
    assertThat(replica.status().headSeq()).isEqualTo(head);
  }

  @Test
  void aCommandThatChangesNothingWritesAndReplicatesNothing() {
    run(new Command.SetAdd(b("s"), b("e")));
    run(new Command.RegisterSet(b("r"), b("v")));
    long head = replica.status().headSeq();
    long commits = store.writingCommits();
    List<Command> noOps =
        List.of(
            new Command.SetRemove(b("s"), b("absent")),
            new Command.SetRemove(b("nothing"), b("absent")),
            new Command.SetClear(b("nothing")),
            new Command.RegisterDelete(b("nothing")),
            new Command.CounterReset(b("nothing")),
            new Command.Delete(b("nothing")),
            new Command.Increment(b("nothing"), 0),
            new Command.SetMembers(b("s")));
    for (Command c : noOps) {
      Reply r = run(c);
      assertThat(r.seq()).as(c.toString()).isIn(0L, head);
    }
    assertThat(store.writingCommits()).isEqualTo(commits);
    assertThat(replica.status().headSeq()).isEqualTo(head);
    assertThat(integer(new Command.Exists(b("nothing")))).isZero();
    // re-adding a present element re-dots it: a real write (see CommandExecutor)
    assertThat(integer(new Command.SetAdd(b("s"), b("e")))).isZero();
    assertThat(replica.status().headSeq()).isEqualTo(head + 1);
  }

  @Test
  void writesReturnTheSequenceNumberTheyCommittedUnder() {
    long first = run(new Command.Increment(b("c"), 1)).seq();
    long second = run(new Command.SetAdd(b("s"), b("e"))).seq();
    assertThat(second).isEqualTo(first + 1);
    assertThat(replica.status().headSeq()).isEqualTo(second);
    assertThat(run(new Command.CounterGet(b("c"))).seq()).isZero();
  }

  @Test
  void groupCommitWritesOneBatchAndLaterCommandsSeeEarlierOnes() {
    long before = store.writingCommits();
    List<Reply> replies =
        replica.executeAll(
            List.of(
                new Command.Increment(b("c"), 1),
                new Command.Increment(b("c"), 2),
                new Command.SetAdd(b("c"), b("wrong type")),
                new Command.Increment(b("c"), 3),
                new Command.CounterGet(b("c"))),
            out);
    assertThat(store.writingCommits()).isEqualTo(before + 1);
    assertThat(((Reply.Int) replies.get(2 - 1)).value()).isEqualTo(3);
    assertThat(replies.get(2)).isInstanceOf(Reply.Error.class);
    assertThat(((Reply.Int) replies.get(3)).value()).isEqualTo(6);
    assertThat(((Reply.Int) replies.get(4)).value()).isEqualTo(6);
    assertThat(replies.get(3).seq()).isEqualTo(replies.get(0).seq() + 2);
  }

  @Test
  void drainingRefusesWritesAndServesReads() {
    run(new Command.Increment(b("c"), 1));
    replica.beginDrain(TestCluster.START + 1_000);
    assertThat(error(new Command.Increment(b("c"), 1))).isEqualTo(Reply.Code.READONLY);
    assertThat(error(new Command.SetAdd(b("s"), b("e")))).isEqualTo(Reply.Code.READONLY);
    assertThat(integer(new Command.CounterGet(b("c")))).isEqualTo(1);
    // a single node has no peer to wait for
    assertThat(replica.drainStatus().state()).isEqualTo(DrainStatus.State.COMPLETED);
  }

  @Test
  void aSingleNodeClusterIsReadyAtOnce() {
    assertThat(replica.status().ready()).isTrue();
    assertThat(replica.status().peers()).isEmpty();
    assertThat(sent).isEmpty();
  }
}
