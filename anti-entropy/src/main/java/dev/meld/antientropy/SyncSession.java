package dev.meld.antientropy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * One anti-entropy session between two replicas, as a sans-IO state machine: messages in, messages
 * to send and records to merge out. It reads its own replica through a {@link KeyspaceView} and
 * never writes to it; it owns no threads, sockets or clocks (a timeout is the caller's business:
 * {@link #awaitedSeq()} says what the session waits for, {@link #abort(String)} ends it).
 *
 * <p>Usage: the initiator calls {@link #initiate} and {@link #start()}, the responder {@link
 * #respond} and then both feed every message they receive to {@link #receive}, send what each
 * {@link StepResult} says to send, and merge what it says to merge, until the session is {@link
 * State#COMPLETED} or {@link State#ABORTED}.
 *
 * <p>Messages with a session id other than this session's, out of turn (a stale duplicate or a
 * skipped round), of the wrong kind for the session's state, or asking about segments this side
 * never offered abort the session with a message saying what was expected; so does a frame that
 * fails to decode. An aborted step hands back no records, so a bad message changes nothing; records
 * merged in earlier steps stay merged (merging is monotone) and the next session repairs the rest.
 * Content may change while a session runs; what a session misses, the next one finds.
 */
public final class SyncSession {

  /** Where a session stands. */
  public enum State {
    /** Created, no message sent or received yet. */
    NEW,
    /** Waiting for the peer's next message. */
    RUNNING,
    /** Both sides have everything the other had when they compared. */
    COMPLETED,
    /** Ended early; see {@link SyncSummary#reason()}. */
    ABORTED
  }

  /*
   * The protocol, as one side sees it.
   *
   * The initiator's Hello carries its key count, the sum of its key hashes, the comparison
   * parameters and its full 128-bit root digest. If the roots match, the responder answers with an
   * empty last round: two messages, about 60 bytes, whatever the key count. If the totals show
   * exactly one key more on one side, and the differences of the sums name one record that side
   * holds (key hash and record digest), that record is the whole difference: it is shipped at
   * once (a Probe asks the initiator to confirm and ship its own). Otherwise both sides descend
   * the tree together; each round answers every part of the round before it and may ask new
   * questions.
   *
   *   Digests(s)  "my child digests of segment s" (salted, truncated to digestBytes)
   *       -> for each child c where they differ: if the peer holds nothing in c, ship all of c;
   *          if c is expected to hold few keys (or most siblings differ, so the differences are
   *          dense), answer Entries(c); otherwise answer Digests(c) one level down.
   *   Entries(c)  "the fingerprints of everything I hold in c"
   *       -> ship my records in c whose fingerprint is not listed; Request(c) those listed that I
   *          lack.
   *   Request(c)  -> ship the records asked for (resolved against the keys as listed).
   *   Records     -> handed to the caller to merge.
   *
   * A round says whether its sender is idle (nothing more queued). A side that is idle, knows its
   * peer is idle, and sends only records (or nothing) marks the round last: the receiver merges
   * it and both are done. Worked example (measured), 1,000,000 keys, one key whose content
   * differs on the two sides, bytes per message in brackets:
   *
   *   I -> R  Hello [44]                       R: roots differ, counts equal: descend
   *   R -> I  Digests 0->4 bits, 16 [87]       I: one child differs, ~62,500 keys: descend
   *   I -> R  Digests 4->8 [87]                (and so on, one level per message)
   *   R -> I  Digests 8->12 [88]
   *   I -> R  Digests 12->16 [88]
   *   R -> I  Digests 16->20 [89]              I: child 20/b6624 differs, ~1 key: list it
   *   I -> R  Entries 20/b6624, 1 [32]         R: its record differs: ship it, request mine
   *   R -> I  Request 1 + Records 1 [152]      I: ship mine; idle, R idle: last
   *   I -> R  Records 1, last [137]            9 messages, 804 bytes; the records are 232.
   *
   * Cost is (differing keys) x (depth) x (fan-out x digest width), plus the records themselves,
   * and no step reads more than one segment of either store.
   */

  private final boolean initiator;
  private final KeyspaceView view;
  private final SyncConfig config;
  private final SyncCodec codec = new SyncCodec();
  private long id;
  private State state = State.NEW;
  private String reason;
  private LocalSide local;
  private Outbox outbox;
  private Reconciler reconciler;
  private int messageBound;
  private int lastSeq;
  private boolean peerIdle;
  private int messagesSent;
  private int messagesReceived;
  private long bytesSent;
  private long bytesReceived;
  private int recordsReceived;

  private SyncSession(boolean initiator, long id, KeyspaceView view, SyncConfig config) {
    this.initiator = initiator;
    this.id = id;
    this.view = view;
    this.config = config;
  }

  /** A session this side opens; call {@link #start()} to get its Hello. */
  public static SyncSession initiate(long sessionId, KeyspaceView view, SyncConfig config) {
    return new SyncSession(true, sessionId, view, config);
  }

  /** A session that answers a peer's Hello (its first message). */
  public static SyncSession respond(KeyspaceView view, SyncConfig config) {
    return new SyncSession(false, 0, view, config);
  }

  /** Opens the session: returns the Hello to send. */
  public StepResult start() {
    if (!initiator || state != State.NEW) {
      throw new IllegalStateException(
          "start() is for a new initiating session (this one is "
              + (initiator ? "initiating" : "responding")
              + " and "
              + state
              + ")");
    }
    setUp(config.fanoutBits(), config.digestBytes(), config.fingerprintBytes());
    state = State.RUNNING;
    reconciler.initiated();
    SyncMessage hello =
        new SyncMessage.Hello(
            id,
            local.keyCount(),
            local.keyHashSum(),
            config.fanoutBits(),
            config.digestBytes(),
            config.fingerprintBytes(),
            local.root());
    return sent(hello, List.of(), 0);
  }

  /** Feeds one encoded message from the peer; a frame that fails to decode aborts the session. */
  public StepResult receive(byte[] frame) {
    if (finished()) {
      return ignored();
    }
    SyncMessage message;
    try {
      message = codec.decode(frame);
    } catch (SyncProtocolException e) {
      messagesReceived++;
      bytesReceived += frame.length;
      return abort("malformed message: " + e.getMessage());
    }
    return receive(message);
  }

  /** Feeds one message from the peer. Messages arriving after the session ended are ignored. */
  public StepResult receive(SyncMessage message) {
    if (finished()) {
      return ignored();
    }
    if (initiator && state == State.NEW) {
      throw new IllegalStateException("call start() before receive()");
    }
    messagesReceived++;
    bytesReceived += SyncCodec.encodedSize(message);
    if (!initiator && state == State.NEW) {
      id = message.sessionId();
    }
    try {
      if (message.sessionId() != id) {
        throw new SyncProtocolException(
            "session id: "
                + Long.toHexString(message.sessionId())
                + " (expected: "
                + Long.toHexString(id)
                + ")");
      }
      if (message instanceof SyncMessage.Abort abort) {
        state = State.ABORTED;
        reason = "peer aborted: " + abort.reason();
        return step(List.of(), List.of(), 0);
      }
      if (message instanceof SyncMessage.Hello hello) {
        return onHello(hello);
      }
      return onRound((SyncMessage.Round) message);
    } catch (SyncProtocolException e) {
      return abort(e.getMessage());
    }
  }

  /**
   * Ends the session now (for example on a timeout), telling the peer why. Records already merged
   * stay merged. Does nothing if the session has already ended.
   */
  public StepResult abort(String why) {
    if (finished()) {
      return ignored();
    }
    state = State.ABORTED;
    reason = why;
    return sent(new SyncMessage.Abort(id, why), List.of(), 0);
  }

  private StepResult onHello(SyncMessage.Hello hello) throws SyncProtocolException {
    if (initiator || state != State.NEW) {
      throw new SyncProtocolException("unexpected Hello (expected: round " + (lastSeq + 1) + ")");
    }
    setUp(hello.fanoutBits(), hello.digestBytes(), hello.fingerprintBytes());
    state = State.RUNNING;
    peerIdle = true;
    reconciler.compareRoots(hello);
    return reply(List.of());
  }

  private StepResult onRound(SyncMessage.Round round) throws SyncProtocolException {
    if (state == State.NEW) {
      throw new SyncProtocolException("unexpected round " + round.seq() + " (expected: Hello)");
    }
    int expected = lastSeq + 1;
    if (round.seq() != expected) {
      throw new SyncProtocolException(
          (round.seq() < expected ? "stale" : "out-of-turn")
              + " round: seq "
              + round.seq()
              + " (expected: "
              + expected
              + ")");
    }
    lastSeq = round.seq();
    List<SyncRecord> merge = new ArrayList<>();
    for (Part part : round.parts()) {
      reconciler.handle(part, merge, round.seq() == 1);
    }
    peerIdle = round.idle();
    if (round.last()) {
      if (!outbox.isEmpty()) {
        throw new SyncProtocolException(
            "peer ended the session (expected: not before this side is idle)");
      }
      state = State.COMPLETED;
      return step(List.of(), merge, 0);
    }
    return reply(merge);
  }

  private StepResult reply(List<SyncRecord> merge) {
    int requestedBefore = outbox.fingerprintsRequested();
    List<Part> parts;
    try {
      parts = outbox.pack();
    } catch (SyncProtocolException e) {
      return abort(e.getMessage());
    }
    boolean idle = outbox.isEmpty();
    boolean asks = parts.stream().anyMatch(p -> !(p instanceof Part.Records));
    boolean last = idle && peerIdle && !asks;
    SyncMessage.Round round = new SyncMessage.Round(id, ++lastSeq, idle, last, parts);
    if (last) {
      state = State.COMPLETED;
    }
    return sent(round, merge, outbox.fingerprintsRequested() - requestedBefore);
  }

  private StepResult sent(SyncMessage message, List<SyncRecord> merge, int requested) {
    int size = SyncCodec.encodedSize(message);
    if (size > messageBound && !(message instanceof SyncMessage.Abort)) {
      throw new IllegalStateException(
          "packed a " + size + "-byte message (expected: <= " + messageBound + ")");
    }
    messagesSent++;
    bytesSent += size;
    return step(List.of(message), merge, requested);
  }

  /** A step's result; the records handed to the caller count as received. */
  private StepResult step(List<SyncMessage> send, List<SyncRecord> merge, int requested) {
    recordsReceived += merge.size();
    return new StepResult(send, merge, requested, summary());
  }

  private void setUp(int fanout, int digestWidth, int fingerprintWidth) {
    local = new LocalSide(view, new Fingerprinter(id), id);
    messageBound =
        Math.max(config.maxMessageBytes(), SyncConfig.minMessageBytes(fanout, digestWidth));
    outbox = new Outbox(local, fanout, digestWidth, fingerprintWidth, messageBound);
    reconciler = new Reconciler(local, outbox, fanout, digestWidth, fingerprintWidth);
  }

  private boolean finished() {
    return state == State.COMPLETED || state == State.ABORTED;
  }

  private StepResult ignored() {
    return step(List.of(), List.of(), 0);
  }

  /** This session's id (a responder learns it from the Hello). */
  public long id() {
    return id;
  }

  public State state() {
    return state;
  }

  /**
   * The sequence number of the message this session waits for: 0 for a responder's Hello, empty
   * when it waits for nothing (not started, or ended). A caller that sees no progress for its
   * timeout calls {@link #abort(String)}.
   */
  public OptionalInt awaitedSeq() {
    if (finished() || (initiator && state == State.NEW)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(state == State.NEW ? 0 : lastSeq + 1);
  }

  /** Counters so far (final once the session has ended). */
  public SyncSummary summary() {
    return new SyncSummary(
        id,
        state,
        reason,
        messagesSent,
        messagesReceived,
        bytesSent,
        bytesReceived,
        outbox == null ? 0 : outbox.recordsSent(),
        recordsReceived,
        outbox == null ? 0 : outbox.recordsSkipped(),
        outbox == null ? 0 : outbox.fingerprintsRequested());
  }
}
