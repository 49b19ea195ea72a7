package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.ElementStream;
import dev.meld.node.command.Reply;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed SMEMBERS reads the set as it stood at the command's place in a group commit: the
 * batch's staged changes before it included, those after it not, whether the batch is flushed
 * while the reply is still being read or the set was replaced within the batch. The stream checks
 * the count it promised against what it reads.
 */
class SetMemberStreamTest {

  private static final Bytes SET = Bytes.utf8("big");
  private static final int SIZE = Command.SetMembers.STREAM_ABOVE + 1_000;

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};
  private final MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
  private Replica replica;

  @BeforeEach
  void open() {
    replica =
        Replica.open(ReplicaConfig.builder("solo").build(), store, clock, new SplittableRandom(1));
  }

  private static Bytes member(int i) {
    return Bytes.utf8("member-" + i);
  }

  private static List<Command> adds(int from, int to) {
    List<Command> adds = new ArrayList<>();
    for (int i = from; i < to; i++) {
      adds.add(new Command.SetAdd(SET, member(i)));
    }
    return adds;
  }

  private static Set<Bytes> drain(ElementStream stream, int chunk) {
    Set<Bytes> seen = new HashSet<>();
    List<Bytes> all = new ArrayList<>();
    boolean more = true;
    while (more) {
      more = stream.next(chunk, all::add);
    }
    seen.addAll(all);
    assertThat(all).as("each member once").hasSize(seen.size());
    assertThat((long) all.size()).as("as many as promised").isEqualTo(stream.count());
    stream.close();
    return seen;
  }

  @Test
  void theStreamHoldsTheBatchsChangesBeforeItAndNoneAfterItEvenOnceFlushed() {
    replica.executeAll(adds(0, SIZE), out);
    List<Command> group = new ArrayList<>();
    group.add(new Command.SetAdd(SET, Bytes.utf8("staged")));
    group.add(new Command.SetRemove(SET, member(3)));
    group.add(new Command.SetMembers(SET, true));
    group.add(new Command.SetAdd(SET, Bytes.utf8("after")));
    group.add(new Command.SetRemove(SET, member(4)));
    List<Reply> replies = replica.executeAll(group, out); // committed: the stream is read after
    ElementStream stream = ((Reply.Stream) replies.get(2)).elements();
    assertThat(store.openViews()).isEqualTo(1);
    Set<Bytes> expected = new HashSet<>();
    for (int i = 0; i < SIZE; i++) {
      expected.add(member(i));
    }
    expected.add(Bytes.utf8("staged"));
    expected.remove(member(3));
    assertThat(drain(stream, 100)).isEqualTo(expected);
    assertThat(store.openViews()).isZero();
  }

  @Test
  void aSetReplacedWithinTheBatchStreamsOnlyWhatTheBatchGaveIt() {
    replica.executeAll(adds(0, SIZE), out);
    List<Command> group = new ArrayList<>();
    group.add(new Command.Delete(SET));
    group.addAll(adds(SIZE, 2 * SIZE));
    group.add(new Command.SetMembers(SET, true));
    Reply reply = replica.executeAll(group, out).get(group.size() - 1);
    Set<Bytes> expected = new HashSet<>();
    for (int i = SIZE; i < 2 * SIZE; i++) {
      expected.add(member(i));
    }
    assertThat(drain(((Reply.Stream) reply).elements(), 777)).isEqualTo(expected);
  }

  @Test
  void smallSetsAndTheUnstreamedCommandAnswerTheWholeSortedList() {
    replica.executeAll(adds(0, Command.SetMembers.STREAM_ABOVE), out);
    assertThat(replica.execute(new Command.SetMembers(SET, true), out))
        .isInstanceOf(Reply.Elements.class);
    replica.executeAll(adds(Command.SetMembers.STREAM_ABOVE, SIZE), out);
    Reply whole = replica.execute(new Command.SetMembers(SET), out);
    assertThat(((Reply.Elements) whole).elements()).hasSize(SIZE).isSorted();
    assertThat(store.openViews()).isZero();
  }

  @Test
  void aStreamThatReadsOtherThanItsCountFailsRatherThanCutOrPadTheReply() {
    TreeMap<byte[], byte[]> two = new TreeMap<>(Arrays::compareUnsigned);
    two.put(SetPieces.memberKey(member(1)), new byte[] {1});
    two.put(SetPieces.memberKey(member(2)), new byte[] {1});
    SetMemberStream promisedThree = new SetMemberStream(null, two, 3);
    assertThatThrownBy(() -> promisedThree.next(10, m -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds 2 members, its header counts 3");
    SetMemberStream promisedOne = new SetMemberStream(null, two, 1);
    assertThatThrownBy(() -> promisedOne.next(10, m -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more members than its header counts (1)");
  }
}
