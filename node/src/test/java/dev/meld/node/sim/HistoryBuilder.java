package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds histories by hand for checker tests: indices and times are assigned in order. */
final class HistoryBuilder {

  private final List<SimOp> ops = new ArrayList<>();

  HistoryBuilder invoke(int process, String f, String key, Object value, String node) {
    return add(SimOp.Type.INVOKE, process, f, key, value, node);
  }

  HistoryBuilder ok(int process, String f, String key, Object value, String node) {
    return add(SimOp.Type.OK, process, f, key, value, node);
  }

  HistoryBuilder fail(int process, String f, String key, Object value, String node) {
    return add(SimOp.Type.FAIL, process, f, key, value, node);
  }

  HistoryBuilder info(int process, String f, String key, Object value, String node) {
    return add(SimOp.Type.INFO, process, f, key, value, node);
  }

  /** An invocation immediately acknowledged. */
  HistoryBuilder done(int process, String f, String key, Object value, String node) {
    return invoke(process, f, key, f.endsWith("read") ? null : value, node)
        .ok(process, f, key, value, node);
  }

  /** An acknowledged remove whose reply said whether the node held the element. */
  HistoryBuilder removed(int process, String key, String element, String node, boolean present) {
    java.util.Map<String, Object> value = new java.util.LinkedHashMap<>();
    value.put("element", element);
    value.put("present", present);
    return invoke(process, "remove", key, element, node).ok(process, "remove", key, value, node);
  }

  /** A final read of {@code key} on {@code node}, by a process of its own. */
  HistoryBuilder finalRead(String node, String key, Object value) {
    int process = 1000 + ops.size();
    return invoke(process, "final-read", key, null, node)
        .ok(process, "final-read", key, value, node);
  }

  /** A wipe of {@code node}, listing the unreplicated acknowledged writes by invocation index. */
  HistoryBuilder wipe(String node, List<Long> unreplicated) {
    return add(
        SimOp.Type.INFO,
        SimOp.NEMESIS,
        "wipe",
        null,
        Map.of("node", node, "unreplicated", unreplicated),
        node);
  }

  long nextIndex() {
    return ops.size();
  }

  List<SimOp> build() {
    return List.copyOf(ops);
  }

  private HistoryBuilder add(
      SimOp.Type type, int process, String f, String key, Object value, String node) {
    ops.add(new SimOp(ops.size(), ops.size() * 10L, type, process, f, key, value, node, null));
    return this;
  }
}
