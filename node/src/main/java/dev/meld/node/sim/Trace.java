package dev.meld.node.sim;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a simulated run did, event by event: a running 64-bit fingerprint of every event (always
 * kept, cheap) and, when a sink is given, one line of text per event.
 *
 * <p>Two runs of one seed must produce the same fingerprint; the text exists to read a failing
 * seed. The fingerprint covers the same facts whether or not text is produced, so a traced replay
 * of a seed is the same run as the untraced one that failed.
 */
public final class Trace {

  private final Consumer<String> sink;
  private long fingerprint = 0x6a09e667f3bcc909L;
  private long events;

  private Trace(Consumer<String> sink) {
    this.sink = sink;
  }

  /** A trace that keeps only the fingerprint. */
  public static Trace silent() {
    return new Trace(null);
  }

  /** A trace that also writes one line per event to {@code sink}. */
  public static Trace to(Consumer<String> sink) {
    return new Trace(Objects.requireNonNull(sink, "sink"));
  }

  /** The fingerprint of every event so far. */
  public long fingerprint() {
    return fingerprint;
  }

  /** How many events were recorded. */
  public long events() {
    return events;
  }

  /**
   * Records an event.
   *
   * @param time virtual milliseconds
   * @param kind what happened, a short constant ("deliver", "tick", "crash")
   * @param node the node it happened on (or a link "n1->n2"), never null
   * @param facts numbers identifying it (e.g. a payload hash), folded into the fingerprint
   * @param detail the text of the line, only built when the trace is verbose
   */
  void event(long time, String kind, String node, long facts, Supplier<String> detail) {
    events++;
    mix(time);
    mix(kind.hashCode());
    mix(node.hashCode());
    mix(facts);
    if (sink != null) {
      sink.accept(String.format("%9d %-10s %-9s %s", time, kind, node, detail.get()));
    }
  }

  /** Records a free-text note (scenario decisions, check results) in the fingerprint and text. */
  void note(long time, String text) {
    event(time, "note", "-", text.hashCode(), () -> text);
  }

  /** A 64-bit hash of {@code bytes} for the fingerprint (not cryptographic). */
  static long hash(byte[] bytes) {
    return Arrays.hashCode(bytes) * 0x9E3779B97F4A7C15L + bytes.length;
  }

  private void mix(long value) {
    long h = (fingerprint ^ value) * 0x9E3779B97F4A7C15L;
    fingerprint = h ^ (h >>> 29);
  }
}
