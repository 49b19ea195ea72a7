package dev.meld.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The highest RocksDB sequence number this store has acknowledged, kept beside the database in
 * {@value #FILE_NAME}, so an open can tell a WAL that lost acknowledged writes from one that only
 * lost the write in flight when the process died.
 *
 * <p>Why a file of our own: the WAL cannot vouch for itself. A WAL cut in half and a WAL whose last
 * record was torn by a kill both end in a partial record; RocksDB's strict mode refuses both, its
 * lenient modes accept both. The mark says how far the WAL must reach. It is a memory-mapped page
 * updated after every write returns: no system call per commit, and like the WAL's own bytes it
 * sits in the page cache, so it survives a killed process exactly as the acknowledged writes do.
 * It is forced to disk on close. After a power loss it may be ahead of an unsynced WAL; then
 * acknowledged writes really were lost, and the open says so.
 *
 * <pre>magic "MELDACK1" (8) ‖ sequence (u64 BE)</pre>
 */
final class AckMark implements AutoCloseable {

  static final String FILE_NAME = "MELD-ACKNOWLEDGED";

  /** "MELDACK1" in ASCII. */
  private static final long MAGIC = 0x4d454c4441434b31L;
  private static final int SIZE = 16;

  private final FileChannel channel;
  private final MappedByteBuffer page;
  private long acknowledged;

  private AckMark(FileChannel channel, MappedByteBuffer page, long acknowledged) {
    this.channel = channel;
    this.page = page;
    this.acknowledged = acknowledged;
  }

  /**
   * The mark stored in {@code dir}, if there is a valid one. A missing, short or foreign file is
   * "no mark": a store from before marks existed, or one whose mark never reached the disk.
   */
  static OptionalLong read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != SIZE) {
        return OptionalLong.empty();
      }
      ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
      if (in.getLong() != MAGIC) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(in.getLong());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Opens (creating if needed) the mark in {@code dir} and sets it to {@code sequence}. */
  static AckMark open(Path dir, long sequence) {
    Path file = dir.resolve(FILE_NAME);
    try {
      boolean created = !Files.exists(file);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        MappedByteBuffer page = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        page.putLong(0, MAGIC).putLong(8, sequence);
        page.force();
        if (created) {
          try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
          }
        }
        return new AckMark(channel, page, sequence);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /** Records that every write up to {@code sequence} has been acknowledged. Never moves back. */
  synchronized void advance(long sequence) {
    if (sequence > acknowledged) {
      acknowledged = sequence;
      page.putLong(8, sequence);
    }
  }

  /** Forces the mark to disk and releases the file. */
  @Override
  public synchronized void close() {
    try {
      page.force();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + FILE_NAME, e);
    }
  }
}
