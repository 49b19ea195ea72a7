package dev.meld.node.store;

import org.rocksdb.InfoLogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB's info log, sent to SLF4J instead of a {@code LOG} file in the store directory. Besides
 * one place for all logs, this keeps opens from renaming and creating files that a failed open
 * would then have to put back (see {@link StoreDirectory}).
 */
final class RocksLog extends org.rocksdb.Logger {

  private static final Logger log = LoggerFactory.getLogger("org.rocksdb");

  RocksLog() {
    super(InfoLogLevel.WARN_LEVEL);
  }

  @Override
  protected void log(InfoLogLevel level, String message) {
    switch (level) {
      case DEBUG_LEVEL -> log.debug(message);
      case INFO_LEVEL, HEADER_LEVEL -> log.info(message);
      case WARN_LEVEL -> log.warn(message);
      default -> log.error(message);
    }
  }
}
