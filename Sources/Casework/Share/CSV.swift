import Foundation

/// CSV for spreadsheets (RFC 4180: comma-separated, CRLF, quotes doubled), safe to open in
/// Excel or LibreOffice: a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
/// would be run as a formula there, so it gets a leading apostrophe (the OWASP advice) and is
/// shown as the text it is. Numbers are written as numbers.
public enum CSV {
  public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Int)
    case decimal(Double)
  }

  static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// One text cell, neutralised and quoted as needed.
  public static func text(_ value: String) -> String {
    var s = value
    if let first = s.first, formulaStarts.contains(first) { s = "'" + s }
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "'" }) || s != value {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }

  public static func cell(_ cell: Cell) -> String {
    switch cell {
    case .text(let s): return text(s)
    case .number(let n): return String(n)
    case .decimal(let d): return d.isFinite ? String(format: "%.2f", d) : ""
    }
  }

  /// One record, ending in CRLF.
  public static func row(_ cells: [Cell]) -> String {
    cells.map(cell).joined(separator: ",") + "\r\n"
  }
}
