package dev.meld.node.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The bytes a store directory takes on disk, measured by listing its files at most once per
 * {@code refreshMillis} (RocksDB keeps a few dozen files, so a listing is cheap).
 */
final class StoreSize {

  private final Path directory;
  private final long refreshNanos;
  private long measuredAt;
  private long bytes = -1;

  StoreSize(Path directory, long refreshMillis) {
    this.directory = directory;
    this.refreshNanos = refreshMillis * 1_000_000;
  }

  synchronized long bytes() {
    long now = System.nanoTime();
    if (bytes < 0 || now - measuredAt >= refreshNanos) {
      bytes = measure(directory);
      measuredAt = now;
    }
    return bytes;
  }

  static long measure(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(StoreSize::size).sum();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    } catch (UncheckedIOException e) { // a directory RocksDB removed while we listed: try again later
      return 0;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) { // a file RocksDB deleted while we listed
      return 0;
    }
  }
}
