package dev.meld.chaos.report;

import java.util.Locale;

/**
 * Writes markup that is both HTML5 and well-formed XML (every element closed, attributes quoted, no
 * named entities), so tests can read a page with the JDK's XML parser. Every text and attribute
 * value goes through {@link #escape}; only constants of this package go through {@link #raw}.
 */
final class Html {

  private final StringBuilder out;

  Html(StringBuilder out) {
    this.out = out;
  }

  Html() {
    this(new StringBuilder(1 << 16));
  }

  /**
   * Escapes {@code & < > " '} and replaces what XML 1.0 cannot carry at all (control characters
   * other than tab and line breaks, lone surrogates) with U+FFFD.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          boolean control = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
          boolean notXml = cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF);
          if (control || notXml) {
            b.append('\uFFFD');
          } else {
            b.appendCodePoint(cp);
          }
      }
    }
    return b.toString();
  }

  /** {@code <tag a="v" ...>}; attributes come in name, value pairs, a null value is left out. */
  Html open(String tag, String... attributes) {
    out.append('<').append(tag);
    attrs(attributes);
    out.append('>');
    return this;
  }

  Html close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  /** A self-closed element, for HTML void elements and SVG. */
  Html empty(String tag, String... attributes) {
    out.append('<').append(tag);
    attrs(attributes);
    out.append("/>");
    return this;
  }

  /** An element holding only text. */
  Html el(String tag, Object text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  /** {@code <table class=..><thead><tr><th>col</th>...</tr></thead><tbody>}; close both later. */
  Html tableWithHead(String cssClass, String... columns) {
    open("table", "class", cssClass).open("thead").open("tr");
    for (String col : columns) {
      el("th", col);
    }
    return close("tr").close("thead").open("tbody");
  }

  Html text(Object text) {
    out.append(escape(String.valueOf(text)));
    return this;
  }

  /** Markup written by this package, never data. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  private void attrs(String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes: " + attributes.length + " strings (expected: name, value pairs)");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ')
            .append(attributes[i])
            .append("=\"")
            .append(escape(attributes[i + 1]))
            .append('"');
      }
    }
  }

  /** A coordinate for SVG: one decimal, no exponent, locale-independent. */
  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
