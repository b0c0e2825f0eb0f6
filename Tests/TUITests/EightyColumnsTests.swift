import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// Every screen and overlay at 80×24 in Dutch and English: no footer, hint, message or overlay
/// line is cut (the buffer records every text that did not fit where it was put).
@Suite struct EightyColumnsTests {
  /// Fails when a line of the screen or of an overlay was cut.
  func expectNothingCut(_ f: Fixture, _ place: String, overlayRows: ClosedRange<Int>? = nil) {
    let buffer = f.driver.render()
    // Any row of the screen: table cells shorten their text with "…" themselves, so a cut
    // recorded here is text lost silently.
    for (row, text) in buffer.cutRows where overlayRows == nil {
      Issue.record("\(f.state.strings.language) \(place): row \(row) cut: \(text)")
    }
    for (row, text) in buffer.overlayCuts where overlayRows?.contains(row) ?? true {
      Issue.record("\(f.state.strings.language) \(place): overlay row \(row) cut: \(text)")
    }
  }

  func each(_ body: (Fixture, Language) throws -> Void) throws {
    for language in Language.allCases { try body(try Fixture(language: language), language) }
  }

  @Test func everyScreenFitsAt80Columns() throws {
    try each { f, _ in
      expectNothingCut(f, "list")
      f.send(.character("?"))
      expectNothingCut(f, "list help", overlayRows: 0...23)
      f.send(.escape, .character("f"))
      expectNothingCut(f, "filter menu", overlayRows: 0...23)
      f.send(.escape, .character("s"))
      expectNothingCut(f, "sort menu", overlayRows: 0...23)
      f.send(.escape, .character("Z"))
      expectNothingCut(f, "a key that does nothing")
      f.send(.enter)
      for (i, tab) in CaseTab.allCases.enumerated() {
        f.send(.character(Character(String((i + 1) % 10))))
        expectNothingCut(f, "case file \(tab)")
        f.send(.character("?"))
        expectNothingCut(f, "case-file help \(tab)", overlayRows: 0...23)
        f.send(.escape)
      }
      f.send(.character("1"), .character("e"))
      expectNothingCut(f, "intake form")
      for _ in 0..<20 {
        f.send(.tab)
        expectNothingCut(f, "intake field \(f.state.form?.focusedField.path ?? "")")
      }
      f.send(.character("?"))
      expectNothingCut(f, "form help", overlayRows: 0...23)
      f.send(.escape, .escape)
      f.send(.character("3"), .character("i"))
      for page in 0..<8 {
        for _ in 0..<12 {
          expectNothingCut(f, "interview page \(page) field \(f.state.form?.focusedField.path ?? "")")
          f.send(.tab)
        }
        f.send(.pageDown)
      }
      f.send(.escape, .character("y"), .escape)
      f.send(.character("C"))
      expectNothingCut(f, "calendar")
      f.send(.character("a"))
      expectNothingCut(f, "agenda")
      f.send(.escape, .character("R"))
      expectNothingCut(f, "report")
      f.send(.escape, .character("T"))
      expectNothingCut(f, "groups")
      f.send(.escape, .character("M"))
      expectNothingCut(f, "pairs")
      f.send(.tab)
      expectNothingCut(f, "mentors")
      f.send(.escape, .character("J"))
      expectNothingCut(f, "openings")
      for tab in ["fairs", "employers"] {
        f.send(.tab)
        expectNothingCut(f, tab)
      }
      f.send(.character("?"))
      expectNothingCut(f, "employers help", overlayRows: 0...23)
      f.send(.escape, .escape, .character("S"))
      expectNothingCut(f, "services")
    }
  }

