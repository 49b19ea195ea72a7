package dev.meld.node.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What a {@link RecordStore} implementation provides to the shared contract tests: how to open a
 * fresh store, and how to restart it cleanly, after a crash, or from a restored copy. One test
 * works with one store lineage at a time; the implementation remembers the hash and limits it was
 * opened with.
 */
public interface StoreFixture {

  /** A fresh, empty store. */
  RecordStore open(ToLongFunction<byte[]> keyHash, StoreLimits limits);

  /** Closes {@code store} cleanly and opens it again with {@code keyHash}. */
  RecordStore reopen(RecordStore store, ToLongFunction<byte[]> keyHash);

  /** Drops {@code store} without a clean close, as a killed process would, and opens it again. */
  RecordStore crashAndReopen(RecordStore store);

  /** Closes {@code store}, restores a copy of it as an operator would, and opens the copy. */
  RecordStore restoreAndReopen(RecordStore store);

  default RecordStore open() {
    return open(TestHashes.FIRST_BYTE, StoreLimits.DEFAULTS);
  }

  default RecordStore reopen(RecordStore store) {
    return reopen(store, TestHashes.FIRST_BYTE);
  }

  /** Changes whenever the store's engine writes anything. */
  default long writeMark(RecordStore store) {
    return ((EngineRecordStore) store).engine().writeMark();
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Every record as "hash/key=value" in hex, in scan order over {@code [from, to]}. */
  static List<String> scanned(RecordStore store, long from, long to) {
    List<String> out = new ArrayList<>();
    store.scan(
        from,
        to,
        (hash, key, value) -> out.add(String.format("%016x/%s=%s", hash, hex(key), hex(value))));
    return out;
  }

  /** Every record key in hex, in scan order over the whole hash space. */
  static List<String> keys(RecordStore store) {
    List<String> out = new ArrayList<>();
    store.scan(0, -1, (hash, key, value) -> out.add(hex(key)));
    return out;
  }
}
