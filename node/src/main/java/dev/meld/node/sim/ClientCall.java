package dev.meld.node.sim;

import java.util.function.Consumer;

/**
 * A client request on its way: sent to a node, maybe held while the node is paused, executed at
 * most once, answered at most once. {@code done} turns true when the history has its completion (an
 * answer, a timeout or a lost connection), after which a late answer is ignored.
 */
final class ClientCall {
  final int process;
  final ClientOp op;
  final String node;
  final long invokeIndex;
  final Consumer<SimOp> onComplete;
  boolean done;

  ClientCall(int process, ClientOp op, String node, long invokeIndex, Consumer<SimOp> onComplete) {
    this.process = process;
    this.op = op;
    this.node = node;
    this.invokeIndex = invokeIndex;
    this.onComplete = onComplete;
  }
}
