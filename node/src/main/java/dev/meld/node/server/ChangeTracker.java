package dev.meld.node.server;

import dev.meld.antientropy.Part;
import dev.meld.antientropy.SyncMessage;
import dev.meld.antientropy.SyncRecord;
import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerMessage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells change listeners which client keys changed, whether by a local write, a replication batch or
 * an anti-entropy repair. Used on the replica thread; listeners run on their own executors, never
 * on the replica thread.
 *
 * <p>The replica does not report what a unit of work changed, so the tracker asks the store: before
 * a group of commands or a peer message it reads the stored record of every key the work may touch
 * (the keys of write commands, of replication entries, of shipped anti-entropy records), and after
 * it reads them again. A key whose stored bytes differ has changed; a merge that changed nothing is
 * not reported. It costs two store reads per touched key, and only while someone listens.
 */
final class ChangeTracker {

  private static final Logger log = LoggerFactory.getLogger(ChangeTracker.class);

  /** Keys the node keeps for its own records start with this; they are never reported. */
  private static final byte[] RESERVED_PREFIX = {0, 'm', 'e', 'l', 'd', ':'};

  private record Subscription(Consumer<Bytes> listener, Executor executor) {}

  private final Function<byte[], Optional<byte[]>> reader;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final Map<Bytes, byte[]> before = new LinkedHashMap<>();

  /** {@code reader} reads a record's stored bytes (the store's {@code get}). */
  ChangeTracker(Function<byte[], Optional<byte[]>> reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * Calls {@code listener} on {@code executor} with every key that changes from now on, until the
   * returned handle is closed. Thread-safe.
   */
  AutoCloseable subscribe(Consumer<Bytes> listener, Executor executor) {
    Subscription s =
        new Subscription(
            Objects.requireNonNull(listener, "listener"),
            Objects.requireNonNull(executor, "executor"));
    subscriptions.add(s);
    return () -> subscriptions.remove(s);
  }

  /** Whether anyone listens; when not, the replica thread skips the tracking. */
  boolean active() {
    return !subscriptions.isEmpty();
  }

  /** Notes the keys {@code commands} may write, before they run. */
  void beforeCommands(List<Command> commands) {
    for (Command c : commands) {
      Bytes key = writtenKey(c);
      if (key != null) {
        note(key);
      }
    }
  }

  /** Notes the keys {@code message} may change, before it is received. */
  void beforeMessage(PeerMessage message) {
    if (message instanceof PeerMessage.ReplicateBatch batch) {
      for (PeerMessage.Entry e : batch.entries()) {
        note(e.key());
      }
    } else if (message instanceof PeerMessage.SyncEnvelope envelope
        && envelope.message() instanceof SyncMessage.Round round) {
      for (Part part : round.parts()) {
        if (part instanceof Part.Records records) {
          for (SyncRecord r : records.records()) {
            note(Bytes.of(r.key()));
          }
        }
      }
    }
  }

  /** Compares the noted keys with the store and tells the listeners about those that changed. */
  void publish() {
    if (before.isEmpty()) {
      return;
    }
    for (Map.Entry<Bytes, byte[]> e : before.entrySet()) {
      byte[] now = reader.apply(e.getKey().toByteArray()).orElse(null);
      if (!Arrays.equals(e.getValue(), now)) {
        notifyAll(e.getKey());
      }
    }
    before.clear();
  }

  private void note(Bytes key) {
    if (!before.containsKey(key) && !reserved(key)) {
      before.put(key, reader.apply(key.toByteArray()).orElse(null));
    }
  }

  private void notifyAll(Bytes key) {
    for (Subscription s : subscriptions) {
      try {
        s.executor.execute(() -> s.listener.accept(key));
      } catch (RuntimeException e) { // a rejecting executor must not stop the replica thread
        log.warn("change listener executor refused a notification for key {}", key, e);
      }
    }
  }

  private static boolean reserved(Bytes key) {
    if (key.length() < RESERVED_PREFIX.length) {
      return false;
    }
    for (int i = 0; i < RESERVED_PREFIX.length; i++) {
      if (key.byteAt(i) != RESERVED_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /** The key a write command writes, or null for a read. */
  static Bytes writtenKey(Command c) {
    return c instanceof Command.Write w ? w.key() : null;
  }
}
