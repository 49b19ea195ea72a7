package dev.meld.node.sim;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a simulated history, in Jepsen's op model: a client (or the nemesis) invokes an
 * operation, and later the same process completes it as {@code ok}, {@code fail} (it definitely did
 * not happen) or {@code info} (it may or may not have happened: the node crashed, paused or did not
 * answer in time).
 *
 * <p>Client functions ({@code f}) and their values:
 *
 * <ul>
 *   <li>{@code incr}: a counter delta, {@link Long}, negative for a decrement;
 *   <li>{@code counter-read}: invoked with null, completed with the {@link Long} read;
 *   <li>{@code add}, {@code remove}: a set element, {@link String}; a remove completes {@code ok}
 *       with a map {@code {element, present}} saying whether the node held the element;
 *   <li>{@code set-read}: invoked with null, completed with the elements read, a {@code
 *       List<String>} in the order the node replied;
 *   <li>{@code final-read}: a read of any key after the cluster quiesced, one per node and key.
 * </ul>
 *
 * Nemesis ops ({@code process} = {@link #NEMESIS}) are recorded as an {@code invoke} followed by an
 * {@code info} and name the fault in {@code f} ({@code crash}, {@code partition}, {@code wipe},
 * ...); their value describes it.
 *
 * @param index position in the history, from 0, gap-free; orders everything (virtual time alone
 *     cannot: many things happen in one millisecond)
 * @param time virtual milliseconds since the start of the run
 * @param type invoke, ok, fail or info
 * @param process the client process, or {@link #NEMESIS}
 * @param f the function
 * @param key the key a client op is on; null for nemesis ops
 * @param value see above
 * @param node the node the op was sent to (for nemesis ops: the node it hit, or null)
 * @param error why a {@code fail} or {@code info} happened, else null
 */
public record SimOp(
    long index,
    long time,
    Type type,
    int process,
    String f,
    String key,
    Object value,
    String node,
    String error) {

  /** The process of nemesis ops. */
  public static final int NEMESIS = -1;

  /** Jepsen's op types. */
  public enum Type {
    INVOKE,
    OK,
    FAIL,
    INFO;

    /** The name as Jepsen writes it: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
    public String jepsenName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SimOp {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
  }

  public boolean isNemesis() {
    return process == NEMESIS;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append('#').append(index).append(" t=").append(time).append(' ');
    text.append(process == NEMESIS ? "nemesis" : "p" + process).append(' ');
    text.append(type.jepsenName()).append(' ').append(f);
    if (key != null) {
      text.append(' ').append(key);
    }
    if (value != null) {
      text.append(' ').append(value);
    }
    if (node != null) {
      text.append(" @").append(node);
    }
    if (error != null) {
      text.append(" (").append(error).append(')');
    }
    return text.toString();
  }
}
