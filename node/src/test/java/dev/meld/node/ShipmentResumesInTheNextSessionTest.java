package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.antientropy.KeyspaceView.RecordParts;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.DecodeLimits;
import dev.meld.node.store.MemoryRecordStore;
import org.junit.jupiter.api.Test;

/**
 * A whole-set shipment cut short by its session's end goes on in the next session with the same
 * peer ({@link ShipmentsOut}), two slices back, and the receiver still commits it ({@link
 * SetShipmentsIn}). Before, each session started the shipment again at its first member: with
 * sessions ending every few seconds on a loaded node, a replica behind by millions of members of
 * one set was sent what it held over and over and stalled (scripts/big-set, 3M members).
 */
class ShipmentResumesInTheNextSessionTest {

  private static final Bytes SET = Bytes.utf8("big");
  private static final byte[] KEY = SET.toByteArray();
  private static final int PART_BYTES = 16 * 1024;

  private final MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
  private final StoreKeyspace keyspace;

  ShipmentResumesInTheNextSessionTest() {
    BigSets.replicaHolding(store, 5_000);
    keyspace = new StoreKeyspace(store, 4, DecodeLimits.DEFAULT, 1 << 20, (h, k, v) -> true);
  }

  @Test
  void aShipmentCutShortGoesOnTwoSlicesBackAndCommits() {
    SetShipmentsIn in = new SetShipmentsIn();
    SessionKeyspace first = keyspace.toward("b");
    RecordParts parts = first.parts(KEY, PART_BYTES);
    SetSlice one = slice(parts.next());
    SetSlice two = slice(parts.next());
    SetSlice three = slice(parts.next()); // packed, never delivered
    in.sliceMerged("b", SET, one);
    in.sliceMerged("b", SET, two);
    first.ended();

    SessionKeyspace second = keyspace.toward("b");
    RecordParts resumed = second.parts(KEY, PART_BYTES);
    assertThat(resumed).as("the same shipment").isSameAs(parts);
    SetSlice next = slice(resumed.next());
    assertThat(next.shipment()).isEqualTo(one.shipment());
    assertThat(next.from()).as("two slices back").isEqualTo(two.from());
    assertThat(next.from()).isLessThan(three.from());
    in.sliceMerged("b", SET, next);
    SetSlice commit = mergeTheRest(in, resumed);
    assertThat(in.mayCommit("b", SET, commit)).as("the resumed shipment commits").isTrue();
    assertThat(resumed.next()).isNull();
    second.ended();
    assertThat(keyspace.shipmentsKept()).as("a finished shipment is not kept").isZero();
  }

  @Test
  void aShipmentStaysWithItsSessionWhileThatRuns() {
    SessionKeyspace first = keyspace.toward("b");
    RecordParts parts = first.parts(KEY, PART_BYTES);
    long shipment = slice(parts.next()).shipment();

    RecordParts other = keyspace.toward("b").parts(KEY, PART_BYTES);
    assertThat(other).isNotSameAs(parts);
    assertThat(slice(other.next()).shipment()).as("a shipment of its own").isNotEqualTo(shipment);
    RecordParts toAnotherPeer = keyspace.toward("c").parts(KEY, PART_BYTES);
    assertThat(toAnotherPeer).isNotSameAs(parts);
  }

  @Test
  void aSliceAfterAGapStillMeansNoCommit() {
    SetShipmentsIn in = new SetShipmentsIn();
    RecordParts parts = keyspace.toward("b").parts(KEY, PART_BYTES);
    SetSlice one = slice(parts.next());
    slice(parts.next()); // lost
    SetSlice three = slice(parts.next());
    in.sliceMerged("b", SET, one);
    in.sliceMerged("b", SET, three);
    assertThat(in.mayCommit("b", SET, mergeTheRest(in, parts))).isFalse();
  }

  /** Merges the shipment's remaining slices into {@code in}; returns its commit. */
  private static SetSlice mergeTheRest(SetShipmentsIn in, RecordParts parts) {
    while (true) {
      SetSlice part = slice(parts.next());
      if (part.commit()) {
        return part;
      }
      in.sliceMerged("b", SET, part);
    }
  }

  private static SetSlice slice(byte[] part) {
    return SetSlice.decode(part, DecodeLimits.DEFAULT);
  }
}
