package dev.meld.node.sim;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The simulated mesh: point-to-point frames between named nodes, each delayed, possibly lost or
 * duplicated per the {@link NetworkProfile}, and dropped on any link the current {@link Grudge}
 * cuts. A frame is dropped if its link is cut when it is sent or when it would arrive (a partition
 * also swallows what was in flight, as Jepsen's iptables rules do).
 *
 * <p>The network carries bytes, not objects: senders encode with the real codec, so the codec runs
 * on every message.
 */
final class SimNetwork {

  /** Where frames arrive. */
  interface Receiver {
    /**
     * A frame arrives at {@code to}.
     *
     * @param tag what the sender attached (the simulator stamps the receiver's process epoch, so a
     *     frame sent to a process that has since crashed is not delivered to its successor)
     */
    void deliver(String from, String to, byte[] frame, long tag);
  }

  private final EventQueue queue;
  private final RandomGenerator random;
  private final Trace trace;
  private final Receiver receiver;
  private NetworkProfile profile;
  private Grudge grudge = Grudge.none();
  private long sent;
  private long delivered;
  private long dropped;
  private long duplicated;

  SimNetwork(
      EventQueue queue,
      RandomGenerator random,
      NetworkProfile profile,
      Trace trace,
      Receiver receiver) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.random = Objects.requireNonNull(random, "random");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.trace = Objects.requireNonNull(trace, "trace");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
  }

  Grudge grudge() {
    return grudge;
  }

  void setGrudge(Grudge grudge) {
    this.grudge = Objects.requireNonNull(grudge, "grudge");
  }

  NetworkProfile profile() {
    return profile;
  }

  void setProfile(NetworkProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  /** Sends {@code frame} from {@code from} to {@code to}; it arrives later, twice, or never. */
  void send(String from, String to, byte[] frame, long tag) {
    sent++;
    long hash = Trace.hash(frame);
    String link = from + ">" + to;
    if (grudge.blocks(from, to)) {
      drop(link, hash, "partitioned");
      return;
    }
    if (random.nextDouble() < profile.dropRate()) {
      drop(link, hash, "lost");
      return;
    }
    schedule(from, to, frame, tag, link, hash);
    if (random.nextDouble() < profile.duplicateRate()) {
      duplicated++;
      trace.event(queue.now(), "duplicate", link, hash, () -> frame.length + " bytes");
      schedule(from, to, frame, tag, link, hash);
    }
  }

  private void schedule(String from, String to, byte[] frame, long tag, String link, long hash) {
    long delay =
        profile.minDelayMillis()
            + random.nextLong(profile.maxDelayMillis() - profile.minDelayMillis() + 1);
    queue.after(
        delay,
        () -> {
          if (grudge.blocks(from, to)) {
            drop(link, hash, "partitioned in flight");
            return;
          }
          delivered++;
          receiver.deliver(from, to, frame, tag);
        });
  }

  private void drop(String link, long hash, String why) {
    dropped++;
    trace.event(queue.now(), "drop", link, hash, () -> why);
  }

  long sent() {
    return sent;
  }

  long delivered() {
    return delivered;
  }

  long dropped() {
    return dropped;
  }

  long duplicated() {
    return duplicated;
  }
}
