package dev.meld.node.transport;

import java.util.Arrays;

/**
 * One decoded {@link MeshFrame}: its type and its payload (the header is checked and gone).
 *
 * @param type one of the {@code MeshFrame} types
 * @param payload the payload bytes, owned by the frame
 */
record Frame(int type, byte[] payload) {

  static final byte[] EMPTY = new byte[0];

  static Frame heartbeat() {
    return new Frame(MeshFrame.HEARTBEAT, EMPTY);
  }

  /** This frame as bytes on the wire. */
  byte[] toBytes() {
    return MeshFrame.toBytes(type, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return MeshFrame.typeName(type) + "(" + payload.length + " bytes)";
  }
}
