package dev.meld.node.store;

import java.util.EnumMap;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Stores as an earlier version left them, for tests of what this version makes of them. */
public final class EarlierFormats {

  private EarlierFormats() {}

  /**
   * {@code image} with its format number set to {@code format}: what an earlier version wrote, if
   * the records in it are laid out as that version laid them out (the caller's part).
   */
  public static MemoryImage withFormat(MemoryImage image, long format) {
    EnumMap<Space, TreeMap<byte[], byte[]>> contents = new EnumMap<>(Space.class);
    for (var space : image.contents().entrySet()) {
      NavigableMap<byte[], byte[]> entries = space.getValue();
      TreeMap<byte[], byte[]> copy = new TreeMap<>(MemoryEngine.ORDER);
      copy.putAll(entries);
      contents.put(space.getKey(), copy);
    }
    contents.computeIfAbsent(Space.SYS, s -> new TreeMap<>(MemoryEngine.ORDER));
    contents.get(Space.SYS).put(Keys.FORMAT, Keys.u64(format));
    return MemoryImage.of(contents);
  }

  /** The format number stored in {@code image}. */
  public static long formatOf(MemoryImage image) {
    return Keys.u64(image.contents().get(Space.SYS).get(Keys.FORMAT));
  }
}
