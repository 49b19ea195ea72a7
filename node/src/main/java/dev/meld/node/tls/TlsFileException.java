package dev.meld.node.tls;

import java.nio.file.Path;

/** A certificate or key file that cannot be used; the message names the file and the problem. */
public final class TlsFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  TlsFileException(String what, Path file, String problem) {
    super(what + " " + file + ": " + problem);
  }
}
