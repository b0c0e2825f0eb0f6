import TextCells

/// Editable text with a cursor that moves by grapheme (what the user sees as one character), so
/// "é" written as e + combining accent, a Tigrinya syllable or an emoji flag is one step.
public struct TextEditor: Sendable, Equatable {
  /// The text, one array of graphemes per line.
  public private(set) var lines: [[Character]]
  /// Cursor line and grapheme index within it.
  public private(set) var line = 0
  public private(set) var column = 0
  public let multiline: Bool
  /// The whole text is selected (a form field just entered): the first printable key replaces
  /// it, Backspace and Delete clear it, arrows and Home/End drop the selection and move, as in
  /// a GUI text box.
  public private(set) var selected = false
  /// Wanted column when moving up and down through shorter lines.
  private var preferredColumn: Int?

  public init(_ text: String = "", multiline: Bool = false) {
    self.multiline = multiline
    if multiline {
      lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    } else {
      lines = [Array(text.replacingOccurrences(of: "\n", with: " "))]
    }
    if lines.isEmpty { lines = [[]] }
    line = lines.count - 1
    column = lines[line].count
  }

  public var text: String { lines.map { String($0) }.joined(separator: "\n") }

  /// Selects the whole text (nothing happens to empty text), cursor at the end.
  public mutating func selectAll() {
    line = lines.count - 1
    column = lines[line].count
    selected = !isEmpty
  }

  /// Drops the selection, keeping the text and the cursor.
  public mutating func deselect() { selected = false }
  public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

  /// Applies an editing key; returns false when the key is not an editing key.
  @discardableResult
  public mutating func handle(_ key: Key) -> Bool {
    if selected {
      selected = false
      switch key {
      case .character(let c) where c != "\n" && c != "\r":
        self = TextEditor("", multiline: multiline)
        insert(c)
        return true
      case .backspace, .delete, .control("h"), .control("d"):
        self = TextEditor("", multiline: multiline)
        return true
      case .left, .home, .control("a"), .control("b"):
        line = 0
        column = 0
        return true
      case .right, .end, .control("e"), .control("f"):
        return true
      default: break
      }
    }
    switch key {
    case .character(let c):
      if c == "\n" || c == "\r" { return insertNewline() }
      insert(c)
    case .enter:
      return insertNewline()
    case .backspace, .control("h"):
      backspace()
    case .delete, .control("d"):
      deleteForward()
    case .left, .control("b"):
      if column > 0 {
        column -= 1
      } else if line > 0 {
        line -= 1
        column = lines[line].count
      }
      preferredColumn = nil
    case .right, .control("f"):
      if column < lines[line].count {
        column += 1
      } else if line < lines.count - 1 {
        line += 1
        column = 0
      }
      preferredColumn = nil
    case .home, .control("a"):
      column = 0
      preferredColumn = nil
    case .end, .control("e"):
      column = lines[line].count
      preferredColumn = nil
    case .up:
      guard multiline, line > 0 else { return multiline }
      let want = preferredColumn ?? column
      line -= 1
      column = min(want, lines[line].count)
      preferredColumn = want
    case .down:
      guard multiline, line < lines.count - 1 else { return multiline }
      let want = preferredColumn ?? column
      line += 1
      column = min(want, lines[line].count)
      preferredColumn = want
    case .control("u"):
      lines[line].removeSubrange(0..<column)
      column = 0
    case .control("k"):
      lines[line].removeSubrange(column...)
    case .control("w"):
      deleteWordBackward()
    default:
      return false
    }
    return true
  }

  public mutating func insert(_ character: Character) {
    // A combining mark typed on its own joins the grapheme before it, as it would on paper.
    if column > 0, character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .enclosingMark }) {
      let joined = String(lines[line][column - 1]) + String(character)
      if joined.count == 1 {
        lines[line][column - 1] = joined.first!
        return
      }
    }
    lines[line].insert(character, at: column)
    column += 1
    preferredColumn = nil
  }

  public mutating func insert(_ text: String) {
    for c in text {
      if c == "\n" { _ = insertNewline() } else { insert(c) }
    }
  }

  private mutating func insertNewline() -> Bool {
    guard multiline else { return false }
    let rest = Array(lines[line][column...])
    lines[line].removeSubrange(column...)
    lines.insert(rest, at: line + 1)
    line += 1
    column = 0
    preferredColumn = nil
    return true
  }

  private mutating func backspace() {
    if column > 0 {
      lines[line].remove(at: column - 1)
      column -= 1
    } else if line > 0 {
      let rest = lines.remove(at: line)
      line -= 1
      column = lines[line].count
      lines[line] += rest
    }
    preferredColumn = nil
  }

  private mutating func deleteForward() {
    if column < lines[line].count {
      lines[line].remove(at: column)
    } else if line < lines.count - 1 {
      let next = lines.remove(at: line + 1)
      lines[line] += next
    }
  }

  private mutating func deleteWordBackward() {
    var start = column
    while start > 0, lines[line][start - 1] == " " { start -= 1 }
    while start > 0, lines[line][start - 1] != " " { start -= 1 }
    lines[line].removeSubrange(start..<column)
    column = start
  }

  /// One screen row of wrapped text: which line, which graphemes.
  public struct VisualRow: Equatable, Sendable {
    public var line: Int
    public var range: Range<Int>
  }

  /// The text wrapped to `width` cells (at word boundaries where possible).
  public func visualRows(width: Int) -> [VisualRow] {
    var rows: [VisualRow] = []
    let width = max(2, width)
    for (index, graphemes) in lines.enumerated() {
      if graphemes.isEmpty {
        rows.append(VisualRow(line: index, range: 0..<0))
        continue
      }
      var start = 0
      while start < graphemes.count {
        var used = 0
        var end = start
        var lastSpace: Int?
        while end < graphemes.count {
          let w = TextWidth.width(of: graphemes[end])
          if used + w > width - 1 { break }  // keep one cell for the cursor at the end
          if graphemes[end] == " " { lastSpace = end }
          used += w
          end += 1
        }
        if end < graphemes.count, let space = lastSpace, space > start { end = space + 1 }
        if end == start { end = start + 1 }
        rows.append(VisualRow(line: index, range: start..<end))
        start = end
      }
    }
    return rows
  }

  /// Where the cursor is in the wrapped text: row index and cell offset.
  public func cursorPosition(width: Int) -> (row: Int, cell: Int) {
    let rows = visualRows(width: width)
    for (i, r) in rows.enumerated() where r.line == line {
      let isLastOfLine = i + 1 == rows.count || rows[i + 1].line != line
      if column >= r.range.lowerBound && (column < r.range.upperBound || isLastOfLine) {
        let cells = TextWidth.width(of: String(lines[line][r.range.lowerBound..<column]))
        return (i, cells)
      }
    }
    return (0, 0)
  }
}
