package dev.meld.antientropy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;

/**
 * Runs one sync session between two in-memory key spaces over a perfect in-process channel: every
 * message is encoded, delivered once and in order, and decoded by the receiver; every record a
 * step hands back is merged into that side's key space.
 */
final class SessionDriver {

  /** The two sides' summaries after the session. */
  record Outcome(SyncSummary initiator, SyncSummary responder) {
    long bytes() {
      return initiator.bytesSent() + responder.bytesSent();
    }

    int messages() {
      return initiator.messagesSent() + responder.messagesSent();
    }

    boolean completed() {
      return initiator.state() == SyncSession.State.COMPLETED
          && responder.state() == SyncSession.State.COMPLETED;
    }
  }

  private static final int MAX_MESSAGES = 1_000_000;

  private SessionDriver() {}

  static Outcome sync(InMemoryKeyspace a, InMemoryKeyspace b, long sessionId, SyncConfig config) {
    return sync(a, b, sessionId, config, config, (side, step) -> {});
  }

  /**
   * Runs a session; {@code between} is called after each delivered step with the receiving side
   * (0 = initiator, 1 = responder), e.g. to write concurrently.
   */
  static Outcome sync(
      InMemoryKeyspace a,
      InMemoryKeyspace b,
      long sessionId,
      SyncConfig configA,
      SyncConfig configB,
      BiConsumer<Integer, StepResult> between) {
    SyncCodec codec = new SyncCodec();
    SyncSession[] sessions = {
      SyncSession.initiate(sessionId, a, configA), SyncSession.respond(b, configB)
    };
    InMemoryKeyspace[] spaces = {a, b};
    Deque<Object[]> inFlight = new ArrayDeque<>();
    StepResult first = sessions[0].start();
    first.send().forEach(m -> inFlight.add(new Object[] {1, codec.encode(m)}));
    int delivered = 0;
    while (!inFlight.isEmpty()) {
      if (++delivered > MAX_MESSAGES) {
        throw new AssertionError("session did not end within " + MAX_MESSAGES + " messages");
      }
      Object[] next = inFlight.poll();
      int to = (Integer) next[0];
      StepResult step = sessions[to].receive((byte[]) next[1]);
      step.merge().forEach(r -> spaces[to].merge(r.key(), r.state()));
      step.send().forEach(m -> inFlight.add(new Object[] {1 - to, codec.encode(m)}));
      between.accept(to, step);
    }
    return new Outcome(sessions[0].summary(), sessions[1].summary());
  }
}