  /// The trainer's, coordinator's, job counsellor's and mentor's screens, their forms and sheets.
  @Test func everyRoleScreenFitsAt80Columns() throws {
    try each { f, _ in
      try BridgingTests.addGroup(f)
      try BridgingTests.addMentoring(f, pair: true)
      try SustainingTUITests.addPlacement(f)
      f.send(.control("r"))
      f.send(.character("T"))
      expectNothingCut(f, "groups")
      f.send(.character("n"))
      for _ in 0..<12 {
        expectNothingCut(f, "new group field \(f.state.draft?.form.focus ?? -1)")
        f.send(.tab)
      }
      f.send(.escape, .character("y"), .enter)
      expectNothingCut(f, "group")
      f.send(.character("r"))
      expectNothingCut(f, "group report", overlayRows: 0...23)
      f.send(.escape, .character("w"))
      expectNothingCut(f, "walkthrough")
      f.send(.character("c"))
      expectNothingCut(f, "lesson plan", overlayRows: 0...23)
      #expect(f.screen.contains(f.state.strings("lesson.exercises")))
      f.send(.escape, .character("?"))
      expectNothingCut(f, "walkthrough help", overlayRows: 0...23)
      f.send(.escape, .escape, .character("t"))
      expectNothingCut(f, "entry test")
      f.send(.escape, .character("v"))
      expectNothingCut(f, "evaluation")
      f.send(.escape, .character("i"))
      for _ in 0..<8 {
        expectNothingCut(f, "practice field")
        f.send(.tab)
      }
      f.send(.escape, .character("y"), .escape, .escape, .escape)
      f.send(.character("M"))
      expectNothingCut(f, "pairs")
      f.send(.character("r"))
      expectNothingCut(f, "mentoring report", overlayRows: 0...23)
      f.send(.escape, .tab, .character("n"))
      for _ in 0..<14 {
        expectNothingCut(f, "mentor field \(f.state.draft?.form.focus ?? -1)")
        f.send(.tab)
      }
      f.send(.escape, .character("y"), .escape)
      // Layla's mentoring tab: check-in, programme, closing.
      f.send(.home, .enter, .character("5"))
      expectNothingCut(f, "mentoring tab")
      for key in ["c", "g", "X"] {
        f.send(.character(Character(key)))
        for _ in 0..<10 {
          expectNothingCut(f, "\(key) field \(f.state.draft?.form.focus ?? -1)")
          f.send(.tab)
        }
        f.send(.escape, .character("y"))
      }
      f.send(.escape, .character("j"), .character("j"), .character("j"), .enter, .character("7"))
      expectNothingCut(f, "follow-up tab")
      for key in ["f", "x", "R", "P", "O"] {
        f.send(.character(Character(key)))
        for _ in 0..<10 {
          expectNothingCut(f, "\(key) field \(f.state.draft?.form.focus ?? -1)")
          f.send(.tab)
        }
        f.send(.escape, .character("y"))
      }
      f.send(.character("6"))
      expectNothingCut(f, "jobs tab")
      for key in ["w", "I", "o"] {
        f.send(.character(Character(key)))
        expectNothingCut(f, "jobs \(key)", overlayRows: 0...23)
        f.send(.escape, .character("y"))
      }
      f.send(.escape, .character("A"))
      expectNothingCut(f, "agenda with meetings")
      f.send(.character("v"))
      expectNothingCut(f, "month with meetings")
    }
  }

  /// At 120 columns an interview question's label is whole.
  @Test func interviewLabelsAreWholeAt120Columns() throws {
    let f = try Fixture(rows: 40, columns: 120)
    f.send(.enter, .character("3"), .character("i"))
    var seen = false
    for _ in 0..<8 {
      expectNothingCut(f, "interview page")
      seen = seen || f.screen.contains("First-degree family in the country")
      f.send(.pageDown)
    }
    #expect(seen)
  }

  /// A date typed in the wrong shape: the message with its example is shown whole.
  @Test func aFormatProblemIsShownWhole() throws {
    try each { f, language in
      f.send(.enter, .character("e"), .tab, .tab)
      #expect(f.state.form?.focusedField.path == "person.dateOfBirth")
      f.type("31/12/2025")
      f.send(.tab, .backTab)
      expectNothingCut(f, "date problem")
      let example = language == .nl ? "bv. 2026-03-01" : "e.g. 2026-03-01"
      #expect(f.screen.contains(example), "\(f.screen)")
    }
  }
}
