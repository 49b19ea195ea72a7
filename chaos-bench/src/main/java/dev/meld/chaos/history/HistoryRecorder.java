package dev.meld.chaos.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Records a history as it happens: assigns each op the next index and the nanoseconds since the
 * recorder started, and appends it as one JSON line, flushed before the call returns, so a run that
 * crashes leaves every op recorded so far on disk. Safe for use by many client threads.
 *
 * <pre>{@code
 * try (HistoryRecorder rec = HistoryRecorder.create(Path.of("history.jsonl"))) {
 *   Op inv = rec.invoke(3, "add", 7);
 *   rec.complete(inv, OpType.OK, 7);          // or INFO on a timeout, never OK or FAIL
 *   rec.nemesis("start-partition", grudge);   // a lone info op of process "nemesis"
 *   History h = rec.history();
 * }
 * }</pre>
 */
public final class HistoryRecorder implements Closeable {

  private final Object lock = new Object();
  private final Writer out;
  private final LongSupplier nanoTime;
  private final long start;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Object, Op> open = new HashMap<>();
  private long lastTime;
  private boolean closed;

  /**
   * A recorder writing to {@code out}, with time read from {@code nanoTime} (such as {@code
   * System::nanoTime}, or a manual clock in tests) and counted from the first reading.
   */
  public HistoryRecorder(Writer out, LongSupplier nanoTime) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /** A recorder that creates (or truncates) {@code file} and uses {@link System#nanoTime()}. */
  public static HistoryRecorder create(Path file) throws IOException {
    BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    return new HistoryRecorder(writer, System::nanoTime);
  }

  /** Records the invocation of {@code f} by client {@code process}. */
  public Op invoke(long process, String f, Object value) {
    return record(OpType.INVOKE, process, f, value, Map.of());
  }

  /**
   * Records the completion of an invocation, with the same process and f.
   *
   * @throws IllegalArgumentException if {@code type} is {@code INVOKE} or {@code invocation} is not
   *     an invocation
   */
  public Op complete(Op invocation, OpType type, Object value) {
    return complete(invocation, type, value, Map.of());
  }

  /** Like {@link #complete(Op, OpType, Object)}, with extra keys (an {@code error}, say). */
  public Op complete(Op invocation, OpType type, Object value, Map<String, Object> extras) {
    if (!invocation.isInvoke()) {
      throw new IllegalArgumentException(
          "invocation: " + invocation + " (expected: an op of type invoke)");
    }
    if (type == OpType.INVOKE) {
      throw new IllegalArgumentException("type: invoke (expected: ok, fail or info)");
    }
    synchronized (lock) {
      if (!invocation.equals(open.get(invocation.process()))) {
        throw new IllegalArgumentException(
            "invocation: op "
                + invocation.index()
                + " (expected: the open invocation of process "
                + Values.render(invocation.process())
                + ")");
      }
      return record(type, invocation.process(), invocation.f(), value, extras);
    }
  }

  /** Records a lone {@code info} op of the nemesis, such as the start or end of a fault. */
  public Op nemesis(String f, Object value) {
    return record(OpType.INFO, Op.NEMESIS, f, value, Map.of());
  }

  /**
   * Records any op; index and time are assigned here, under a lock, so they increase together.
   *
   * @throws IllegalArgumentException if the op would not pair up as {@link History} requires;
   *     nothing is recorded then
   * @throws IllegalStateException if the recorder is closed
   * @throws UncheckedIOException if the line cannot be written
   */
  public Op record(
      OpType type, Object process, String f, Object value, Map<String, Object> extras) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("history recorder is closed");
      }
      // A clock that steps back (a buggy or virtual one) must not make time run backwards.
      long time = Math.max(lastTime, nanoTime.getAsLong() - start);
      Op op = new Op(ops.size(), time, type, process, f, value, extras);
      Op pending = open.get(op.process());
      if (op.isInvoke() && pending != null) {
        throw new IllegalArgumentException(
            "process "
                + Values.render(op.process())
                + ": invoke while op "
                + pending.index()
                + " is open (expected: one at a time)");
      }
      if (!op.isInvoke() && pending == null && op.isClient()) {
        throw new IllegalArgumentException(
            "process "
                + op.process()
                + ": completion with no open invocation (expected: an invoke first)");
      }
      if (!op.isInvoke() && pending != null && !pending.f().equals(f)) {
        throw new IllegalArgumentException(
            "f: \""
                + f
                + "\" (expected: \""
                + pending.f()
                + "\", the f of open op "
                + pending.index()
                + ")");
      }
      try {
        out.write(op.toJsonLine());
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append op " + op.index() + " to the history", e);
      }
      lastTime = time;
      ops.add(op);
      if (op.isInvoke()) {
        open.put(op.process(), op);
      } else {
        open.remove(op.process());
      }
      return op;
    }
  }

  /** Everything recorded so far. */
  public History history() {
    synchronized (lock) {
      return History.of(ops);
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        out.close();
      }
    }
  }
}
