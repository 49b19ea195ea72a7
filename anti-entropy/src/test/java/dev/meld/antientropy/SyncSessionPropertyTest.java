package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Laws of the sync session: what one session repairs, under any content, channel and config. */
class SyncSessionPropertyTest {

  private static final int KEYS = Props.scale(300, 2000);

  /** One generated case: content, each side's configuration, a session id. */
  record Case(Scenario scenario, SyncConfig initiator, SyncConfig responder, long id) {}

  /** Content over a channel dropping and duplicating that share of messages. */
  record Lossy(Seeded content, int dropPercent, int duplicatePercent) {}

  /** Content, and which message of the session (0 = the Hello) arrives malformed. */
  record Tampered(Seeded content, int message) {}

  /** Content and a seed for everything else random in the example. */
  record Seeded(Scenario scenario, long seed) {
    static Gen<Seeded> upTo(int keys) {
      return Scenario.upTo(keys).zip(longs().all(), Seeded::new);
    }
  }

  /** A configuration with any fan-out and a message bound from the smallest allowed to 64 KiB. */
  private static Gen<SyncConfig> configs() {
    return integers()
        .between(1, 8)
        .zip(
            integers().between(0, 100),
            (fanout, size) -> {
              int least = SyncConfig.minMessageBytes(fanout, SyncConfig.DEFAULT.digestBytes());
              return SyncConfig.DEFAULT
                  .withFanoutBits(fanout)
                  .withMaxMessageBytes(least + size * size * 6);
            });
  }

  /**
   * Law: for any two key spaces (0 to all keys differing, one-sided keys, same key with different
   * content), any fan-out on either side and any message bound, one session ends with both sides
   * holding the merge of both, no message exceeds its sender's bound, and a second session
   * exchanges only the roots.
   */
  @Test
  void oneSessionRepairsBothSidesAndASecondExchangesOnlyRoots() {
    Props.forAll(
        Scenario.upTo(KEYS).zip(configs(), configs(), longs().all(), Case::new),
        input -> {
          SyncConfig ca = input.initiator();
          SyncConfig cb = input.responder();
          Scenario.Pair pair = input.scenario().build();
          long id = input.id();
          SessionDriver.Outcome first =
              SessionDriver.sync(
                  pair.a(), pair.b(), id, ca, cb, new SessionDriver.Perfect(), (side, step) -> {});
          assertThat(first.completed()).as("first session %s", first).isTrue();
          assertThat(pair.a().records()).isEqualTo(pair.expected());
          assertThat(pair.b().records()).isEqualTo(pair.expected());
          SessionDriver.Outcome second =
              SessionDriver.sync(
                  pair.b(),
                  pair.a(),
                  id + 1,
                  cb,
                  ca,
                  new SessionDriver.Perfect(),
                  (side, step) -> {});
          assertThat(second.messages()).as("second session %s", second).isEqualTo(2);
          assertThat(second.initiator().recordsSent() + second.responder().recordsSent()).isZero();
        });
  }

  /**
   * Law: over a channel that drops (up to 20%), duplicates (up to 10%) and reorders messages, with
   * the caller timing out stalled sessions and starting new ones (alternating who initiates), the
   * replicas converge to the merge of both within 200 sessions.
   */
  @Test
  void convergesOverALossyDuplicatingReorderingChannel() {
    Props.forAll(
        Props.EXAMPLES / 4,
        Seeded.upTo(KEYS).zip(integers().between(0, 20), integers().between(0, 10), Lossy::new),
        input -> {
          Scenario.Pair pair = input.content().scenario().build();
          SplittableRandom random = new SplittableRandom(input.content().seed());
          int sessions = 0;
          while (!(pair.a().records().equals(pair.expected())
              && pair.b().records().equals(pair.expected()))) {
            assertThat(++sessions).as("sessions until converged").isLessThanOrEqualTo(200);
            boolean aStarts = sessions % 2 == 0;
            SessionDriver.sync(
                aStarts ? pair.a() : pair.b(),
                aStarts ? pair.b() : pair.a(),
                random.nextLong(),
                SyncConfig.DEFAULT,
                SyncConfig.DEFAULT,
                new SessionDriver.Faulty(
                    random, input.dropPercent() / 100.0, input.duplicatePercent() / 100.0),
                (side, step) -> {});
          }
        });
  }

  /**
   * Law: a session over content that changes while it runs (writes on both sides between any two
   * steps, to keys in and out of the differing set) still completes, and the next session, with no
   * writes, brings both sides to the merge of everything ever written.
   */
  @Test
  void sessionOverChangingContentCompletesAndTheNextFindsWhatItMissed() {
    Props.forAll(
        Props.EXAMPLES / 2,
        Seeded.upTo(KEYS),
        input -> {
          Scenario.Pair pair = input.scenario().build();
          SplittableRandom random = new SplittableRandom(input.seed());
          InMemoryKeyspace everything = new InMemoryKeyspace(ByteSetLattice::merge);
          pair.expected().forEach(r -> everything.merge(r.key(), r.state()));
          InMemoryKeyspace[] sides = {pair.a(), pair.b()};
          SessionDriver.Outcome during =
              SessionDriver.sync(
                  pair.a(),
                  pair.b(),
                  random.nextLong(),
                  SyncConfig.DEFAULT,
                  SyncConfig.DEFAULT,
                  new SessionDriver.Perfect(),
                  (side, step) -> {
                    for (int w = random.nextInt(3); w > 0; w--) {
                      byte[] key = {(byte) random.nextInt(8)};
                      byte[] state = ByteSetLattice.random(random, 3);
                      sides[random.nextInt(2)].merge(key, state);
                      everything.merge(key, state);
                    }
                  });
          assertThat(during.completed()).as("session during writes %s", during).isTrue();
          SessionDriver.Outcome after =
              SessionDriver.sync(pair.b(), pair.a(), random.nextLong(), SyncConfig.DEFAULT);
          assertThat(after.completed()).isTrue();
          assertThat(pair.a().records()).isEqualTo(everything.records());
          assertThat(pair.b().records()).isEqualTo(everything.records());
        });
  }

