package dev.meld.crdt;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A last-writer-wins register: the write with the highest (stamp, replica) holds, whether it set
 * a value or deleted it (a stamped tombstone). The stamp is a 64-bit hybrid logical clock reading
 * (this module only needs it as a non-negative long). The never-written register is the bottom of
 * the lattice: any write beats it.
 *
 * <p>Two writes with the same stamp and replica should not happen (a replica's clock moves on
 * between writes); if they do, the tie is broken by the writes' encodings (a tombstone below any
 * value, values by unsigned lexicographic order of their bytes), so merge stays commutative.
 *
 * @param <V> the value type, encoded by the register's {@link ElementCodec}
 */
public final class LwwRegister<V> implements Crdt<LwwRegister<V>> {
  private final ElementCodec<V> codec;
  private boolean written;
  private long stamp = -1;
  private ReplicaId writer;
  private V value; // null for a tombstone
  private byte[] encoded; // the value's encoding; null for a tombstone

  /** The never-written register whose values {@code codec} encodes. */
  public LwwRegister(ElementCodec<V> codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** The never-written register of byte strings, as the node stores them. */
  public static LwwRegister<Bytes> ofBytes() {
    return new LwwRegister<>(ElementCodec.BYTES);
  }

  /**
   * Writes {@code value} at {@code stamp} as {@code replica}; it holds unless a higher write is
   * already here.
   *
   * @param stamp {@code >= 0}
   * @return the delta: a register holding just this write
   */
  public LwwRegister<V> set(ReplicaId replica, long stamp, V value) {
    Objects.requireNonNull(value, "value");
    return write(replica, stamp, value, codec.encode(value));
  }

  /**
   * Deletes the value at {@code stamp} as {@code replica}: a tombstone that beats lower writes.
   *
   * @param stamp {@code >= 0}
   * @return the delta: a register holding just this tombstone
   */
  public LwwRegister<V> delete(ReplicaId replica, long stamp) {
    return write(replica, stamp, null, null);
  }

  /** The value, empty if never written or deleted. */
  public Optional<V> value() {
    return Optional.ofNullable(value);
  }

  /** Whether the winning write is a tombstone. */
  public boolean isDeleted() {
    return written && value == null;
  }

  /** Whether the register was never written. */
  public boolean isEmpty() {
    return !written;
  }

  /** The winning write's stamp, or -1 if the register was never written. */
  public long stamp() {
    return stamp;
  }

  /** The winning write's replica, empty if the register was never written. */
  public Optional<ReplicaId> writer() {
    return Optional.ofNullable(writer);
  }

  /** The value codec. */
  public ElementCodec<V> codec() {
    return codec;
  }

  /** The winning value's encoding, not copied: for the codec; null if none. */
  byte[] encodedView() {
    return encoded;
  }

  /**
   * Installs a write decoded from canonical bytes; {@code encoded} is the value's encoding (null
   * for a tombstone).
   */
  static <V> LwwRegister<V> ofCanonical(
      ElementCodec<V> codec, long stamp, ReplicaId writer, byte[] encoded) {
    LwwRegister<V> register = new LwwRegister<>(codec);
    V value = encoded == null ? null : codec.decode(encoded.clone());
    register.install(stamp, writer, value, encoded);
    return register;
  }

  @Override
  public boolean mergeFrom(LwwRegister<V> other) {
    if (compareWrites(other, this) <= 0) {
      return false;
    }
    install(other.stamp, other.writer, other.value, other.encoded);
    return true;
  }

  @Override
  public LwwRegister<V> copy() {
    LwwRegister<V> copy = new LwwRegister<>(codec);
    if (written) {
      copy.install(stamp, writer, value, encoded);
    }
    return copy;
  }

  @Override
  public CrdtType type() {
    return CrdtType.LWW_REGISTER;
  }

  private LwwRegister<V> write(ReplicaId replica, long stamp, V value, byte[] encoded) {
    Objects.requireNonNull(replica, "replica");
    if (stamp < 0) {
      throw new IllegalArgumentException("stamp: " + stamp + " (expected: >= 0)");
    }
    LwwRegister<V> delta = new LwwRegister<>(codec);
    delta.install(stamp, replica, value, encoded);
    mergeFrom(delta);
    return delta;
  }

  private void install(long stamp, ReplicaId writer, V value, byte[] encoded) {
    this.written = true;
    this.stamp = stamp;
    this.writer = writer;
    this.value = value;
    this.encoded = encoded;
  }

  /** The total order of writes: unwritten lowest, then stamp, replica, tombstone, value bytes. */
  private static int compareWrites(LwwRegister<?> a, LwwRegister<?> b) {
    if (!a.written || !b.written) {
      return Boolean.compare(a.written, b.written);
    }
    int c = Long.compare(a.stamp, b.stamp);
    if (c == 0) {
      c = a.writer.compareTo(b.writer);
    }
    if (c == 0) {
      c = Boolean.compare(a.encoded != null, b.encoded != null);
    }
    if (c == 0 && a.encoded != null) {
      c = Arrays.compareUnsigned(a.encoded, b.encoded);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LwwRegister<?> other && compareWrites(this, other) == 0;
  }

  @Override
  public int hashCode() {
    if (!written) {
      return 0;
    }
    return (Long.hashCode(stamp) * 31 + writer.hashCode()) * 31 + Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    if (!written) {
      return "LwwRegister{}";
    }
    return "LwwRegister{" + (value == null ? "deleted" : value) + " @" + stamp + " by " + writer + "}";
  }
}
