import TextCells
import Testing

@testable import TUI

@Suite struct TextTests {
  @Test func widthsOfWideAndCombiningCharacters() {
    #expect(TextWidth.width(of: "abc") == 3)
    #expect(TextWidth.width(of: "日本") == 4)
    #expect(TextWidth.width(of: "🙂") == 2)
    #expect(TextWidth.width(of: "e\u{301}") == 1)
    #expect(TextWidth.width(of: "ሰላም") == 3)
    #expect(TextWidth.width(of: "ليلى") == 4)
  }

  /// ASCII text is counted byte by byte; the sum must be the character-by-character one, with
  /// control bytes, DEL, a "\r\n" pair and a substring among them.
  @Test func asciiTextIsCountedAsItsCharactersAre() {
    func byCharacter(_ text: some StringProtocol) -> Int { text.reduce(0) { $0 + TextWidth.width(of: $1) } }
    var generator = SystemRandomNumberGenerator()
    var samples = ["", "abc", "a\r\nb", "\r\n", "\u{7F}x", "\t\u{1B}[31mred", "K-2026-0001  Layla Haddad  coord"]
    for _ in 0..<500 {
      samples.append(String(decoding: (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }, as: UTF8.self))
    }
    for text in samples {
      #expect(TextWidth.width(of: text) == byCharacter(text), "\(Array(text.utf8))")
      let tail = text.dropFirst(min(2, text.count))
      #expect(TextWidth.width(of: tail) == byCharacter(tail), "\(Array(tail.utf8))")
    }
    // Not ASCII from the first wide character on: the slow way still counts it.
    #expect(TextWidth.width(of: "ab日") == 4 && TextWidth.width(of: "ab\u{301}") == 2)
  }

  @Test func bufferPlacesWideCharactersInTwoCells() {
    var buffer = ScreenBuffer(rows: 1, columns: 8)
    let used = buffer.put("日a🙂e\u{301}", row: 0, column: 0)
    #expect(used == 6)
    #expect(buffer[0, 0].text == "日")
    #expect(buffer[0, 1].text == "")
    #expect(buffer[0, 2].text == "a")
    #expect(buffer[0, 3].text == "🙂")
    #expect(buffer[0, 5].text == "e\u{301}")
    #expect(buffer[0, 6].text == " ")
  }

  @Test func aWideCharacterThatDoesNotFitIsNotCutInHalf() {
    var buffer = ScreenBuffer(rows: 1, columns: 3)
    buffer.put("ab日", row: 0, column: 0)
    #expect(buffer.text == "ab ")
  }

  @Test func controlCharactersInCaseDataCannotReachTheTerminal() {
    var buffer = ScreenBuffer(rows: 1, columns: 12)
    buffer.put("a\u{1B}[2Jb\nc\u{202E}", row: 0, column: 0)
    #expect(!buffer.text.contains("\u{1B}"))
    #expect(!buffer.text.contains("\n"))
    #expect(buffer.text.hasPrefix("a�[2Jb�c�"))
  }

  @Test func diffSendsOnlyChangedCells() {
    var a = ScreenBuffer(rows: 3, columns: 10)
    a.put("hello", row: 1, column: 0)
    var b = a
    b.put("j", row: 1, column: 0)
    b.put("日", row: 2, column: 4)
    let runs = b.changes(since: a)
    #expect(runs.count == 2)
    #expect(runs[0].row == 1 && runs[0].column == 0 && runs[0].cells.count == 1)
    #expect(runs[1].row == 2 && runs[1].column == 4 && runs[1].cells.map(\.text) == ["日", ""])
    #expect(b.changes(since: b).isEmpty)
    #expect(b.changes(since: nil).count == 3, "no previous frame: every row")
  }

  @Test func cursorMovesByGrapheme() {
    var editor = TextEditor("ae\u{301}🇧🇪b")
    #expect(editor.column == 4)
    editor.handle(.left)
    editor.handle(.left)
    editor.handle(.backspace)
    #expect(editor.text == "a🇧🇪b", "backspace removes e + combining accent together")
    editor.handle(.home)
    editor.handle(.right)
    editor.handle(.delete)
    #expect(editor.text == "ab", "delete removes the whole flag")
  }

  @Test func typedCombiningMarkJoinsThePreviousCharacter() {
    var editor = TextEditor("")
    editor.insert("e")
    editor.insert("\u{301}")
    #expect(editor.lines[0].count == 1)
    #expect(editor.text == "e\u{301}")
  }

  @Test func multilineEditingAndWrapping() {
    var editor = TextEditor("", multiline: true)
    editor.insert("een twee drie vier")
    editor.handle(.enter)
    editor.insert("日本語テキスト")
    #expect(editor.lines.count == 2)
    let rows = editor.visualRows(width: 10)
    let shown = rows.map { String(editor.lines[$0.line][$0.range]) }
    #expect(shown == ["een twee ", "drie vier", "日本語テ", "キスト"])
    #expect(rows.allSatisfy { TextWidth.width(of: String(editor.lines[$0.line][$0.range])) <= 9 })
    let cursor = editor.cursorPosition(width: 10)
    #expect(cursor.row == 3 && cursor.cell == 6)
    editor.handle(.up)
    #expect(editor.line == 0)
    editor.handle(.end)
    editor.handle(.delete)
    #expect(editor.lines.count == 1, "delete at the end of a line joins the next")
  }

  @Test func singleLineEditorRefusesNewlines() {
    var editor = TextEditor("abc")
    #expect(editor.handle(.enter) == false)
    editor.insert("d\ne")
    #expect(editor.text == "abcde")
  }
}
