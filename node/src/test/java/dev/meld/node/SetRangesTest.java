package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.antientropy.Digest;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a peer sends for a member-by-member repair ({@link SetRanges}, {@link SetGuard}) is checked
 * before it is merged: ranges in order and disjoint, members inside them, a guard with no members.
 */
class SetRangesTest {

  private static final ReplicaId A = new ReplicaId("a", 1);
  private static final Bytes X = Bytes.utf8("x");

  private static Orswot<Bytes> holding(Bytes element) {
    CausalContext context = new CausalContext();
    context.add(new Dot(A, 1));
    context.add(new Dot(A, 2));
    return Orswot.of(ElementCodec.BYTES, context, Map.of(element, List.of(new Dot(A, 2))));
  }

  @Test
  void rangesRoundTripWithTheirMembers() {
    long h = SetPieces.elementHash(X);
    long[] from = {0, h};
    long[] to = {h - 1, h};
    SetRanges decoded =
        SetRanges.decode(SetRanges.encode(from, to, 2, holding(X)), DecodeLimits.DEFAULT);
    assertThat(decoded.from()).containsExactly(0, h);
    assertThat(decoded.to()).containsExactly(h - 1, h);
    assertThat(decoded.set().elements()).containsExactly(X);
    assertThat(decoded.set().context()).isEqualTo(holding(X).context());
  }

  /** Ranges of one hash each (what the member sketch asks for) take 8 bytes each, not 16. */
  @Test
  void rangesOfOneHashEachRoundTripInEightBytesEach() {
    long h = SetPieces.elementHash(X);
    Orswot<Bytes> empty = Orswot.of(ElementCodec.BYTES, new CausalContext(), Map.of());
    long[] points = {h / 2, h, h + 1};
    byte[] encoded = SetRanges.encode(points, points, 3, holding(X));
    long[] spans = {h / 2, h, h + 1};
    long[] ends = {h / 2, h, h + 2};
    assertThat(SetRanges.encode(spans, ends, 3, empty).length
            - SetRanges.encode(points, points, 3, empty).length)
        .isEqualTo(3 * 8);
    SetRanges decoded = SetRanges.decode(encoded, DecodeLimits.DEFAULT);
    assertThat(decoded.from()).containsExactly(points);
    assertThat(decoded.to()).containsExactly(points);
    assertThat(decoded.set().elements()).containsExactly(X);
    byte[] truncated = ByteBuffer.allocate(8).put(SetRanges.TAG).put((byte) 2).putShort((short) 1).array();
    assertThatThrownBy(() -> SetRanges.decode(truncated, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("set ranges: 1 in 4 bytes (expected: at least 1, each 8 bytes)");
  }

  @Test
  void aMemberOutsideEveryRangeIsRefused() {
    long h = SetPieces.elementHash(X);
    long[] from = {h == 0 ? 1 : 0};
    long[] to = {h == 0 ? 1 : h - 1};
    byte[] bytes = SetRanges.encode(from, to, 1, holding(X));
    assertThatThrownBy(() -> SetRanges.decode(bytes, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("expected: within one of the 1 ranges");
  }

  @Test
  void rangesOutOfOrderOrOverlappingAreRefused() {
    Orswot<Bytes> empty = Orswot.of(ElementCodec.BYTES, new CausalContext(), Map.of());
    byte[] overlapping = SetRanges.encode(new long[] {0, 10}, new long[] {10, 20}, 2, empty);
    assertThatThrownBy(() -> SetRanges.decode(overlapping, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("set range 1: [10, 20]");
    byte[] backwards = SetRanges.encode(new long[] {5}, new long[] {4}, 1, empty);
    assertThatThrownBy(() -> SetRanges.decode(backwards, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("set range 0: [5, 4]");
  }

  @Test
  void aRangeCountLargerThanTheBytesIsRefusedBeforeAllocating() {
    byte[] bytes = ByteBuffer.allocate(8).put(SetRanges.TAG).put((byte) 1).putShort((short) 0xFFFF).array();
    assertThatThrownBy(() -> SetRanges.decode(bytes, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("set ranges: 65535 in 4 bytes");
  }

  @Test
  void aGuardCarryingMembersIsRefused() {
    byte[] guard = SetGuard.encode(Digest.ZERO, holding(X).context());
    assertThat(SetGuard.decode(guard, DecodeLimits.DEFAULT).set().isEmpty()).isTrue();
    byte[] set = dev.meld.crdt.CrdtCodec.encode(holding(X));
    byte[] forged = ByteBuffer.allocate(18 + set.length).put(SetGuard.TAG).put((byte) 1).putLong(0).putLong(0).put(set).array();
    assertThatThrownBy(() -> SetGuard.decode(forged, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("set guard: 1 members (expected: none, a context only)");
  }
}
