package dev.meld.node.transport;

import dev.meld.node.peer.PeerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link MeshListener} that keeps everything it hears, for tests to wait on and inspect. */
final class RecordingListener implements MeshListener {

  /** A message and who sent it. */
  record Received(String from, PeerMessage message) {}

  final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @Override
  public void onMessage(String fromNode, PeerMessage message) {
    messages.add(new Received(fromNode, message));
  }

  @Override
  public void onPeerConnected(String node, long incarnation) {
    events.add("connected " + node + "#" + incarnation);
  }

  @Override
  public void onPeerDisconnected(String node) {
    events.add("disconnected " + node);
  }

  /** The next message, waiting at most {@code timeout}. */
  Received next(Duration timeout) throws InterruptedException {
    Received r = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no message within " + timeout);
    }
    return r;
  }

  /** The next {@code n} messages, waiting at most {@code timeout} in all. */
  List<Received> next(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Received> out = new ArrayList<>();
    while (out.size() < n) {
      Received r = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (r == null) {
        throw new AssertionError("got " + out.size() + " of " + n + " messages within " + timeout);
      }
      out.add(r);
    }
    return out;
  }

  /** The next connection event, waiting at most {@code timeout}. */
  String nextEvent(Duration timeout) throws InterruptedException {
    String e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no connection event within " + timeout);
    }
    return e;
  }
}
