package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the write path pays per write. Pipelined SADDs to one key (redis-benchmark {@code -t sadd
 * -P 16}) once encoded the whole set on every write, O(n^2) per group: a 3-node cluster served
 * ~130 requests a second and its peers declared each other dead. These tests pin the fix: one
 * encoding per record and batch, the limit checked without encoding, a refusal still changing
 * nothing.
 */
class WritePathTest {

  private static final Bytes SET = Bytes.utf8("s");

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};

  private Replica open(UnaryOperator<ReplicaConfig.Builder> tweak) {
    return Replica.open(
        tweak.apply(ReplicaConfig.builder("solo")).build(),
        MemoryRecordStore.create(KeyHashing::keyHash64),
        clock,
        new SplittableRandom(1));
  }

  private static List<Command> adds(int from, int count) {
    List<Command> adds = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      adds.add(new Command.SetAdd(SET, Bytes.utf8("element:" + i)));
    }
    return adds;
  }

  private static List<Bytes> sorted(Bytes... elements) {
    return java.util.Arrays.stream(elements).sorted().toList();
  }

  private static final Bytes REG = Bytes.utf8("r");

  @Test
  void aBatchOfWritesToOneLargeSetEncodesNoWholeRecord() {
    Replica replica = open(b -> b);
    replica.executeAll(adds(0, 1_000), out); // a set that would be costly to encode
    long before = replica.recordEncodings();

    List<Reply> replies = replica.executeAll(adds(1_000, 500), out);

    assertThat(replies).allMatch(r -> r instanceof Reply.Int i && i.value() == 1);
    assertThat(replica.recordEncodings() - before)
        .as("a set is kept in pieces: a write stages its members' rows, never the whole set")
        .isZero();
    assertThat(replica.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(1_500));
  }

  @Test
  void aBatchOfWritesToOneRegisterEncodesTheRecordOnce() {
    Replica replica = open(b -> b);
    long before = replica.recordEncodings();
    List<Command> sets = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sets.add(new Command.RegisterSet(REG, Bytes.utf8("value:" + i)));
    }

    replica.executeAll(sets, out);

    assertThat(replica.recordEncodings() - before).isEqualTo(1);
    assertThat(replica.execute(new Command.RegisterGet(REG), out))
        .isEqualTo(new Reply.Bulk(Bytes.utf8("value:499")));
  }

  @Test
  void aReplicatedBatchOfWritesToOneSetEncodesNoWholeRecordOnThePeer() {
    TestCluster c = TestCluster.of("a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    c.node("a").replica.executeAll(adds(0, 200), c.node("a").outbox);
    long before = c.node("b").replica.recordEncodings();

    c.deliver(); // the pump's one batch of 200 entries, and its acknowledgement

    assertThat(c.node("b").replica.recordEncodings() - before).isZero();
    assertThat(c.node("b").members("s")).hasSize(200);
  }

  @Test
  void aSetGrowsPastTheRecordLimitOneRowPerMember() {
    Replica replica = open(b -> b.maxRecordBytes(4096));
    List<Command> adds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      adds.add(new Command.SetAdd(SET, Bytes.of(new byte[] {(byte) i}), Bytes.of(new byte[1_000])));
    }
    List<Reply> replies = replica.executeAll(adds, out);

    assertThat(replies).noneMatch(r -> r instanceof Reply.Error);
    assertThat(replica.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(21));
  }

  @Test
  void aWriteOverTheLimitAfterOthersInItsBatchIsRefusedAndChangesNothing() {
    Replica replica = open(b -> b.maxRecordBytes(4096));
    long head = replica.status().headSeq();
    Bytes big = Bytes.of(new byte[2_500]);
    Bytes tooMuch = Bytes.of(new byte[5_000]);

    List<Reply> replies =
        replica.executeAll(
            List.of(
                new Command.RegisterSet(REG, Bytes.utf8("a")),
                new Command.RegisterSet(REG, big),
                new Command.RegisterSet(REG, tooMuch),
                new Command.SetAdd(SET, Bytes.utf8("b"))),
            out);

    assertThat(replies.get(2)).isInstanceOf(Reply.Error.class);
    Reply.Error refused = (Reply.Error) replies.get(2);
    assertThat(refused.code()).isEqualTo(Reply.Code.TOO_LARGE);
    assertThat(refused.message())
        .contains("record length: ")
        .contains("(expected: <= 4096)")
        .contains("nothing changed");
    assertThat(replies.get(3)).isEqualTo(new Reply.Int(1, head + 3));
    assertThat(replica.execute(new Command.RegisterGet(REG), out)).isEqualTo(new Reply.Bulk(big));
    assertThat(replica.status().headSeq()).isEqualTo(head + 3);
  }
}
