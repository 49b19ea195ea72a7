package dev.meld.chaos.proxy;

/**
 * One toxic as applied to one direction of one connection. Stages form a chain per direction; each
 * receives chunks in order and emits them (changed, delayed, split or not at all) to {@link #out},
 * which the chain re-points when toxics are added or removed.
 *
 * <p>Lifecycle: {@link #attached()} once the stage is in the chain; then any number of {@link
 * #data} and at most one {@link #end}; finally either {@link #detach} (the toxic was removed or
 * updated, the connection lives on) or {@link #dispose} (the connection died).
 */
abstract class Stage implements Outlet {

  /** The connection direction this stage belongs to. */
  final Pipe pipe;

  /** Where this stage's output goes; set by the chain before {@link #attached()}. */
  Outlet out;

  Stage(Pipe pipe) {
    this.pipe = pipe;
  }

  /** Called once when the stage joins a live chain; starts timers the toxic needs. */
  void attached() {}

  /** By default the end of the stream passes straight through. */
  @Override
  public void end() {
    out.end();
  }

  /**
   * The toxic leaves this connection: emit whatever is held, in order, to {@link #out} and stop all
   * timers. {@code removed} is false when the toxic is only being replaced by an update.
   */
  void detach(boolean removed) {}

  /** The connection is gone: release held chunks, cancel timers, emit nothing. */
  void dispose() {}
}
