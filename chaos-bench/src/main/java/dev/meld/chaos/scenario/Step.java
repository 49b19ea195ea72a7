package dev.meld.chaos.scenario;

import java.util.Objects;

/**
 * One planned nemesis action: at {@code atMillis} after the fault phase began, lane {@code lane}
 * starts or stops {@code nemesis}.
 *
 * @param atMillis when, in milliseconds from the start of the fault phase
 * @param lane the lane that plans it (lanes run side by side; a lane's steps run in order)
 * @param nemesis the nemesis name ({@link NemesisCatalog})
 * @param action start or stop
 * @param aim the nodes a timeline step names ({@link Aim#NONE}: the nemesis' seeded choice)
 */
public record Step(long atMillis, int lane, String nemesis, Action action, Aim aim) {

  /** Whether a step injects a fault or ends it. */
  public enum Action {
    START,
    STOP
  }

  public Step {
    if (atMillis < 0 || lane < 0) {
      throw new IllegalArgumentException(
          "atMillis: " + atMillis + ", lane: " + lane + " (expected: both >= 0)");
    }
    Objects.requireNonNull(nemesis, "nemesis");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(aim, "aim");
  }

  /** A step with the nemesis' seeded choice of targets. */
  public Step(long atMillis, int lane, String nemesis, Action action) {
    this(atMillis, lane, nemesis, action, Aim.NONE);
  }

  /** This step moved to {@code millis}. */
  public Step at(long millis) {
    return new Step(millis, lane, nemesis, action, aim);
  }

  @Override
  public String toString() {
    return String.format("%7.3f s  lane %d  %s %s", atMillis / 1000.0, lane, action, nemesis)
        + (aim.none() ? "" : "  " + aim);
  }
}
