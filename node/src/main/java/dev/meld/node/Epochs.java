package dev.meld.node;

/**
 * A counter of replica events that need ordering among themselves: a drain beginning, a log gap
 * reported, a sync session starting. "A session that started after the drain began" is a comparison
 * of two epochs; clock readings could tie within one millisecond.
 */
final class Epochs {

  private long last;

  /** A new epoch, after every one issued before. */
  long next() {
    return ++last;
  }
}
