package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;

/**
 * A toxic that lost its toxicity roll on this connection: bytes pass untouched, as Toxiproxy runs a
 * no-op in its place.
 */
final class PassStage extends Stage {

  PassStage(Pipe pipe) {
    super(pipe);
  }

  @Override
  public void data(ByteBuf chunk) {
    out.data(chunk);
  }
}
