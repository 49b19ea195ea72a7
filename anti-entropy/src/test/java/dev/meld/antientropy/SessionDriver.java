package dev.meld.antientropy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Drives the two state machines of one sync session between two in-memory key spaces, as a node
 * would: every message is encoded, carried by a {@link Channel}, decoded by the receiving session,
 * and every record a step hands back is merged into that side's key space. When nothing is in
 * flight and a session still waits, the driver plays the caller's timeout and aborts both.
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

  /** A frame in flight to side {@code to} (0 = initiator, 1 = responder). */
  record Frame(int to, byte[] bytes) {}

  /** Carries frames between the sides. */
  interface Channel {
    void offer(Frame frame);

    /** The next frame to deliver, or null if none is in flight. */
    Frame poll();
  }

  /** Delivers every frame once, in order. */
  static final class Perfect implements Channel {
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();

    @Override
    public void offer(Frame frame) {
      queue.add(frame);
    }

    @Override
    public Frame poll() {
      return queue.poll();
    }
  }

  /** Drops, duplicates and reorders frames at random. */
  static final class Faulty implements Channel {
    private final List<Frame> inFlight = new ArrayList<>();
    private final SplittableRandom random;
    private final double drop;
    private final double duplicate;

    Faulty(SplittableRandom random, double drop, double duplicate) {
      this.random = random;
      this.drop = drop;
      this.duplicate = duplicate;
    }

    @Override
    public void offer(Frame frame) {
      if (random.nextDouble() >= drop) {
        inFlight.add(frame);
      }
      if (random.nextDouble() < duplicate) {
        inFlight.add(frame);
      }
    }

    @Override
    public Frame poll() {
      return inFlight.isEmpty() ? null : inFlight.remove(random.nextInt(inFlight.size()));
    }
  }

  private static final int MAX_DELIVERIES = 1_000_000;

  private SessionDriver() {}

  static Outcome sync(InMemoryKeyspace a, InMemoryKeyspace b, long sessionId, SyncConfig config) {
    return sync(a, b, sessionId, config, config, new Perfect(), (side, step) -> {});
  }

  /**
   * Runs a session over {@code channel}; {@code afterStep} sees each step with the side that took
   * it (0 = initiator, 1 = responder), after its records were merged.
   */
  static Outcome sync(
      InMemoryKeyspace a,
      InMemoryKeyspace b,
      long sessionId,
      SyncConfig configA,
      SyncConfig configB,
      Channel channel,
      BiConsumer<Integer, StepResult> afterStep) {
    SyncCodec codec = new SyncCodec();
    SyncSession[] sessions = {
      SyncSession.initiate(sessionId, a, configA), SyncSession.respond(b, configB)
    };
    InMemoryKeyspace[] spaces = {a, b};
    StepResult first = sessions[0].start();
    first.send().forEach(m -> channel.offer(new Frame(1, codec.encode(m))));
    afterStep.accept(0, first);
    for (int delivered = 0; ; delivered++) {
      if (delivered > MAX_DELIVERIES) {
        throw new AssertionError("session did not end within " + MAX_DELIVERIES + " deliveries");
      }
      Frame next = channel.poll();
      if (next == null) {
        if (timeOut(sessions, channel, codec)) {
          continue;
        }
        break;
      }
      int to = next.to();
      StepResult step = sessions[to].receive(next.bytes());
      step.merge().forEach(r -> spaces[to].merge(r.key(), r.state()));
      step.send().forEach(m -> channel.offer(new Frame(1 - to, codec.encode(m))));
      afterStep.accept(to, step);
    }
    return new Outcome(sessions[0].summary(), sessions[1].summary());
  }

  /** The caller's timeout: aborts every session still waiting; returns whether it sent anything. */
  private static boolean timeOut(SyncSession[] sessions, Channel channel, SyncCodec codec) {
    boolean sent = false;
    for (int side = 0; side < 2; side++) {
      if (sessions[side].awaitedSeq().isPresent()) {
        int to = 1 - side;
        sessions[side]
            .abort("timeout waiting for message " + sessions[side].awaitedSeq().getAsInt())
            .send()
            .forEach(m -> channel.offer(new Frame(to, codec.encode(m))));
        sent = true;
      }
    }
    return sent;
  }
}
