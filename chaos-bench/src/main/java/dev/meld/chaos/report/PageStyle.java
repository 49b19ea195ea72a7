package dev.meld.chaos.report;

/** The pages' shared head: inline CSS only, so a page needs no network and no other file. */
final class PageStyle {

  private PageStyle() {}

  private static final String CSS =
      ":root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--panel:#f6f8fa}"
          + "*{box-sizing:border-box}"
          + "body{margin:0 auto;max-width:1360px;padding:20px 28px 40px;background:var(--bg);color:var(--fg);"
          + "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',sans-serif}"
          + "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;"
          + "border-bottom:1px solid var(--line)}"
          + "a{color:#0550ae}code,pre{font:12px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace}"
          + "pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px;"
          + "overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}"
          + ".facts{color:var(--muted);margin:0}.facts b{color:var(--fg);font-weight:600}"
          + ".badge{display:inline-block;padding:1px 9px;border-radius:12px;font-size:12px;font-weight:700;"
          + "letter-spacing:.04em;vertical-align:middle;color:#fff}"
          + ".v-valid{background:#1a7f37}.v-invalid{background:#cf222e}.v-unknown{background:#9a6700}"
          + ".v-skipped{background:#59636e}"
          + ".violations{border:1px solid #cf222e;background:#ffebe9;border-radius:6px;padding:8px 14px;"
          + "margin:14px 0}.violations h2{border:0;margin:4px 0;color:#a40e26}"
          + "table{border-collapse:collapse;margin:6px 0}th,td{border-bottom:1px solid var(--line);"
          + "padding:4px 12px 4px 0;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600}"
          + "td.n{text-align:right;font-variant-numeric:tabular-nums}"
          + ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}"
          + ".card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px;"
          + "background:var(--panel)}.card .k{color:var(--muted);font-size:12px}.card .v{font-size:18px;"
          + "font-weight:600}"
          + "figure{margin:8px 0 18px}figcaption{color:var(--muted);font-size:13px}"
          + "svg.chart{width:100%;height:auto;display:block;font:11px system-ui,'DejaVu Sans',sans-serif}"
          + "svg .plot-area{fill:#fff}svg .frame{fill:none;stroke:#8c959f}svg .grid line{stroke:#eaeef2}"
          + "svg .axes text,svg .legend text,svg .lane-label{fill:#424a53}"
          + "svg .axis-label{font-size:12px;fill:#24292f}"
          + "svg .phase-0{fill:#d8dee4}svg .phase-1{fill:#eaeef2}svg .phase-label{fill:#24292f;font-size:10px}"
          + "svg .fault-bar{fill-opacity:.9}svg .fault-bar.unverified{stroke:#cf222e;stroke-width:2}"
          + "svg .fault-label{fill:#1f2328;font-size:10px}"
          + "details{border:1px solid var(--line);border-radius:6px;padding:6px 12px;margin:8px 0}"
          + "summary{cursor:pointer}summary .counts{color:var(--muted);margin-left:8px}"
          + ".errors li{font:12px ui-monospace,'DejaVu Sans Mono',monospace;word-break:break-all}"
          + ".swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}"
          + "tr.unverified td{background:#ffebe9}"
          + "footer{margin-top:30px;color:var(--muted);font-size:12px}";

  /** The head: charset, title and the style sheet. */
  static void head(Html h, String title) {
    h.raw("<!DOCTYPE html>\n")
        .open("html", "lang", "en")
        .open("head")
        .empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .el("title", title)
        .open("style")
        .raw(CSS)
        .close("style")
        .close("head");
  }

  /** A verdict badge: VALID, INVALID, UNKNOWN or SKIPPED. */
  static void badge(Html h, String word) {
    h.el("span", word, "class", "badge v-" + word.toLowerCase(java.util.Locale.ROOT));
  }
}
