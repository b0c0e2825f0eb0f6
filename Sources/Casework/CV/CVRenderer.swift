import TextCells

/// The three CV formats: plain text for printing at 80 columns, Markdown, and HTML with a print
/// stylesheet for one A4 page. Every text from the case is escaped for the format.
public enum CVFormat: String, CaseIterable, Sendable {
  case text = "cv-text"
  case markdown = "cv-md"
  case html = "cv-html"

  public var fileExtension: String {
    switch self {
    case .text: "txt"
    case .markdown: "md"
    case .html: "html"
    }
  }
}

extension CurriculumVitae {
  public func rendered(as format: CVFormat) -> String {
    switch format {
    case .text: plainText()
    case .markdown: markdown()
    case .html: html()
    }
  }

  // MARK: Plain text

  /// 80 columns wide, CJK and other wide characters counted as two.
  public func plainText(width: Int = 80) -> String {
    var out: [String] = []
    func heading(_ text: String) {
      out.append("")
      out.append(text.uppercased())
      out.append(String(repeating: "─", count: min(width, TextWidth.width(of: text))))
    }
    func wrapped(_ text: String, indent: Int = 0) {
      let pad = String(repeating: " ", count: indent)
      for line in TextWidth.wordWrap(clean(text), width: width - indent) { out.append(pad + line) }
    }
    func item(_ label: String, _ value: String) {
      let labelWidth = 24
      let lines = TextWidth.wordWrap(clean(value), width: width - labelWidth - 2)
      for (i, line) in lines.enumerated() {
        out.append((i == 0 ? TextWidth.pad(clean(label), to: labelWidth) : String(repeating: " ", count: labelWidth)) + "  " + line)
      }
    }
    let title = clean(name)
    out.append(String(repeating: " ", count: max(0, (width - TextWidth.width(of: title)) / 2)) + title)
    out.append(String(repeating: " ", count: max(0, (width - TextWidth.width(of: label("title"))) / 2)) + label("title"))
    heading(label("personal"))
    for p in personal { item(p.label, p.value) }
    func entries(_ list: [Entry]) {
      for (i, e) in list.enumerated() {
        if i > 0 { out.append("") }
        let period = e.period.isEmpty ? "" : e.period
        item(period, e.title)
        if !e.place.isEmpty { item("", e.place) }
        for d in e.details { item("", d) }
      }
    }
    if !work.isEmpty {
      heading(label("work"))
      entries(work)
    }
    if !education.isEmpty {
      heading(label("education"))
      entries(education)
    }
    if !motherTongues.isEmpty || !languages.isEmpty {
      heading(label("languages"))
      if !motherTongues.isEmpty { item(label("motherTongues"), motherTongues.joined(separator: ", ")) }
      if !languages.isEmpty {
        out.append("")
        let first = 20
        let columns = ["listening", "reading", "interaction", "production", "writing"].map(label)
        let cell = (width - first) / 5
        out.append(String(repeating: " ", count: first) + TextWidth.pad(label("understanding"), to: cell * 2) + TextWidth.pad(label("speaking"), to: cell * 2) + label("writing"))
        out.append(TextWidth.pad(label("language"), to: first) + columns.map { TextWidth.pad($0, to: cell - 1) + " " }.joined())
        for row in languages {
          out.append(TextWidth.pad(clean(row.language), to: first) + row.levels.map { TextWidth.pad($0, to: cell) }.joined())
        }
        out.append("")
        wrapped(label("cefrNote"))
      }
    }
    if !digital.isEmpty {
      heading(label("digital"))
      for d in digital { wrapped(d) }
    }
    if !driving.isEmpty {
      heading(label("driving"))
      wrapped(driving)
    }
    if !other.isEmpty {
      heading(label("other"))
      for o in other { item(o.label, o.value) }
    }
    out.append("")
    out.append(footer)
    return out.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
      .joined(separator: "\n") + "\n"
  }

