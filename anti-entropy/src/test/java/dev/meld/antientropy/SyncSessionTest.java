package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sessions in specific situations, stepped by hand where the situation needs it. */
class SyncSessionTest {

  private final SyncCodec codec = new SyncCodec();

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static InMemoryKeyspace keyspace(int keys, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    InMemoryKeyspace space = new InMemoryKeyspace(ByteSetLattice::merge);
    for (int i = 0; i < keys; i++) {
      space.merge(key("key-" + i), ByteSetLattice.random(random, 6));
    }
    return space;
  }

  /** A fresh initiator over {@code keys} keys and a responder over different ones, unstarted. */
  private record Sessions(SyncSession initiator, SyncSession responder) {
    static Sessions over(long id, int keys, long seed, SyncConfig initiatorConfig) {
      return new Sessions(
          SyncSession.initiate(id, keyspace(keys, seed), initiatorConfig),
          SyncSession.respond(keyspace(keys, seed + 1), SyncConfig.DEFAULT));
    }
  }

  private static SyncMessage only(StepResult step) {
    assertThat(step.send()).hasSize(1);
    return step.send().get(0);
  }

  @Test
  void sameKeySameCountDifferentContentIsRepairedInBothDirections() {
    InMemoryKeyspace a = keyspace(500, 1);
    InMemoryKeyspace b = a.copy();
    a.merge(key("key-7"), new byte[] {(byte) 200});
    b.merge(key("key-7"), new byte[] {(byte) 201});
    assertThat(a.keyCount()).isEqualTo(b.keyCount());
    assertThat(a.digests().root()).isNotEqualTo(b.digests().root());

    SessionDriver.Outcome outcome = SessionDriver.sync(a, b, 42, SyncConfig.DEFAULT);

    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.initiator().recordsSent()).isEqualTo(1);
    assertThat(outcome.responder().recordsSent()).isEqualTo(1);
    assertThat(outcome.initiator().recordsReceived()).isEqualTo(1);
    assertThat(outcome.responder().recordsReceived()).isEqualTo(1);
    assertThat(a.read(key("key-7"))).contains((byte) 200, (byte) 201);
    assertThat(a.records()).isEqualTo(b.records());
  }

  /**
   * Regression: the initiator listed a conflicting key, then merged the responder's version of it
   * before answering the responder's request for it (the answer was chunked into a later round);
   * the merge changed the record's fingerprint, the request no longer matched, and the key was
   * never shipped back. Requests are now resolved against the keys as listed.
   */
  @Test
  void requestedRecordChangedByAMergeBeforeShippingStillShips() {
    Scenario.Pair pair = new Scenario(0, 12, 0, 2, 0, -6).build();
    SyncConfig tiny = SyncConfig.DEFAULT.withFanoutBits(1).withMaxMessageBytes(136);

    SessionDriver.Outcome outcome = SessionDriver.sync(pair.a(), pair.b(), 0, tiny);

    assertThat(outcome.completed()).isTrue();
    assertThat(pair.a().records()).isEqualTo(pair.expected());
    assertThat(pair.b().records()).isEqualTo(pair.expected());
  }

  @Test
  void equalReplicasExchangeOnlyTheRootsWhateverTheirSize() {
    for (int keys : new int[] {0, 1, 100, 20_000}) {
      InMemoryKeyspace a = keyspace(keys, keys);
      SessionDriver.Outcome outcome = SessionDriver.sync(a, a.copy(), 7, SyncConfig.DEFAULT);
      assertThat(outcome.completed()).isTrue();
      assertThat(outcome.messages()).isEqualTo(2);
      assertThat(outcome.bytes()).isLessThan(80);
    }
  }

  @Test
  void oneKeyMissingOnEitherSideIsRepairedFromTheRootsAlone() {
    InMemoryKeyspace a = keyspace(20_000, 3);
    InMemoryKeyspace b = a.copy();
    b.merge(key("extra-on-responder"), new byte[] {1});
    SessionDriver.Outcome responderHasIt = SessionDriver.sync(a, b, 1, SyncConfig.DEFAULT);
    a.merge(key("extra-on-initiator"), new byte[] {2});
    SessionDriver.Outcome initiatorHasIt = SessionDriver.sync(a, b, 2, SyncConfig.DEFAULT);

    assertThat(responderHasIt.messages()).isEqualTo(2);
    assertThat(initiatorHasIt.messages()).isEqualTo(3);
    assertThat(a.records()).isEqualTo(b.records());
  }

  /**
   * Two extra keys on the initiator and one on the responder look like "one extra" from the root.
   */
  @Test
  void probeThatMissesFallsBackToDescent() {
    InMemoryKeyspace a = keyspace(3_000, 4);
    InMemoryKeyspace b = a.copy();
    a.merge(key("x"), new byte[] {1});
    a.merge(key("y"), new byte[] {2});
    b.merge(key("z"), new byte[] {3});
    SyncSession initiator = SyncSession.initiate(9, a, SyncConfig.DEFAULT);
    SyncSession responder = SyncSession.respond(b, SyncConfig.DEFAULT);
    SyncMessage.Round first = (SyncMessage.Round) only(responder.receive(only(initiator.start())));
    assertThat(first.parts()).singleElement().isInstanceOf(Part.Probe.class);
    SyncMessage.Round fallback = (SyncMessage.Round) only(initiator.receive(first));
    assertThat(fallback.parts()).singleElement().isInstanceOf(Part.Digests.class);

    SessionDriver.Outcome outcome = SessionDriver.sync(a, b, 10, SyncConfig.DEFAULT);
    assertThat(outcome.completed()).isTrue();
    assertThat(a.records()).isEqualTo(b.records());
    assertThat(a.keyCount()).isEqualTo(3_003);
  }

  @Test
  void hundredThousandKeysWithAThousandDifferencesRepairInOneSession() {
    Scenario.Pair pair = new Scenario(100_000, 400, 300, 300, 16, 99).build();

    SessionDriver.Outcome first = SessionDriver.sync(pair.a(), pair.b(), 5, SyncConfig.DEFAULT);
    SessionDriver.Outcome second = SessionDriver.sync(pair.b(), pair.a(), 6, SyncConfig.DEFAULT);

    assertThat(first.completed()).isTrue();
    assertThat(pair.a().records()).isEqualTo(pair.expected());
    assertThat(pair.b().records()).isEqualTo(pair.expected());
    assertThat(first.initiator().recordsSent() + first.responder().recordsSent()).isEqualTo(1_300);
    assertThat(second.messages()).isEqualTo(2);
  }

  /** Trees of 8 and 2,048 leaves: the session runs below the small tree's leaves by listing. */
  @Test
  void replicasOfVeryDifferentSizesSyncBothWays() {
    InMemoryKeyspace big = keyspace(30_000, 20);
    InMemoryKeyspace small = new InMemoryKeyspace(ByteSetLattice::merge);
    big.records().subList(0, 100).forEach(r -> small.merge(r.key(), r.state()));
    small.merge(key("key-3"), new byte[] {(byte) 250});
    small.merge(key("only-small"), new byte[] {1});
    assertThat(small.digests().leafBits()).isLessThan(big.digests().leafBits() - 6);

    SessionDriver.Outcome first = SessionDriver.sync(small, big, 21, SyncConfig.DEFAULT);
    SessionDriver.Outcome second = SessionDriver.sync(big, small, 22, SyncConfig.DEFAULT);

    assertThat(first.completed()).isTrue();
    assertThat(second.messages()).isEqualTo(2);
    assertThat(small.records()).isEqualTo(big.records());
    assertThat(big.read(key("key-3"))).contains((byte) 250);
    assertThat(big.read(key("only-small"))).isNotNull();
  }

  @Test
  void emptyAgainstFullShipsEverythingInChunksUnderTheBound() {
    InMemoryKeyspace full = keyspace(5_000, 5);
    InMemoryKeyspace empty = new InMemoryKeyspace(ByteSetLattice::merge);
    SyncConfig small = SyncConfig.DEFAULT.withMaxMessageBytes(2_000);
    int[] largest = {0};

    SessionDriver.Outcome outcome =
        SessionDriver.sync(
            empty,
            full,
            11,
            small,
            small,
            new SessionDriver.Perfect(),
            (side, step) ->
                step.send()
                    .forEach(m -> largest[0] = Math.max(largest[0], SyncCodec.encodedSize(m))));

    assertThat(outcome.completed()).isTrue();
    assertThat(empty.records()).isEqualTo(full.records());
    assertThat(largest[0]).isLessThanOrEqualTo(2_000);
    assertThat(outcome.messages()).isGreaterThan(50);
  }

  @Test
  void responderAdoptsTheInitiatorsWidthsAndFanout() {
    Scenario.Pair pair = new Scenario(2_000, 30, 30, 30, 8, 12).build();
    SyncConfig initiator = new SyncConfig(2, 3, 5, 4_096);

    SessionDriver.Outcome outcome =
        SessionDriver.sync(
            pair.a(),
            pair.b(),
            13,
            initiator,
            SyncConfig.DEFAULT,
            new SessionDriver.Perfect(),
            (s, r) -> {});

    assertThat(outcome.completed()).isTrue();
    assertThat(pair.a().records()).isEqualTo(pair.expected());
  }

  @Test
  void recordLargerThanAnyMessageIsSkippedAndCounted() {
    InMemoryKeyspace a = new InMemoryKeyspace((x, y) -> x.length >= y.length ? x : y);
    InMemoryKeyspace b = new InMemoryKeyspace((x, y) -> x.length >= y.length ? x : y);
    a.merge(key("huge"), new byte[3_000]);
    a.merge(key("small"), new byte[10]);
    SyncConfig bound = SyncConfig.DEFAULT.withMaxMessageBytes(1_000);

    SessionDriver.Outcome outcome = SessionDriver.sync(a, b, 14, bound);

    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.initiator().recordsSkipped() + outcome.responder().recordsSkipped())
        .isEqualTo(1);
    assertThat(b.read(key("small"))).hasSize(10);
    assertThat(b.read(key("huge"))).isNull();
  }

  @Test
  void staleDuplicateRoundAbortsBothSidesWithAClearError() {
    Sessions sessions = Sessions.over(15, 3_000, 6, SyncConfig.DEFAULT);
    SyncSession initiator = sessions.initiator();
    SyncSession responder = sessions.responder();
    byte[] round1 = codec.encode(only(responder.receive(only(initiator.start()))));
    byte[] round2 = codec.encode(only(initiator.receive(round1)));
    responder.receive(round2);

    StepResult duplicate = initiator.receive(round1);

    assertThat(duplicate.state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(duplicate.merge()).isEmpty();
    assertThat(initiator.summary().reason()).isEqualTo("stale round: seq 1 (expected: 3)");
    StepResult told = responder.receive(codec.encode(only(duplicate)));
    assertThat(told.state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(told.send()).isEmpty();
    assertThat(responder.summary().reason())
        .isEqualTo("peer aborted: stale round: seq 1 (expected: 3)");
  }

  @Test
  void unexpectedMessagesAbortWithWhatWasExpected() {
    InMemoryKeyspace a = keyspace(3_000, 8);
    InMemoryKeyspace b = keyspace(3_000, 9);
    SyncConfig config = SyncConfig.DEFAULT;

    SyncSession r1 = SyncSession.respond(b, config);
    r1.receive(new SyncMessage.Hello(1, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r1.receive(new SyncMessage.Hello(1, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    assertThat(r1.summary().reason()).isEqualTo("unexpected Hello (expected: round 2)");

    SyncSession i2 = SyncSession.initiate(2, a, config);
    i2.start();
    i2.receive(new SyncMessage.Round(3, 1, true, false, List.of()));
    assertThat(i2.summary().reason()).isEqualTo("session id: 3 (expected: 2)");

    SyncSession r3 = SyncSession.respond(b, config);
    r3.receive(new SyncMessage.Round(4, 1, true, false, List.of()));
    assertThat(r3.summary().reason()).isEqualTo("unexpected round 1 (expected: Hello)");

    SyncSession i4 = SyncSession.initiate(5, a, config);
    i4.start();
    i4.receive(
        new SyncMessage.Round(
            5, 1, true, false, List.of(new Part.Request(new Segment(4, 3), 8, new long[] {1}))));
    assertThat(i4.summary().reason())
        .isEqualTo("unexpected request for segment 4/3 (expected: a segment this side listed)");

    SyncSession r5 = SyncSession.respond(b, config);
    r5.receive(new SyncMessage.Hello(6, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    StepResult step =
        r5.receive(
            new SyncMessage.Round(
                6,
                2,
                true,
                false,
                List.of(new Part.Digests(8, 12, 4, new long[] {0x77}, new long[16]))));
    assertThat(step.state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(r5.summary().reason())
        .isEqualTo(
            "unexpected digests of segment 8/77 (expected: children of a segment this side sent digests for)");

    SyncSession r6 = SyncSession.respond(b, config);
    r6.receive(new SyncMessage.Hello(7, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r6.receive(new SyncMessage.Round(7, 2, true, false, List.of(new Part.Probe(1, Digest.ZERO))));
    assertThat(r6.summary().reason())
        .isEqualTo("unexpected probe (expected: only in the responder's first round)");
  }

  @Test
  void memberComparisonsAnswerOnlyWhatThisSideAsked() {
    InMemoryKeyspace b = keyspace(3_000, 9);
    SyncConfig config = SyncConfig.DEFAULT;
    byte[] key = "k".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    SyncSession r1 = SyncSession.respond(b, config);
    r1.receive(new SyncMessage.Hello(11, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    StepResult below =
        r1.receive(
            new SyncMessage.Round(
                11,
                2,
                true,
                false,
                List.of(
                    new Part.KeyDigests(
                        key, 5, new Part.Digests(4, 8, 4, new long[] {3}, new long[16])))));
    assertThat(below.state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(r1.summary().reason())
        .isEqualTo(
            "unexpected member digests of segment 4/3 (expected: children of a segment this side"
                + " sent member digests for)");

    SyncSession r2 = SyncSession.respond(b, config);
    r2.receive(new SyncMessage.Hello(12, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r2.receive(
        new SyncMessage.Round(
            12, 2, true, false, List.of(new Part.KeySlices(key, 8, new long[] {0x42}))));
    assertThat(r2.summary().reason())
        .isEqualTo(
            "unexpected slice request for segment 8/42 (expected: a child of a segment this side"
                + " sent member digests for, or one member hash of a record this side sent symbols"
                + " of)");

    SyncSession r3 = SyncSession.respond(b, config);
    r3.receive(new SyncMessage.Hello(14, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r3.receive(
        new SyncMessage.Round(14, 2, true, false, List.of(new Part.MoreSymbols(key, 12))));
    assertThat(r3.summary().reason())
        .isEqualTo(
            "request for member symbols up to 12 (expected: none, this side sent no symbols of"
                + " that record)");

    SyncSession r4 = SyncSession.respond(b, config);
    r4.receive(new SyncMessage.Hello(15, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r4.receive(
        new SyncMessage.Round(
            15,
            2,
            true,
            false,
            List.of(
                new Part.KeySymbols(
                    key, 5, 0, 8, new int[] {1}, new long[] {1}, new long[] {1}))));
    assertThat(r4.summary().reason())
        .isEqualTo(
            "member symbols 8..9 (expected: none, this side asks for no symbols of that record)");

    SyncSession r5 = SyncSession.respond(b, config);
    r5.receive(new SyncMessage.Hello(16, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    r5.receive(
        new SyncMessage.Round(
            16, 2, true, false, List.of(new Part.KeySlices(key, 64, new long[] {0x42}))));
    assertThat(r5.summary().reason()).startsWith("unexpected slice request for segment 64/42");
  }

  @Test
  void firstSymbolsOfARecordHeldInNoComparableFormAskForAllOfIt() {
    InMemoryKeyspace b = keyspace(3_000, 9);
    byte[] key = key("key-0");
    SyncSession r = SyncSession.respond(b, SyncConfig.DEFAULT);
    r.receive(new SyncMessage.Hello(17, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    StepResult step =
        r.receive(
            new SyncMessage.Round(
                17,
                2,
                true,
                false,
                List.of(
                    new Part.KeySymbols(
                        key, 100_000, 7, 0, new int[] {0}, new long[] {5}, new long[] {6}))));
    assertThat(step.state()).isEqualTo(SyncSession.State.RUNNING);
    SyncMessage.Round reply = (SyncMessage.Round) step.send().get(0);
    assertThat(reply.parts())
        .anySatisfy(p -> assertThat(p).isEqualTo(new Part.KeySlices(key, 0, new long[] {0})));
  }

  @Test
  void aRootMemberComparisonForARecordHeldInNoComparableFormAsksForAllOfIt() {
    InMemoryKeyspace b = keyspace(3_000, 9);
    byte[] key = key("key-0");
    SyncSession r = SyncSession.respond(b, SyncConfig.DEFAULT);
    r.receive(new SyncMessage.Hello(13, 3_000, 0, 4, 4, 8, new Digest(1, 1)));
    StepResult step =
        r.receive(
            new SyncMessage.Round(
                13,
                2,
                true,
                false,
                List.of(
                    new Part.KeyDigests(
                        key, 100_000, new Part.Digests(0, 4, 4, new long[] {0}, new long[16])))));
    assertThat(step.state()).isEqualTo(SyncSession.State.RUNNING);
    SyncMessage.Round reply = (SyncMessage.Round) step.send().get(0);
    assertThat(reply.parts())
        .anySatisfy(p -> assertThat(p).isEqualTo(new Part.KeySlices(key, 0, new long[] {0})));
    assertThat(reply.parts())
        .filteredOn(p -> p instanceof Part.Records)
        .anySatisfy(
            p ->
                assertThat(((Part.Records) p).records())
                    .extracting(SyncRecord::key)
                    .containsExactly(key));
  }

  @Test
  void aPeerThatEndsTheSessionWhileThisSideStillHasWorkIsRejected() {
    Sessions sessions = Sessions.over(16, 3_000, 10, SyncConfig.DEFAULT.withMaxMessageBytes(200));
    SyncSession initiator = sessions.initiator();
    SyncSession responder = sessions.responder();
    SyncMessage.Round round2 =
        (SyncMessage.Round)
            only(initiator.receive(only(responder.receive(only(initiator.start())))));
    assertThat(round2.idle()).isFalse();

    StepResult step =
        initiator.receive(
            new SyncMessage.Round(
                16,
                3,
                true,
                true,
                List.of(new Part.Records(List.of(new SyncRecord(key("k"), new byte[] {1}))))));

    assertThat(step.state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(step.merge()).isEmpty();
    assertThat(initiator.summary().reason())
        .isEqualTo("peer ended the session (expected: not before this side is idle)");
  }

  @Test
  void sessionSaysWhatItWaitsFor() {
    Sessions sessions = Sessions.over(17, 1_000, 12, SyncConfig.DEFAULT);
    SyncSession initiator = sessions.initiator();
    SyncSession responder = sessions.responder();
    assertThat(initiator.awaitedSeq()).isEmpty();
    assertThat(responder.awaitedSeq()).hasValue(0);

    SyncMessage hello = only(initiator.start());
    assertThat(initiator.awaitedSeq()).hasValue(1);
    responder.receive(hello);
    assertThat(responder.awaitedSeq()).hasValue(2);
    assertThat(responder.id()).isEqualTo(17);

    StepResult timedOut = initiator.abort("timeout waiting for message 1");
    assertThat(initiator.awaitedSeq()).isEmpty();
    assertThat(only(timedOut))
        .isEqualTo(new SyncMessage.Abort(17, "timeout waiting for message 1"));
    assertThat(initiator.receive(hello).send()).isEmpty();
  }

  private static InMemoryKeyspace colliding() {
    return InMemoryKeyspace.withKeyHash((x, y) -> x.length >= y.length ? x : y, key -> 0x5eed);
  }

  @Test
  void keysSharingOneHashAreStillComparedOneByOne() {
    InMemoryKeyspace a = colliding();
    InMemoryKeyspace b = colliding();
    for (int i = 0; i < 200; i++) {
      a.merge(key("k" + i), new byte[i % 7 == 0 ? 2 : 1]);
      b.merge(key("k" + i), new byte[i % 5 == 0 ? 3 : 1]);
    }
    a.merge(key("only-a"), new byte[1]);
    b.merge(key("only-b"), new byte[1]);

    SessionDriver.Outcome outcome =
        SessionDriver.sync(a, b, 18, SyncConfig.DEFAULT.withMaxMessageBytes(4_000));

    assertThat(outcome.completed()).isTrue();
    assertThat(a.keyCount()).isEqualTo(202);
    assertThat(a.records()).isEqualTo(b.records());
  }

  @Test
  void moreKeysWithOneHashThanAMessageHoldsAbortsWithTheBound() {
    InMemoryKeyspace a = colliding();
    InMemoryKeyspace b = colliding();
    for (int i = 0; i < 400; i++) {
      a.merge(key("k" + i), new byte[1]);
      b.merge(key("k" + i), new byte[2]);
    }

    SessionDriver.Outcome outcome =
        SessionDriver.sync(a, b, 19, SyncConfig.DEFAULT.withMaxMessageBytes(1_000));

    assertThat(outcome.responder().state()).isEqualTo(SyncSession.State.ABORTED);
    assertThat(outcome.responder().reason())
        .isEqualTo(
            "segment 64/5eed holds more than 121 records with one key hash"
                + " (expected: at most 121, what fits in a message)");
    assertThat(outcome.initiator().reason())
        .startsWith("peer aborted: segment 64/5eed holds more than 121 records");
  }
}
