package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The toxics on one direction of one connection, in the order they were added: bytes enter at the
 * head, pass every stage, and leave through the sink. Toxics can be added, updated and removed
 * while bytes are in flight without losing or reordering any that the toxics themselves let
 * through: a leaving stage hands what it holds to the stage after it. Whatever the toxics do, the
 * sink sees at most one end of stream and no data after it (a toxic such as {@code limit_data} may
 * end the stream while earlier stages still hold bytes).
 *
 * <p>Not thread-safe: everything runs on the connection's thread.
 */
final class StageChain implements Outlet {

  private final Pipe pipe;
  private final Outlet sink;
  private final List<String> names = new ArrayList<>();
  private final List<Stage> stages = new ArrayList<>();
  private Outlet head;
  private boolean disposed;

  StageChain(Pipe pipe, Outlet sink) {
    this.pipe = pipe;
    this.sink = new Tail(sink);
    this.head = this.sink;
  }

  @Override
  public void data(ByteBuf chunk) {
    if (disposed) {
      chunk.release();
    } else {
      head.data(chunk);
    }
  }

  @Override
  public void end() {
    if (!disposed) {
      head.end();
    }
  }

  /** Appends a toxic (rolling its toxicity for this connection); a known name is ignored. */
  void add(ToxicSpec spec) {
    if (disposed || names.contains(spec.name())) {
      return;
    }
    Stage stage = spec.newStage(pipe, null);
    names.add(spec.name());
    stages.add(stage);
    relink();
    stage.attached();
  }

  /** Replaces a toxic in place by its new settings, rolling its toxicity again. */
  void update(ToxicSpec spec) {
    int index = names.indexOf(spec.name());
    if (disposed || index < 0) {
      return;
    }
    Stage old = stages.get(index);
    Stage fresh = spec.newStage(pipe, old);
    stages.set(index, fresh);
    relink();
    fresh.attached();
    old.detach(false);
  }

  void remove(String name) {
    int index = names.indexOf(name);
    if (disposed || index < 0) {
      return;
    }
    names.remove(index);
    Stage old = stages.remove(index);
    relink();
    old.detach(true);
  }

  void removeAll() {
    while (!names.isEmpty()) {
      remove(names.get(0));
    }
  }

  /** The connection is gone: every stage drops what it holds; later input is released. */
  void dispose() {
    if (disposed) {
      return;
    }
    disposed = true;
    stages.forEach(Stage::dispose);
    stages.clear();
    names.clear();
    head = sink;
  }

  /** Toxic names in chain order, for tests and diagnostics. */
  List<String> names() {
    return List.copyOf(names);
  }

  /** Guards the sink: one end of stream, and nothing after it. */
  private final class Tail implements Outlet {
    private final Outlet sink;
    private boolean ended;

    Tail(Outlet sink) {
      this.sink = sink;
    }

    @Override
    public void data(ByteBuf chunk) {
      if (ended) {
        pipe.discard(chunk);
      } else {
        sink.data(chunk);
      }
    }

    @Override
    public void end() {
      if (!ended) {
        ended = true;
        sink.end();
      }
    }
  }

  private void relink() {
    Outlet next = sink;
    for (int i = stages.size() - 1; i >= 0; i--) {
      stages.get(i).out = next;
      next = stages.get(i);
    }
    head = next;
  }
}
