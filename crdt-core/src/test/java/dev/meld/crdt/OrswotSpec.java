package dev.meld.crdt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link Orswot} under test: adds and removes over a small element domain, and clears. */
public final class OrswotSpec<E> implements CrdtSpec<Orswot<E>, OrswotSpec.Op<E>> {
  /** One set operation; {@code element} is null for a clear. */
  public record Op<E>(Kind kind, E element) {
    @Override
    public String toString() {
      return kind == Kind.CLEAR ? "clear" : kind.name().toLowerCase() + "(" + element + ")";
    }
  }

  public enum Kind {
    ADD,
    REMOVE,
    CLEAR
  }

  private final ElementCodec<E> codec;
  private final List<E> domain;

  /** A set of elements drawn from {@code domain}, encoded by {@code codec}. */
  public OrswotSpec(ElementCodec<E> codec, List<E> domain) {
    this.codec = codec;
    this.domain = domain;
  }

  /** Byte-string elements, as the node uses them. */
  public static OrswotSpec<Bytes> ofBytes() {
    return new OrswotSpec<>(
        ElementCodec.BYTES,
        List.of(Bytes.EMPTY, Bytes.utf8("a"), Bytes.utf8("b"), Bytes.utf8("c"), Bytes.of((byte) 0xff)));
  }

  @Override
  public Orswot<E> empty() {
    return new Orswot<>(codec);
  }

  @Override
  public Gen<Op<E>> ops() {
    Gen<E> elements = Generate.pick(domain);
    return Generate.frequency(
        Pair.of(5, elements.map(e -> new Op<>(Kind.ADD, e))),
        Pair.of(3, elements.map(e -> new Op<>(Kind.REMOVE, e))),
        Pair.of(1, Generate.constant(new Op<E>(Kind.CLEAR, null))));
  }

  @Override
  public Orswot<E> apply(Orswot<E> state, ReplicaId replica, Op<E> op) {
    return switch (op.kind()) {
      case ADD -> state.add(replica, op.element());
      case REMOVE -> state.remove(op.element());
      case CLEAR -> state.clear();
    };
  }

  @Override
  public Orswot<E> decode(byte[] bytes) {
    return CrdtCodec.decodeOrswot(bytes, codec, DecodeLimits.DEFAULT);
  }

  @Override
  public Object read(Orswot<E> state) {
    return new HashSet<>(state.elements());
  }

  @Override
  public SequentialModel<Op<E>> model() {
    return new SequentialModel<>() {
      private final Set<E> set = new HashSet<>();

      @Override
      public void apply(Op<E> op) {
        switch (op.kind()) {
          case ADD -> set.add(op.element());
          case REMOVE -> set.remove(op.element());
          case CLEAR -> set.clear();
        }
      }

      @Override
      public Object read() {
        return set;
      }
    };
  }
}
