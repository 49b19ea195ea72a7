package dev.meld.chaos.report;

import dev.meld.chaos.history.OpType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The live progress of a running scenario: phase, elapsed time, ops by outcome, ops/s and mean
 * latency since the last line, active faults and violations so far.
 *
 * <pre>
 * [partition-halves] workload 12.3 s | ops 1,234 (ok 1,200 fail 4 info 30) | 820 ops/s, mean 3.21 ms
 *   | faults: kill x2, partition | violations 0           (one line; broken here to fit)
 * </pre>
 *
 * <p>On a terminal it redraws one line in place ({@code \r}) at most every {@value
 * #TTY_INTERVAL_MS} ms; otherwise (a log, CI) it prints a plain line every {@value
 * #PLAIN_INTERVAL_MS} ms and one at each phase change. Safe for any number of client threads: a
 * call does a few atomic updates and reads the clock; the one call in an interval that wins a
 * compare-and-set draws the line, so the work per call is bounded. Call {@link #tick} from a timer
 * so the line moves when no op completes (every client blocked by a partition), and {@link #close}
 * at the end.
 */
public final class ProgressLine implements AutoCloseable {

  public static final long TTY_INTERVAL_MS = 250;
  public static final long PLAIN_INTERVAL_MS = 10_000;

  private final String scenario;
  private final PrintStream out;
  private final boolean tty;
  private final LongSupplier nanoTime;
  private final long intervalNs;
  private final int width;
  private final long startNs;

  private final LongAdder[] outcomes = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final LongAdder latencySum = new LongAdder();
  private final Map<String, AtomicInteger> activeFaults = new ConcurrentHashMap<>();
  private final AtomicLong violations = new AtomicLong();
  private volatile String lastViolation;
  private final AtomicLong lastDrawNs;
  private volatile String phase = "starting";

  // Written only by the thread that draws, under the lock on out.
  private long opsAtLastLine;
  private long latencyAtLastLine;
  private long timeAtLastLine;
  private int lastLength;
  private boolean closed;

  /** Progress of {@code scenario} on standard error, redrawn in place when it is a terminal. */
  public static ProgressLine toStderr(String scenario) {
    return new ProgressLine(scenario, System.err, Terminal.isTty(), System::nanoTime);
  }

  /**
   * @param tty redraw one line in place if true, print plain periodic lines if false
   * @param nanoTime the clock, such as {@code System::nanoTime}
   */
  public ProgressLine(String scenario, PrintStream out, boolean tty, LongSupplier nanoTime) {
    this(scenario, out, tty, nanoTime, Terminal.columns());
  }

  ProgressLine(String scenario, PrintStream out, boolean tty, LongSupplier nanoTime, int width) {
    this.scenario = Terminal.clean(scenario);
    this.out = out;
    this.tty = tty;
    this.nanoTime = nanoTime;
    this.intervalNs = (tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS) * 1_000_000L;
    this.width = width;
    this.startNs = nanoTime.getAsLong();
    this.timeAtLastLine = startNs;
    this.lastDrawNs = new AtomicLong(startNs - intervalNs);
  }

  /** The scenario entered a phase ({@code setup}, {@code workload}, {@code heal}, ...). */
  public void phase(String name) {
    phase = Terminal.clean(name);
    draw(!tty);
  }

  /** A client op completed with this outcome after {@code latencyNanos}. */
  public void opCompleted(OpType type, long latencyNanos) {
    if (type == OpType.INVOKE) {
      throw new IllegalArgumentException("type: invoke (expected: ok, fail or info)");
    }
    outcomes[type.ordinal() - 1].increment();
    latencySum.add(latencyNanos);
    draw(false);
  }

  public void faultStarted(String kind) {
    activeFaults.computeIfAbsent(Terminal.clean(kind), k -> new AtomicInteger()).incrementAndGet();
    draw(false);
  }

  public void faultEnded(String kind) {
    AtomicInteger n = activeFaults.get(Terminal.clean(kind));
    if (n != null) {
      n.updateAndGet(v -> Math.max(0, v - 1));
    }
    draw(false);
  }

  /** A checker or a nemesis check found something wrong while the scenario ran. */
  public void violation(String what) {
    lastViolation = Terminal.clean(what);
    violations.incrementAndGet();
    draw(false);
  }

  /** Redraws if an interval has passed; call it from a timer. */
  public void tick() {
    draw(false);
  }

  /** Prints the final line and ends it. Later calls print nothing. */
  @Override
  public void close() {
    synchronized (out) {
      if (closed) {
        return;
      }
      print(line(nanoTime.getAsLong()));
      if (tty) {
        out.print('\n');
      }
      out.flush();
      closed = true;
    }
  }

  private void draw(boolean force) {
    long now = nanoTime.getAsLong();
    long last = lastDrawNs.get();
    if (!force && now - last < intervalNs) {
      return;
    }
    if (!lastDrawNs.compareAndSet(last, now) && !force) {
      return;
    }
    synchronized (out) {
      if (!closed) {
        print(line(now));
        out.flush();
      }
    }
  }

  private void print(String line) {
    String shown = line.length() >= width ? line.substring(0, width - 1) : line;
    if (tty) {
      // Spaces over what is left of a longer previous line; no escape codes needed.
      out.print("\r" + shown + " ".repeat(Math.max(0, lastLength - shown.length())));
      lastLength = shown.length();
    } else {
      out.print(shown + "\n");
    }
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** The line at time {@code now}; updates the since-last-line counters (call under the lock). */
  String line(long now) {
    long ok = outcomes[0].sum();
    long fail = outcomes[1].sum();
    long info = outcomes[2].sum();
    long ops = ok + fail + info;
    long latency = latencySum.sum();
    double seconds = Math.max(1e-9, (now - timeAtLastLine) / 1e9);
    long newOps = ops - opsAtLastLine;
    String rate =
        now == timeAtLastLine ? "- ops/s" : Fmt.count(Math.round(newOps / seconds)) + " ops/s";
    String mean =
        newOps == 0 ? "" : ", mean " + Fmt.duration((latency - latencyAtLastLine) / newOps);
    opsAtLastLine = ops;
    latencyAtLastLine = latency;
    timeAtLastLine = now;
    List<String> faults = new ArrayList<>();
    activeFaults.forEach(
        (kind, n) -> {
          int count = n.get();
          if (count > 0) {
            faults.add(count == 1 ? kind : kind + " x" + count);
          }
        });
    faults.sort(null);
    return "["
        + scenario
        + "] "
        + phase
        + " "
        + Fmt.seconds(now - startNs)
        + " | ops "
        + Fmt.count(ops)
        + " (ok "
        + Fmt.count(ok)
        + " fail "
        + Fmt.count(fail)
        + " info "
        + Fmt.count(info)
        + ")"
        + " | "
        + rate
        + mean
        + " | faults: "
        + (faults.isEmpty() ? "none" : String.join(", ", faults))
        + " | violations "
        + violations.get()
        + (lastViolation == null ? "" : " (last: " + shorten(lastViolation) + ")");
  }
}