  /// Control characters (other than in the layout) would move the printer or terminal.
  private func clean(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map {
      $0.properties.generalCategory == .control ? " " : $0
    }))
  }

  // MARK: Markdown

  public func markdown() -> String {
    var out: [String] = []
    func esc(_ text: String) -> String { CVEscape.markdown(clean(text)) }
    func line(_ text: String) -> String { CVEscape.markdown(clean(text), atLineStart: true) }
    out.append("# \(esc(name))")
    out.append("")
    out.append("*\(esc(label("title")))*")
    func heading(_ key: String) {
      out.append("")
      out.append("## \(esc(label(key)))")
      out.append("")
    }
    heading("personal")
    for p in personal { out.append("- **\(esc(p.label))**: \(esc(p.value))") }
    func entries(_ key: String, _ list: [Entry]) {
      guard !list.isEmpty else { return }
      heading(key)
      for e in list {
        out.append("### \(esc(e.title))" + (e.period.isEmpty ? "" : " (\(esc(e.period)))"))
        out.append("")
        if !e.place.isEmpty { out.append(line(e.place) + "  ") }
        for d in e.details { out.append(line(d) + "  ") }
        out.append("")
      }
      if out.last == "" { out.removeLast() }
    }
    entries("work", work)
    entries("education", education)
    if !motherTongues.isEmpty || !languages.isEmpty {
      heading("languages")
      if !motherTongues.isEmpty {
        out.append("**\(esc(label("motherTongues")))**: \(esc(motherTongues.joined(separator: ", ")))")
      }
      if !languages.isEmpty {
        out.append("")
        let head = ["language", "listening", "reading", "interaction", "production", "writing"].map { esc(label($0)) }
        out.append("| " + head.joined(separator: " | ") + " |")
        out.append("|" + String(repeating: "---|", count: head.count))
        for row in languages {
          out.append("| " + ([row.language] + row.levels).map(esc).joined(separator: " | ") + " |")
        }
        out.append("")
        out.append("*\(esc(label("cefrNote")))*")
      }
    }
    if !digital.isEmpty {
      heading("digital")
      out.append(digital.map(line).joined(separator: "  \n"))
    }
    if !driving.isEmpty {
      heading("driving")
      out.append(line(driving))
    }
    if !other.isEmpty {
      heading("other")
      for o in other { out.append("- **\(esc(o.label))**: \(esc(o.value))") }
    }
    out.append("")
    out.append("---")
    out.append("")
    out.append(line(footer))
    return out.joined(separator: "\n") + "\n"
  }

  // MARK: HTML

  public func html() -> String {
    func esc(_ text: String) -> String { CVEscape.html(clean(text)) }
    var body: [String] = []
    body.append("<header><h1>\(esc(name))</h1><p class=\"subtitle\">\(esc(label("title")))</p></header>")
    func section(_ key: String, _ inner: [String]) {
      body.append("<section><h2>\(esc(label(key)))</h2>")
      body += inner
      body.append("</section>")
    }
    func items(_ list: [Item]) -> [String] {
      ["<dl>"] + list.map { "<dt>\(esc($0.label))</dt><dd>\(esc($0.value))</dd>" } + ["</dl>"]
    }
    func entries(_ list: [Entry]) -> [String] {
      list.map { e in
        var html = "<div class=\"entry\"><div class=\"period\">\(esc(e.period))</div><div><h3>\(esc(e.title))</h3>"
        if !e.place.isEmpty { html += "<p class=\"place\">\(esc(e.place))</p>" }
        for d in e.details { html += "<p>\(esc(d))</p>" }
        return html + "</div></div>"
      }
    }
    section("personal", items(personal))
    if !work.isEmpty { section("work", entries(work)) }
    if !education.isEmpty { section("education", entries(education)) }
    if !motherTongues.isEmpty || !languages.isEmpty {
      var inner: [String] = []
      if !motherTongues.isEmpty {
        inner.append("<p><strong>\(esc(label("motherTongues")))</strong>: \(esc(motherTongues.joined(separator: ", ")))</p>")
      }
      if !languages.isEmpty {
        inner.append("<table class=\"cefr\"><thead>")
        inner.append("<tr><th rowspan=\"2\" scope=\"col\">\(esc(label("language")))</th><th colspan=\"2\" scope=\"colgroup\">\(esc(label("understanding")))</th><th colspan=\"2\" scope=\"colgroup\">\(esc(label("speaking")))</th><th scope=\"col\">\(esc(label("writing")))</th></tr>")
        inner.append("<tr>" + ["listening", "reading", "interaction", "production", "writing"].map { "<th scope=\"col\">\(esc(label($0)))</th>" }.joined() + "</tr>")
        inner.append("</thead><tbody>")
        for row in languages {
          inner.append("<tr><th scope=\"row\">\(esc(row.language))</th>" + row.levels.map { "<td>\(esc($0))</td>" }.joined() + "</tr>")
        }
        inner.append("</tbody></table>")
        inner.append("<p class=\"note\">\(esc(label("cefrNote")))</p>")
      }
      section("languages", inner)
    }
    if !digital.isEmpty { section("digital", digital.map { "<p>\(esc($0))</p>" }) }
    if !driving.isEmpty { section("driving", ["<p>\(esc(driving))</p>"]) }
    if !other.isEmpty { section("other", items(other)) }
    body.append("<footer>\(esc(footer))</footer>")
    return """
      <!DOCTYPE html>
      <html lang="\(esc(labels["lang"] ?? "en"))">
      <head>
      <meta charset="utf-8">
      <title>\(esc(name)) — \(esc(label("title")))</title>
      <style>
      @page { size: A4; margin: 12mm 15mm; }
      body { font: 9.5pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 180mm; margin: 0 auto; }
      header { border-bottom: 2px solid #1f4e79; margin-bottom: 2.5mm; }
      h1 { font-size: 16pt; margin: 0; color: #1f4e79; }
      .subtitle { margin: 0 0 1.5mm; color: #555; }
      h2 { font-size: 10pt; color: #1f4e79; border-bottom: 1px solid #bbb; margin: 3mm 0 1.5mm; text-transform: uppercase; letter-spacing: .04em; }
      h3 { font-size: 9.5pt; margin: 0; }
      p { margin: 0 0 .5mm; }
      dl { display: grid; grid-template-columns: 42mm 1fr; gap: .5mm 4mm; margin: 0; }
      dt { color: #555; }
      dd { margin: 0; }
      .entry { display: grid; grid-template-columns: 28mm 1fr; gap: 4mm; margin-bottom: 1.5mm; break-inside: avoid; }
      .period, .place, .note, footer { color: #555; }
      table.cefr { border-collapse: collapse; margin: 1mm 0; }
      table.cefr th, table.cefr td { border: 1px solid #bbb; padding: .4mm 2.5mm; text-align: center; font-size: 8.5pt; }
      table.cefr th[scope=row] { text-align: left; }
      .note { font-size: 8pt; }
      footer { margin-top: 3mm; font-size: 8pt; }
      @media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
      </style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
  }
}

/// Escaping of case text for the export formats.
public enum CVEscape {
  /// `&`, `<`, `>`, `"` and `'` as character references.
  public static func html(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }

  /// Markdown's inline punctuation backslash-escaped, a line-starting list or heading marker
  /// escaped, and `<`/`>`/`&` as HTML references so that a Markdown renderer never sees a tag.
  public static func markdown(_ text: String, atLineStart: Bool = false) -> String {
    var out = ""
    for c in text {
      switch c {
      case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\\(c)"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "\n": out += " "
      default: out.append(c)
      }
    }
    guard atLineStart else { return out }
    if let first = out.first, "#-+=>".contains(first) {
      out = "\\" + out
    } else if let dot = out.firstIndex(of: "."), !out[..<dot].isEmpty, out[..<dot].allSatisfy(\.isASCII), out[..<dot].allSatisfy(\.isNumber) {
      out.insert("\\", at: dot)
    }
    return out
  }
}
