/// The page around a report: XHTML (well-formed XML, so tools can parse it), inline CSS, no
/// scripts and nothing fetched from the network; prints on A4 and Letter.
enum HTMLPage {
    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
          max-width: 920px; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
        .meta { color: #555; font-size: 0.9em; }
        table { border-collapse: collapse; font-size: 0.88em; margin: 0.5em 0; }
        th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #e0e0e0; text-align: left; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        .warning { background: #fff8e1; border-left: 4px solid #f9a825; padding: 0.4em 0.8em; margin: 0.4em 0; }
        .note { color: #555; font-size: 0.85em; }
        .pair { display: flex; flex-wrap: wrap; gap: 1em; }
        .small-multiples { display: flex; flex-wrap: wrap; gap: 0.5em; }
        svg { max-width: 100%; height: auto; }
        figure { margin: 0.6em 0; }
        figcaption { font-size: 0.85em; color: #555; }
        @page { margin: 12mm; }
        @media print {
          body { max-width: none; margin: 0; font-size: 10pt; }
          section { break-inside: avoid-page; }
          figure, table { break-inside: avoid; }
          .warning { border: 1px solid #f9a825; }
        }
        """

    /// A complete page with `title` and `body` (already XHTML).
    static func render(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escaped(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
