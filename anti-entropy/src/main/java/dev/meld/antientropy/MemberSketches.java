package dev.meld.antientropy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One session's state of the member sketches ({@link CodedSymbols}) it exchanges: which records
 * this side sent symbols of and how many, and, for records the peer sent symbols of, the decoder
 * and how many symbols this side asked for. What the peer may send next is checked against it.
 *
 * <p>The exchange: the side that opens the comparison of a record too large to ship whole sends
 * its first {@link #FIRST_BATCH} symbols; the other subtracts its own and peels. Until it decodes
 * it asks for more, growing the prefix about 1.5x (at least 1.5 times the difference in member
 * counts, a lower bound on the differing members, each of which takes about 1.45 symbols); once
 * it decodes, both sides ship their slices of exactly the member hashes that differ. Past {@link #MAX_SYMBOLS}, or when the symbols fail to decode or
 * decode to no difference while the members' digest sums differ, the record falls back to the
 * digest descent. Equal sums in the first batch end the exchange: only the contexts differ.
 */
final class MemberSketches {

  /**
   * Symbols per record and session, at most: enough for some 2,500 differing members (about 1.45
   * symbols decode a difference, and a batch may overshoot by half); a larger difference is left
   * to the descent. Each side of a comparison holds this many symbols of its own, 20 bytes each.
   */
  static final int MAX_SYMBOLS = 4096;

  /**
   * The first batch: a member only one side holds decodes from symbol 0 alone, two differing items
   * in 2.3 symbols on average; and the first batch is all that is spent when the receiver finds
   * the members equal (only contexts differ) or another session compares them. A larger difference
   * asks for more at once, sized by the difference in member counts. 2 measured 2% to 8% fewer
   * bytes than 4 for d = 2 to 100 in SetMembersBandwidthReport, and the same at d = 1,000.
   */
  static final int FIRST_BATCH = 2;

  private final Map<Outbox.KeyRef, CodedSymbols> mine = new HashMap<>();
  private final Map<Outbox.KeyRef, Integer> sent = new HashMap<>();
  private final Set<Outbox.KeyRef> opened = new HashSet<>();
  private final Map<Outbox.KeyRef, SketchDecoder> decoders = new HashMap<>();
  private final Map<Outbox.KeyRef, Integer> asked = new HashMap<>();

  /** This side's symbols of {@code key}, read once per session. */
  CodedSymbols mine(byte[] key, MemberView members) {
    return mine.computeIfAbsent(new Outbox.KeyRef(key.clone()), k -> members.symbols(MAX_SYMBOLS));
  }

  // ------------------------------------------------------------ the side that sends symbols

  /** How many symbols of {@code key} this side sent; -1 if it sent none. */
  int sent(byte[] key) {
    return sent.getOrDefault(new Outbox.KeyRef(key), -1);
  }

  void sentUpTo(byte[] key, int end) {
    sent.put(new Outbox.KeyRef(key.clone()), end);
  }

  // ------------------------------------------------------------ the side that decodes

  /**
   * Starts decoding the peer's symbols of {@code key}.
   *
   * @throws SyncProtocolException if the peer opened this record's symbols before
   */
  SketchDecoder open(byte[] key, MemberView members) throws SyncProtocolException {
    Outbox.KeyRef ref = new Outbox.KeyRef(key.clone());
    if (!opened.add(ref)) {
      throw new SyncProtocolException(
          "member symbols of a record from 0 again (expected: once per record and session)");
    }
    SketchDecoder decoder = new SketchDecoder(mine(key, members), MAX_SYMBOLS);
    decoders.put(ref, decoder);
    return decoder;
  }

  /** Whether the peer opened {@code key}'s symbols in this session. */
  boolean opened(byte[] key) {
    return opened.contains(new Outbox.KeyRef(key));
  }

  /** The decoder of {@code key}'s symbols, while this side still decodes them; else null. */
  SketchDecoder decoder(byte[] key) {
    return decoders.get(new Outbox.KeyRef(key));
  }

  /** How many symbols of {@code key} this side asked for (the first batch is not asked). */
  int asked(byte[] key) {
    return asked.getOrDefault(new Outbox.KeyRef(key), 0);
  }

  /**
   * Asks for more of {@code key}'s symbols after a prefix that did not decode: returns how many in
   * all, or 0 if the limit is reached (then the decoder is dropped).
   */
  int askMore(byte[] key, SketchDecoder decoder, long peerMembers, long myMembers) {
    int have = decoder.size();
    if (have >= MAX_SYMBOLS) {
      done(key);
      return 0;
    }
    long countDifference = Math.abs(peerMembers - myMembers);
    long upTo = Math.max(have + Math.max(have / 2, FIRST_BATCH), countDifference * 3 / 2);
    int ask = (int) Math.min(MAX_SYMBOLS, upTo);
    asked.put(new Outbox.KeyRef(key.clone()), ask);
    return ask;
  }

  /** Stops decoding {@code key}'s symbols: decoded, or given up for the descent. */
  void done(byte[] key) {
    decoders.remove(new Outbox.KeyRef(key));
  }
}
