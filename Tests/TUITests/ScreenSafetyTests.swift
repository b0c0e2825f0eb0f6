import CaseStore
import Casework
import Foundation
import TestSupport
import Testing
import TextCells

@testable import TUI

/// A terminal in memory for the run loop: keys in, frames and repaints counted.
final class ScriptedTerminal: Terminal {
  var events: [Event]
  var frames: [ScreenBuffer] = []
  var repaints = 0
  init(_ events: [Event]) { self.events = events }
  var size: (rows: Int, columns: Int) { (24, 80) }
  func nextEvent() -> Event? { events.isEmpty ? nil : events.removeFirst() }
  func present(_ buffer: ScreenBuffer, cursor: (row: Int, column: Int)?) { frames.append(buffer) }
  func shutdown() {}
  func repaint() { repaints += 1 }
}

@Suite struct ScreenSafetyTests {
  /// Emoji sequences terminals disagree on are drawn by their first symbol, so the line cannot
  /// shift: a skin tone, a joined profession, a text symbol made emoji.
  @Test func emojiSequencesCannotShiftALine() {
    var buffer = ScreenBuffer(rows: 1, columns: 20)
    buffer.put("a👍🏽b👨‍🔧c❤️d", row: 0, column: 0)
    let cells = buffer.cells.map(\.text)
    #expect(cells.prefix(9) == ["a", "👍", "", "b", "👨", "", "c", "❤", "d"])
    #expect(TextWidth.width(of: "👍🏽") == 2 && TextWidth.width(of: "👨‍🔧") == 2 && TextWidth.width(of: "❤️") == 1)
    // Editing still moves over the whole sequence as one character.
    var editor = TextEditor("x👍🏽")
    editor.handle(.backspace)
    #expect(editor.text == "x")
  }

  /// Ctrl-L redraws the whole screen on any screen, and changes nothing in the app.
  @Test func controlLRepaintsWithoutTouchingTheApp() throws {
    let f = try Fixture()
    let terminal = ScriptedTerminal([.key(.enter), .key(.control("l")), .key(.character("e")), .key(.control("l"))])
    RunLoop.run(f.driver, on: terminal)
    #expect(terminal.repaints == 2)
    #expect(f.state.form != nil)  // the keys around it reached the app
    #expect(f.state.status == nil)
  }

  /// A filter applied far down the list shows its first match at the top.
  @Test func aFilterAppliedAfterScrollingShowsTheFirstMatches() throws {
    let f = try Fixture(rows: 24, columns: 80)
    // Sixty more cases, in Antwerpen; the six of the fixture are in Gent.
    for n in 0..<60 {
      _ = try f.store.create(
        CaseDocument(id: CaseID(year: 2026, number: 0), person: Person(fullName: "Extra \(n)", centre: "Antwerpen", caseWorker: "tester"), createdBy: "tester"),
        by: "tester")
    }
    f.send(.control("r"))
    #expect(f.state.list.visible.count > 60)
    f.send(.character("r"), .end)  // newest first, then the oldest: a Gent case, the list scrolled down
    #expect(f.state.list.top > 0)
    #expect(f.state.list.top > 0)
    f.send(.character(":"))
    f.type("filter centre=Antwerpen")
    f.send(.enter)
    let list = f.state.list
    #expect(list.visible.count == 60)
    #expect(list.top == 0 && list.selection == 0)
    #expect(f.screen.contains(list.selected!.id.rawValue))
  }
}