  /**
   * Law: even with 1-byte digests and fingerprints, where every session misses some differences
   * behind collisions, repeated sessions converge, because each session salts its truncation
   * differently. (Unsalted truncation would hide the same collision forever.)
   */
  @Test
  void narrowDigestsConvergeBecauseEachSessionSaltsDifferently() {
    Props.forAll(
        Props.EXAMPLES / 4,
        Seeded.upTo(KEYS),
        input -> {
          Scenario.Pair pair = input.scenario().build();
          SplittableRandom random = new SplittableRandom(input.seed());
          SyncConfig narrow = SyncConfig.DEFAULT.withWidths(1, 1);
          for (int sessions = 1; !pair.a().records().equals(pair.b().records()); sessions++) {
            assertThat(sessions).as("sessions until converged").isLessThanOrEqualTo(30);
            assertThat(
                    SessionDriver.sync(pair.a(), pair.b(), random.nextLong(), narrow).completed())
                .isTrue();
          }
          assertThat(pair.a().records()).isEqualTo(pair.expected());
        });
  }

  /**
   * Replaces the {@code target}-th frame it carries with a corrupted one, and snapshots both sides
   * then.
   */
  private static final class Tampering implements SessionDriver.Channel {
    private final SessionDriver.Perfect inner = new SessionDriver.Perfect();
    private final SplittableRandom random;
    private final int target;
    private final InMemoryKeyspace[] sides;
    private int carried;
    int tamperedTo = -1;
    List<List<SyncRecord>> snapshot;

    Tampering(SplittableRandom random, int target, InMemoryKeyspace a, InMemoryKeyspace b) {
      this.random = random;
      this.target = target;
      this.sides = new InMemoryKeyspace[] {a, b};
    }

    @Override
    public void offer(SessionDriver.Frame frame) {
      if (carried++ != target) {
        inner.offer(frame);
        return;
      }
      byte[] bytes = frame.bytes();
      byte[] bad;
      switch (random.nextInt(3)) {
        case 0:
          bad = Arrays.copyOf(bytes, random.nextInt(bytes.length));
          break;
        case 1:
          bad = bytes.clone();
          int bit = random.nextInt(bad.length * 8);
          bad[bit / 8] ^= (byte) (1 << (bit % 8));
          break;
        default:
          bad = Messages.bytes(random, random.nextInt(64));
      }
      inner.offer(new SessionDriver.Frame(frame.to(), bad));
      tamperedTo = frame.to();
    }

    @Override
    public SessionDriver.Frame poll() {
      SessionDriver.Frame next = inner.poll();
      if (next != null && carried > target && snapshot == null) {
        snapshot = List.of(sides[0].records(), sides[1].records());
      }
      return next;
    }
  }

  /**
   * Law: a malformed message (truncated, bit-flipped, or garbage) at any point of a session aborts
   * the session on both sides, the receiver with an error naming what was wrong, and neither key
   * space changes from the moment the bad message arrives.
   */
  @Test
  void malformedMessageAbortsTheSessionAndChangesNeitherSide() {
    Props.forAll(
        Props.EXAMPLES / 2,
        Seeded.upTo(KEYS).zip(integers().between(0, 5), Tampered::new),
        input -> {
          Scenario.Pair pair = input.content().scenario().build();
          SplittableRandom random = new SplittableRandom(input.content().seed());
          Tampering channel = new Tampering(random, input.message(), pair.a(), pair.b());
          SessionDriver.Outcome outcome =
              SessionDriver.sync(
                  pair.a(),
                  pair.b(),
                  random.nextLong(),
                  SyncConfig.DEFAULT,
                  SyncConfig.DEFAULT,
                  channel,
                  (side, step) -> {});
          if (channel.tamperedTo < 0) {
            assertThat(outcome.completed()).isTrue();
            return;
          }
          SyncSummary receiver =
              channel.tamperedTo == 0 ? outcome.initiator() : outcome.responder();
          assertThat(receiver.state()).isEqualTo(SyncSession.State.ABORTED);
          assertThat(receiver.reason()).startsWith("malformed message: ");
          SyncSummary sender = channel.tamperedTo == 0 ? outcome.responder() : outcome.initiator();
          assertThat(sender.state()).isIn(SyncSession.State.ABORTED, SyncSession.State.COMPLETED);
          assertThat(List.of(pair.a().records(), pair.b().records())).isEqualTo(channel.snapshot);
        });
  }
}
