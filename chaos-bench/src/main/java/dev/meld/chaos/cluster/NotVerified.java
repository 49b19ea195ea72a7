package dev.meld.chaos.cluster;

/** A fault that was applied but not seen to take effect, or could not be applied; says why. */
public final class NotVerified extends Exception {

  public NotVerified(String detail) {
    super(detail);
  }

  /** Throws with {@code failure} unless {@code condition} holds. */
  public static void check(boolean condition, String failure) throws NotVerified {
    if (!condition) {
      throw new NotVerified(failure);
    }
  }
}
