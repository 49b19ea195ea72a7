package dev.meld.crdt;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link GCounter} under test: an operation is an increment by 1-3. */
public final class GCounterSpec implements CrdtSpec<GCounter, Long> {
  @Override
  public GCounter empty() {
    return new GCounter();
  }

  @Override
  public Gen<Long> ops() {
    return Generate.longRange(1, 3);
  }

  @Override
  public GCounter apply(GCounter state, ReplicaId replica, Long n) {
    return state.increment(replica, n);
  }

  @Override
  public GCounter decode(byte[] bytes) {
    return CrdtCodec.decodeGCounter(bytes, DecodeLimits.DEFAULT);
  }

  @Override
  public Object read(GCounter state) {
    return state.value();
  }

  @Override
  public SequentialModel<Long> model() {
    return new SequentialModel<>() {
      private long value;

      @Override
      public void apply(Long n) {
        value += n;
      }

      @Override
      public Object read() {
        return value;
      }
    };
  }
}
