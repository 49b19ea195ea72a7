package dev.meld.crdt;

/**
 * A decoder's name for the field it reads ("P[n1:1]", "dots of element 7"), joined into text only
 * when an error message uses it. Decoding reads a replica id per vector entry and a dot count per
 * set element; building each name eagerly (a replica id's text, a number's digits) took a few
 * percent of a node's time applying replicated counters.
 */
final class Label {
  private final Object[] parts;

  private Label(Object[] parts) {
    this.parts = parts;
  }

  /** The text of {@code parts} one after the other, each by {@link String#valueOf(Object)}. */
  static Label of(Object... parts) {
    return new Label(parts);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      text.append(part);
    }
    return text.toString();
  }
}
