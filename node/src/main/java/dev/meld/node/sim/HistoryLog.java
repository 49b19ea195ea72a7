package dev.meld.node.sim;

/**
 * Writes a cluster's history: numbers each op, stamps it with the virtual time, hands it to the
 * {@link HistorySink} and puts it in the trace.
 */
final class HistoryLog {

  private final EventQueue queue;
  private final HistorySink sink;
  private final Trace trace;
  private long nextIndex;

  HistoryLog(EventQueue queue, HistorySink sink, Trace trace) {
    this.queue = queue;
    this.sink = sink;
    this.trace = trace;
  }

  SimOp record(
      SimOp.Type type, int process, String f, String key, Object value, String node, String error) {
    SimOp op = new SimOp(nextIndex++, queue.now(), type, process, f, key, value, node, error);
    sink.record(op);
    String text = op.toString();
    trace.event(queue.now(), "op", node == null ? "-" : node, text.hashCode(), () -> text);
    return op;
  }

  /** Completes a client call: records it and tells the client. */
  void complete(ClientCall call, SimOp.Type type, Object value, String error) {
    call.done = true;
    SimOp op = record(type, call.process, call.op.f(), call.op.key(), value, call.node, error);
    call.onComplete.accept(op);
  }

  /** A fault, as Jepsen records nemesis ops: an invocation and an {@code info}. */
  void nemesis(String f, String node, Object value) {
    record(SimOp.Type.INVOKE, SimOp.NEMESIS, f, null, value, node, null);
    record(SimOp.Type.INFO, SimOp.NEMESIS, f, null, value, node, null);
  }
}
