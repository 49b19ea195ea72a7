package dev.meld.chaos.report;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The completed client operations of a history as parallel primitive arrays (invocation time,
 * latency, outcome, f, node), small enough to chart a million operations. Built in one pass that
 * pairs each client's invocation with its next op, as {@link History} does. Invocations never
 * completed have no latency; they are only counted, as {@code info}.
 */
final class OpTimeline {

  static final int OK = 0;
  static final int FAIL = 1;
  static final int INFO = 2;
  static final List<String> TYPES = List.of("ok", "fail", "info");

  /** Completed ops, in completion order. */
  final int size;

  final long[] invokeNs;
  final long[] latencyNs;
  final byte[] type;

  /** Index into {@link #fs}. */
  final int[] f;

  /** Index into {@link #nodes}, or -1 when the op names no node. */
  final int[] node;

  /** Every client f, in order of first appearance. */
  final List<String> fs;

  /** Every {@code node} extra of a client op, in order of first appearance. */
  final List<String> nodes;

  /** Per f, invocations never completed. */
  final long[] openByF;

  /** The time of the history's last op, client or nemesis. */
  final long endNs;

  private OpTimeline(Builder b, long endNs) {
    this.size = b.size;
    this.invokeNs = Arrays.copyOf(b.invokeNs, b.size);
    this.latencyNs = Arrays.copyOf(b.latencyNs, b.size);
    this.type = Arrays.copyOf(b.type, b.size);
    this.f = Arrays.copyOf(b.f, b.size);
    this.node = Arrays.copyOf(b.node, b.size);
    this.fs = List.copyOf(b.fs);
    this.nodes = List.copyOf(b.nodeNames);
    this.openByF = new long[fs.size()];
    this.endNs = endNs;
  }

  static OpTimeline of(History history) {
    Builder b = new Builder();
    Map<Object, Op> open = new HashMap<>();
    long end = 0;
    for (Op op : history) {
      end = Math.max(end, op.time());
      if (!op.isClient()) {
        continue;
      }
      if (op.isInvoke()) {
        open.put(op.process(), op);
        continue;
      }
      Op invocation = open.remove(op.process());
      Object nodeName = op.extra("node") != null ? op.extra("node") : invocation.extra("node");
      b.add(
          invocation.time(),
          op.time() - invocation.time(),
          op.isOk() ? OK : op.isFail() ? FAIL : INFO,
          b.fIndex(op.f()),
          nodeName == null ? -1 : b.nodeIndex(nodeName));
    }
    List<Op> neverCompleted = new ArrayList<>(open.values());
    neverCompleted.forEach(inv -> b.fIndex(inv.f()));
    OpTimeline t = new OpTimeline(b, end);
    neverCompleted.forEach(inv -> t.openByF[t.fs.indexOf(inv.f())]++);
    return t;
  }

  /** ok, fail and info per f; invocations never completed count as info. */
  Map<String, OpCounts> countsByF() {
    long[][] counts = new long[fs.size()][3];
    for (int i = 0; i < size; i++) {
      counts[f[i]][type[i]]++;
    }
    Map<String, OpCounts> out = new TreeMap<>();
    for (int k = 0; k < fs.size(); k++) {
      out.put(
          fs.get(k), new OpCounts(counts[k][OK], counts[k][FAIL], counts[k][INFO] + openByF[k]));
    }
    return out;
  }

  private static final class Builder {
    int size;
    long[] invokeNs = new long[1024];
    long[] latencyNs = new long[1024];
    byte[] type = new byte[1024];
    int[] f = new int[1024];
    int[] node = new int[1024];
    final List<String> fs = new ArrayList<>();
    final Map<String, Integer> fIndex = new HashMap<>();
    final List<String> nodeNames = new ArrayList<>();
    final Map<String, Integer> nodeIndex = new HashMap<>();

    int fIndex(String name) {
      return fIndex.computeIfAbsent(
          name,
          k -> {
            fs.add(k);
            return fs.size() - 1;
          });
    }

    int nodeIndex(Object name) {
      String s = name instanceof String ? (String) name : Values.render(name);
      return nodeIndex.computeIfAbsent(
          s,
          k -> {
            nodeNames.add(k);
            return nodeNames.size() - 1;
          });
    }

    void add(long invoke, long latency, int t, int fi, int ni) {
      if (size == invokeNs.length) {
        int capacity = size * 2;
        invokeNs = Arrays.copyOf(invokeNs, capacity);
        latencyNs = Arrays.copyOf(latencyNs, capacity);
        type = Arrays.copyOf(type, capacity);
        f = Arrays.copyOf(f, capacity);
        node = Arrays.copyOf(node, capacity);
      }
      invokeNs[size] = invoke;
      latencyNs[size] = latency;
      type[size] = (byte) t;
      f[size] = fi;
      node[size] = ni;
      size++;
    }
  }
}
