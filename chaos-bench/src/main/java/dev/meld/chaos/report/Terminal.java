package dev.meld.chaos.report;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, and whether to colour it. */
public final class Terminal {

  private Terminal() {}

  /**
   * True if the process talks to a terminal. Up to JDK 21 that is {@code System.console() != null};
   * from JDK 22 a console exists even when output is redirected, and {@code Console.isTerminal()}
   * tells.
   */
  public static boolean isTty() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22 a console means a terminal
    }
  }

  /** Colour on a terminal, unless {@code NO_COLOR} is set (no-color.org) or {@code TERM=dumb}. */
  public static boolean colour() {
    return isTty() && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }

  /**
   * A string from a run made safe to print: control characters (which could move the cursor or
   * change colours) become {@code ?}.
   */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }

  /** The terminal's width from {@code COLUMNS}, or 120. */
  static int columns() {
    try {
      int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120").trim());
      return c >= 40 ? c : 120;
    } catch (NumberFormatException e) {
      return 120;
    }
  }
}
