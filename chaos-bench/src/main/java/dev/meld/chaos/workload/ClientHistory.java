package dev.meld.chaos.workload;

import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records client requests in a history the way both backends write them: the invocation with
 * {@code [key, argument]}, the completion with {@code [key, result]} when {@code ok} and the
 * invocation's value otherwise, and the node on both ({@code "node"}), plus the {@code error} of a
 * {@code fail} or {@code info}.
 */
public final class ClientHistory {

  private final HistoryRecorder recorder;

  public ClientHistory(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  /** The recorder underneath (nemesis ops go there directly). */
  public HistoryRecorder recorder() {
    return recorder;
  }

  /** Records that {@code process} sends {@code request} to {@code node}. */
  public Op invoke(long process, Request request, String node) {
    return recorder.record(
        OpType.INVOKE, process, request.f(), request.invokeValue(), Map.of("node", node));
  }

  /**
   * Records how {@code invocation} ended.
   *
   * @param result what {@link Request#execute} returned, for {@code ok}
   * @param error why it failed or is unknown; null for {@code ok}
   */
  public Op complete(Op invocation, Request request, OpType type, Object result, String error) {
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("node", invocation.extra("node"));
    if (error != null) {
      extras.put("error", error);
    }
    Object value = type == OpType.OK ? request.okValue(result) : request.invokeValue();
    return recorder.complete(invocation, type, value, extras);
  }
}
