package dev.meld.antientropy;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A key and its encoded state, as shipped by a sync session. Equality is by content.
 *
 * @param key the key bytes
 * @param state the state's canonical encoding
 */
public record SyncRecord(byte[] key, byte[] state) {

  public SyncRecord {
    if (key == null || state == null) {
      throw new NullPointerException("key and state must not be null");
    }
  }

  /** The record's size on the wire, excluding framing: key bytes plus state bytes. */
  public int size() {
    return key.length + state.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncRecord r && Arrays.equals(key, r.key) && Arrays.equals(state, r.state);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(state);
  }

  @Override
  public String toString() {
    return "SyncRecord[key=" + hex(key) + ", state=" + hex(state) + "]";
  }

  private static String hex(byte[] bytes) {
    String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
    return bytes.length > 32 ? shown + "...(" + bytes.length + " bytes)" : shown;
  }
}
