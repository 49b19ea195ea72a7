package dev.meld.antientropy;

/**
 * How a replica runs sync sessions. The initiator's fan-out and widths travel in {@link
 * SyncMessage.Hello} and the responder adopts them; each side chunks its own messages under its own
 * {@code maxMessageBytes}.
 *
 * @param fanoutBits each descent step splits a segment into {@code 2^fanoutBits} children (1..8)
 * @param digestBytes width of the salted interior digests compared while descending (1..8); a
 *     difference hides behind an equal truncated digest with probability {@code 2^(-8 *
 *     digestBytes)} per comparison, and because the salt changes every session, the next session
 *     finds it
 * @param fingerprintBytes width of the salted per-record fingerprints in differing leaves (1..8)
 * @param maxMessageBytes upper bound on one encoded message; large leaves and repairs are split
 *     across rounds to stay under it
 */
public record SyncConfig(
    int fanoutBits, int digestBytes, int fingerprintBytes, int maxMessageBytes) {

  /** Fan-out 16, 4-byte interior digests, 8-byte record fingerprints, 1 MiB messages. */
  public static final SyncConfig DEFAULT = new SyncConfig(4, 4, 8, 1 << 20);

  public SyncConfig {
    checkWidths(fanoutBits, digestBytes, fingerprintBytes);
    int least = minMessageBytes(fanoutBits, digestBytes);
    if (maxMessageBytes < least || maxMessageBytes > SyncCodec.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes: "
              + maxMessageBytes
              + " (expected: "
              + least
              + ".."
              + SyncCodec.MAX_FRAME_BYTES
              + ")");
    }
  }

  /** This configuration with another message size bound. */
  public SyncConfig withMaxMessageBytes(int bytes) {
    return new SyncConfig(fanoutBits, digestBytes, fingerprintBytes, bytes);
  }

  /** This configuration with another fan-out. */
  public SyncConfig withFanoutBits(int bits) {
    return new SyncConfig(bits, digestBytes, fingerprintBytes, maxMessageBytes);
  }

  /** This configuration with other digest and fingerprint widths. */
  public SyncConfig withWidths(int digestWidth, int fingerprintWidth) {
    return new SyncConfig(fanoutBits, digestWidth, fingerprintWidth, maxMessageBytes);
  }

  /** The smallest message bound that still fits one segment's child digests with room to spare. */
  static int minMessageBytes(int fanoutBits, int digestBytes) {
    return 128 + (digestBytes << fanoutBits);
  }

  static void checkWidths(int fanoutBits, int digestBytes, int fingerprintBytes) {
    if (fanoutBits < 1 || fanoutBits > 8) {
      throw new IllegalArgumentException("fanoutBits: " + fanoutBits + " (expected: 1..8)");
    }
    if (digestBytes < 1 || digestBytes > 8) {
      throw new IllegalArgumentException("digestBytes: " + digestBytes + " (expected: 1..8)");
    }
    if (fingerprintBytes < 1 || fingerprintBytes > 8) {
      throw new IllegalArgumentException(
          "fingerprintBytes: " + fingerprintBytes + " (expected: 1..8)");
    }
  }
}
