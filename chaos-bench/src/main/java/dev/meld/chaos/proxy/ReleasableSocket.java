package dev.meld.chaos.proxy;

/**
 * A Netty channel that can tell when the JDK has really closed its socket.
 *
 * <p>Netty's close completes once the JDK channel is closed, but the JDK keeps the socket of a
 * channel registered with a selector open until the event loop's next select deregisters the
 * channel, and only then closes it. Until that moment a listener still completes connects into its
 * backlog and a connect under way may still complete its handshake, so "a disabled proxy refuses
 * new connects" and "the upstream gets no connection after that" need the moment after.
 */
interface ReleasableSocket {

  /**
   * True once the channel is closed and no selector holds it any more. The selector closes the
   * socket right after, on the loop's thread, before that loop runs its next task.
   */
  boolean released();
}
