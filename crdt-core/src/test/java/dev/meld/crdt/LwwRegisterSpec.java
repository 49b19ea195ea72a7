package dev.meld.crdt;

import java.util.List;
import java.util.Optional;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link LwwRegister} under test. A write's stamp is taken like a hybrid logical clock would: the
 * highest stamp the replica has seen plus a bump of 0-2, so concurrent writes often tie on the
 * stamp, and a bump of 0 at the same replica makes the (should-not-happen) full tie that the
 * value bytes break. A single replica in sequence always bumps by at least 1.
 */
public final class LwwRegisterSpec implements CrdtSpec<LwwRegister<Bytes>, LwwRegisterSpec.Op> {
  /** A write: {@code value} null for a delete. */
  public record Op(int bump, Bytes value) {
    @Override
    public String toString() {
      return (value == null ? "delete" : "set(" + value + ")") + "+" + bump;
    }
  }

  private static final List<Bytes> VALUES =
      List.of(Bytes.utf8("x"), Bytes.utf8("y"), Bytes.utf8("z"), Bytes.EMPTY);

  @Override
  public LwwRegister<Bytes> empty() {
    return LwwRegister.ofBytes();
  }

  @Override
  public Gen<Op> ops() {
    return writes(0);
  }

  @Override
  public Gen<Op> sequentialOps() {
    return writes(1);
  }

  private static Gen<Op> writes(int minBump) {
    Gen<Integer> bumps = Generate.range(minBump, 2);
    return Generate.frequency(
        Pair.of(4, bumps.zip(Generate.pick(VALUES), Op::new)),
        Pair.of(1, bumps.map(bump -> new Op(bump, null))));
  }

  @Override
  public LwwRegister<Bytes> apply(LwwRegister<Bytes> state, ReplicaId replica, Op op) {
    long stamp = Math.max(state.stamp(), 0) + op.bump();
    return op.value() == null ? state.delete(replica, stamp) : state.set(replica, stamp, op.value());
  }

  @Override
  public LwwRegister<Bytes> decode(byte[] bytes) {
    return CrdtCodec.decodeLwwRegister(bytes, ElementCodec.BYTES, DecodeLimits.DEFAULT);
  }

  @Override
  public Object read(LwwRegister<Bytes> state) {
    return state.value();
  }

  @Override
  public SequentialModel<Op> model() {
    return new SequentialModel<>() {
      private Optional<Bytes> variable = Optional.empty();

      @Override
      public void apply(Op op) {
        variable = Optional.ofNullable(op.value());
      }

      @Override
      public Object read() {
        return variable;
      }
    };
  }
}
