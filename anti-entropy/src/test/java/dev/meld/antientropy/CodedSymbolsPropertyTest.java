package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Laws of the member sketch: {@link CodedSymbols} and {@link SketchDecoder}. */
class CodedSymbolsPropertyTest {

  private static final int SIZE = 4096;

  /** Two replicas' members: shared ones, and the ones that differ (absent or another version). */
  record Pair(Map<Long, Digest> a, Map<Long, Digest> b, long[] aOnly, long[] bOnly) {}

  /**
   * {@code shared} members held alike, then {@code d} differences, each a member only A holds,
   * only B holds, or both hold in different versions (the last counts on both sides).
   */
  static Pair pair(long seed, int shared, int d) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Long, Digest> a = new HashMap<>();
    Map<Long, Digest> b = new HashMap<>();
    for (int i = 0; i < shared; i++) {
      long hash = random.nextLong();
      Digest digest = new Digest(random.nextLong(), random.nextLong());
      a.put(hash, digest);
      b.put(hash, digest);
    }
    List<Long> aOnly = new ArrayList<>();
    List<Long> bOnly = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      long hash = random.nextLong();
      int kind = random.nextInt(3);
      if (kind != 1) {
        a.put(hash, new Digest(random.nextLong(), random.nextLong()));
        aOnly.add(hash);
      }
      if (kind != 0) {
        b.put(hash, new Digest(random.nextLong(), random.nextLong()));
        bOnly.add(hash);
      }
    }
    return new Pair(
        a,
        b,
        aOnly.stream().mapToLong(Long::longValue).sorted().toArray(),
        bOnly.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  static CodedSymbols encode(Map<Long, Digest> members, int size) {
    CodedSymbols symbols = new CodedSymbols(size);
    members.forEach(symbols::add);
    return symbols;
  }

  /** Feeds B's decoder A's symbols in batches growing 1.5x from 8, as a session does. */
  static SketchDecoder decode(CodedSymbols theirs, CodedSymbols mine) {
    SketchDecoder decoder = new SketchDecoder(mine, SIZE);
    int sent = 0;
    int batch = 8;
    while (decoder.state() == SketchDecoder.State.MORE && sent < theirs.size()) {
      int n = Math.min(batch, theirs.size() - sent);
      decoder.add(
          sent, theirs.counts(sent, n), theirs.hashSums(sent, n), theirs.tagSums(sent, n));
      sent += n;
      batch = batch * 3 / 2;
    }
    return decoder;
  }

  /**
   * Law: for random A and B with |A Δ B| = d (members absent on one side, or held in two versions),
   * subtracting B's symbols from a prefix of A's and peeling recovers exactly the hashes of A \ B
   * (with A's sign) and B \ A (with B's), within a few symbols per difference (about 1.4 per item for
   * hundreds of items, from a scratch run; the bound leaves room for the 1.5x batches and small d).
   */
  @Test
  void peelingRecoversExactlyTheDifference() {
    Props.forAll(
        Props.scale(300, 3000),
        longs().all().zip(integers().between(0, 2000), integers().between(0, 300), (s, n, d) ->
            new long[] {s, n, d}),
        input -> {
          Pair p = pair(input[0], (int) input[1], (int) input[2]);
          SketchDecoder decoder = decode(encode(p.a(), SIZE), encode(p.b(), SIZE));
          assertThat(decoder.state()).isEqualTo(SketchDecoder.State.DECODED);
          assertThat(decoder.hashes(true)).containsExactly(p.aOnly());
          assertThat(decoder.hashes(false)).containsExactly(p.bOnly());
          int d = p.aOnly().length + p.bOnly().length;
          assertThat(decoder.size()).isLessThanOrEqualTo(64 + 3 * d);
        });
  }

  /**
   * Law: symbols are a prefix code and updates are exact: a table of n symbols equals the first n
   * of a larger one, and a table updated by changes equals one built from the final members.
   */
  @Test
  void prefixesAndChangesEqualARebuild() {
    Props.forAll(
        Props.scale(300, 3000),
        longs().all().zip(integers().between(1, 600), (s, n) -> new long[] {s, n}),
        input -> {
          Pair p = pair(input[0], 50, 40);
          int size = (int) input[1];
          CodedSymbols changed = encode(p.a(), SIZE);
          Map<Long, Digest> union = new HashMap<>(p.a());
          union.putAll(p.b());
          union.forEach(
              (hash, any) ->
                  changed.change(
                      hash,
                      p.a().getOrDefault(hash, Digest.ZERO),
                      p.b().getOrDefault(hash, Digest.ZERO)));
          assertThat(changed).isEqualTo(encode(p.b(), SIZE));
          assertThat(changed.prefix(size)).isEqualTo(encode(p.b(), size));
        });
  }

  /**
   * Law: corrupt symbols never yield a wrong decode: with one bit of one symbol flipped, or with
   * random symbols, the decoder ends MORE or FAILED, or DECODED with exactly the true difference.
   */
  @Test
  void corruptSymbolsNeverDecodeWrongly() {
    Props.forAll(
        Props.scale(300, 3000),
        longs().all().zip(integers().between(0, 40), integers().between(0, 16 * 64 + 8), (s, d, f) ->
            new long[] {s, d, f}),
        input -> {
          Pair p = pair(input[0], 200, (int) input[1]);
          CodedSymbols mine = encode(p.b(), SIZE);
          int n = 16;
          CodedSymbols theirs = encode(p.a(), n);
          SplittableRandom random = new SplittableRandom(input[0]);
          boolean garbage = input[2] == 16 * 64 + 8;
          int[] counts = garbage ? random.ints(n, 0, 256).toArray() : theirs.counts(0, n);
          long[] hashes = garbage ? random.longs(n).toArray() : theirs.hashSums(0, n);
          long[] tags = garbage ? random.longs(n).toArray() : theirs.tagSums(0, n);
          int flip = (int) input[2];
          if (flip < 16 * 64) {
            hashes[flip / 64] ^= 1L << (flip % 64);
          } else if (flip < 16 * 64 + 8) {
            counts[flip % 16] ^= 1 << (flip - 16 * 64);
          }
          SketchDecoder decoder = new SketchDecoder(mine, SIZE);
          if (decoder.add(0, counts, hashes, tags) == SketchDecoder.State.DECODED) {
            assertThat(garbage).isFalse();
            assertThat(decoder.hashes(true)).containsExactly(p.aOnly());
            assertThat(decoder.hashes(false)).containsExactly(p.bOnly());
          }
        });
  }

  /** Batches out of order, of unequal arrays or beyond this side's symbols fail before allocating. */
  @Test
  void limitsAreCheckedBeforeAllocating() {
    SketchDecoder decoder = new SketchDecoder(new CodedSymbols(8), 8);
    assertThatThrownBy(() -> decoder.add(1, new int[1], new long[1], new long[1]))
        .hasMessageContaining("expected: from 0");
    assertThatThrownBy(() -> decoder.add(0, new int[9], new long[9], new long[9]))
        .hasMessageContaining("expected: at most 8");
    assertThatThrownBy(() -> decoder.add(0, new int[2], new long[1], new long[1]))
        .hasMessageContaining("expected: equal");
    assertThatThrownBy(() -> decoder.add(0, new int[] {256}, new long[1], new long[1]))
        .hasMessageContaining("expected: 0..255");
    assertThatThrownBy(() -> new CodedSymbols(CodedSymbols.MAX_SIZE + 1))
        .hasMessageContaining("expected: 1..");
    assertThat(decoder.size()).isZero();
  }

  /** Identical sides decode at once to no difference; an item peeled twice is a failure. */
  @Test
  void equalSidesDecodeEmptyAndADuplicatedItemFails() {
    Pair p = pair(7, 100, 0);
    SketchDecoder equal = decode(encode(p.a(), SIZE), encode(p.b(), SIZE));
    assertThat(equal.state()).isEqualTo(SketchDecoder.State.DECODED);
    assertThat(equal.differingHashes()).isEmpty();
    assertThat(equal.size()).isEqualTo(8);

    // A peer whose symbols hold one item in cell 0 and, in the item's next cell, a count of 2 with
    // empty sums: peeling the item leaves that cell pure with the same item again.
    Digest digest = new Digest(1, 2);
    long tag = CodedSymbols.tag(42, digest);
    int next = new CodedSymbols.IndexWalk(42, tag).next();
    int n = next + 1;
    int[] counts = new int[n];
    long[] hashes = new long[n];
    long[] tags = new long[n];
    counts[0] = 1;
    hashes[0] = 42;
    tags[0] = tag;
    counts[next] = 2;
    SketchDecoder twice = new SketchDecoder(new CodedSymbols(SIZE), SIZE);
    assertThat(twice.add(0, counts, hashes, tags)).isEqualTo(SketchDecoder.State.FAILED);
  }
}
