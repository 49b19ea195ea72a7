package dev.meld.crdt;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link PNCounter} under test: increments and decrements by 1-3, and resets. */
public final class PNCounterSpec implements CrdtSpec<PNCounter, PNCounterSpec.Op> {
  /** One counter operation; {@code amount} is ignored by a reset. */
  public record Op(Kind kind, long amount) {
    @Override
    public String toString() {
      return kind == Kind.RESET ? "reset" : (kind == Kind.INC ? "+" : "-") + amount;
    }
  }

  public enum Kind {
    INC,
    DEC,
    RESET
  }

  @Override
  public PNCounter empty() {
    return new PNCounter();
  }

  @Override
  public Gen<Op> ops() {
    Gen<Long> amounts = Generate.longRange(1, 3);
    return Generate.frequency(
        Pair.of(4, amounts.map(n -> new Op(Kind.INC, n))),
        Pair.of(3, amounts.map(n -> new Op(Kind.DEC, n))),
        Pair.of(1, Generate.constant(new Op(Kind.RESET, 0))));
  }

  @Override
  public PNCounter apply(PNCounter state, ReplicaId replica, Op op) {
    return switch (op.kind()) {
      case INC -> state.increment(replica, op.amount());
      case DEC -> state.decrement(replica, op.amount());
      case RESET -> state.reset(replica);
    };
  }

  @Override
  public PNCounter decode(byte[] bytes) {
    return CrdtCodec.decodePNCounter(bytes, DecodeLimits.DEFAULT);
  }

  @Override
  public Object read(PNCounter state) {
    return state.value();
  }

  @Override
  public SequentialModel<Op> model() {
    return new SequentialModel<>() {
      private long value;

      @Override
      public void apply(Op op) {
        value =
            switch (op.kind()) {
              case INC -> value + op.amount();
              case DEC -> value - op.amount();
              case RESET -> 0;
            };
      }

      @Override
      public Object read() {
        return value;
      }
    };
  }
}
