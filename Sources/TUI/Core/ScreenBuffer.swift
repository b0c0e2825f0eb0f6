import TextCells

/// One terminal cell: a grapheme and its style. The cell right of a wide grapheme holds "" and
/// is skipped when drawing.
public struct Cell: Sendable, Equatable {
  public var text: String
  public var style: Style

  public init(_ text: String = " ", style: Style = .plain) {
    self.text = text
    self.style = style
  }

  public static let blank = Cell()
}

/// A grid of cells the screens draw into; the terminal copies it to the screen.
public struct ScreenBuffer: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  public private(set) var cells: [Cell]
  /// Rows where text was cut because it did not fit (the 80-column tests read these).
  public private(set) var cutRows: [Int: String] = [:]
  /// The same for text drawn after `beginOverlay()`: help, lists, dialogs, text views.
  public private(set) var overlayCuts: [Int: String] = [:]
  private var drawingOverlay = false

  /// What is drawn from here on is an overlay (its cuts are counted apart).
  public mutating func beginOverlay() { drawingOverlay = true }

  public init(rows: Int, columns: Int) {
    self.rows = max(0, rows)
    self.columns = max(0, columns)
    cells = Array(repeating: .blank, count: self.rows * self.columns)
  }

  public subscript(row: Int, column: Int) -> Cell {
    get { cells[row * columns + column] }
    set { cells[row * columns + column] = newValue }
  }

  /// Writes `text` at (row, column), at most `width` cells (to the right edge by default).
  /// Control characters and other invisible input are shown as "�" so case data can never
  /// move the cursor or send escape sequences to the terminal. Returns the cells used.
  @discardableResult
  public mutating func put(
    _ text: some StringProtocol, row: Int, column: Int, width: Int? = nil, style: Style = .plain
  ) -> Int {
    guard row >= 0, row < rows, column < columns else { return 0 }
    let limit = min(columns, column + (width ?? columns))
    var x = column
    for character in text {
      var shown = String(character)
      var w: Int
      if character.isASCII {
        let v = character.asciiValue!
        if v < 0x20 || v == 0x7F {
          shown = "�"
        }
        w = 1
      } else {
        let drawn = TextWidth.drawn(character)
        if drawn != character { shown = String(drawn) }
        w = TextWidth.width(of: character)
        if w == 0 {
          if character.unicodeScalars.first!.properties.generalCategory == .control
            || character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format })
          {
            shown = "�"
            w = 1
          } else if x > column, x - 1 < limit {
            // A lone combining mark: attach it to the previous cell.
            var back = x - 1
            while back > column, self[row, back].text.isEmpty { back -= 1 }
            self[row, back].text += shown
            continue
          } else {
            shown = "�"
            w = 1
          }
        }
      }
      if x + w > limit {
        if drawingOverlay {
          if overlayCuts[row] == nil { overlayCuts[row] = String(text) }
        } else if cutRows[row] == nil {
          cutRows[row] = String(text)
        }
        // A wide grapheme that does not fit is shown as spaces rather than cut in half.
        while x < limit {
          if x >= 0 { self[row, x] = Cell(" ", style: style) }
          x += 1
        }
        break
      }
      if x >= 0 {
        self[row, x] = Cell(shown, style: style)
        if w == 2 { self[row, x + 1] = Cell("", style: style) }
      }
      x += w
    }
    return x - column
  }

  /// Fills `width` cells of a row with spaces in `style`.
  public mutating func fill(row: Int, column: Int = 0, width: Int? = nil, style: Style) {
    guard row >= 0, row < rows else { return }
    let end = min(columns, column + (width ?? columns))
    var x = max(0, column)
    while x < end {
      self[row, x] = Cell(" ", style: style)
      x += 1
    }
  }

  /// Sets the style of existing cells without changing their text (highlights).
  public mutating func restyle(row: Int, column: Int, width: Int, _ change: (inout Style) -> Void) {
    guard row >= 0, row < rows else { return }
    for x in max(0, column)..<min(columns, column + width) {
      change(&self[row, x].style)
    }
  }

  /// Draws a box outline with an optional title.
  public mutating func box(row: Int, column: Int, height: Int, width: Int, title: String = "",
    style: Style = .plain)
  {
    guard height >= 2, width >= 2 else { return }
    for y in row..<(row + height) {
      fill(row: y, column: column, width: width, style: .plain)
    }
    put("┌" + String(repeating: "─", count: width - 2) + "┐", row: row, column: column, style: style)
    for y in (row + 1)..<(row + height - 1) {
      put("│", row: y, column: column, style: style)
      put("│", row: y, column: column + width - 1, style: style)
    }
    put("└" + String(repeating: "─", count: width - 2) + "┘", row: row + height - 1, column: column,
      style: style)
    if !title.isEmpty {
      put(" \(TextWidth.truncate(title, to: max(1, width - 6))) ", row: row, column: column + 2, width: width - 4, style: Style.title)
    }
  }

  /// A run of changed cells on one row, to send to the terminal.
  public struct Run: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var cells: ArraySlice<Cell>
  }

  /// The runs of cells that differ from `previous` (everything when there is none or its size
  /// differs). Continuation cells of wide graphemes travel with the grapheme before them.
  public func changes(since previous: ScreenBuffer?) -> [Run] {
    let full = previous == nil || previous!.rows != rows || previous!.columns != columns
    var runs: [Run] = []
    for y in 0..<rows {
      let start = y * columns
      var x = 0
      while x < columns {
        if !full, previous!.cells[start + x] == cells[start + x] {
          x += 1
          continue
        }
        var from = x
        // A changed continuation cell redraws its wide grapheme.
        while from > 0, cells[start + from].text.isEmpty { from -= 1 }
        var end = x + 1
        while end < columns, full || previous!.cells[start + end] != cells[start + end]
          || cells[start + end].text.isEmpty
        {
          end += 1
        }
        runs.append(Run(row: y, column: from, cells: cells[(start + from)..<(start + end)]))
        x = end
      }
    }
    return runs
  }

  /// The screen as plain text, one line per row (for golden files and tests).
  public var text: String {
    var lines: [String] = []
    lines.reserveCapacity(rows)
    for y in 0..<rows {
      var line = ""
      for x in 0..<columns { line += self[y, x].text }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
