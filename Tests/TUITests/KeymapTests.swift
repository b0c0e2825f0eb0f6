import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// One keymap per screen: the tables drive dispatch, footer, help and README, so they cannot drift.
@Suite struct KeymapTests {
  /// In one place (a screen, on the case file a tab) no key has two meanings.
  @Test func noKeyHasTwoMeaningsInOnePlace() {
    for screen in ScreenKind.allCases {
      let tabs: [CaseTab?] = screen == .caseFile ? CaseTab.allCases : [nil]
      for tab in tabs {
        var seen: [Key: KeyBinding] = [:]
        for binding in KeyBindings.shown(on: screen, tab: tab) {
          for key in binding.keys {
            // Bindings for different conditions (the month view and the agenda) are not one place.
            if let other = seen[key], other.when == binding.when, other.action != binding.action || other.label != binding.label {
              Issue.record("\(screen) \(tab.map(\.rawValue) ?? ""): \(key) means \(other.label) and \(binding.label)")
            }
            seen[key] = binding
          }
        }
      }
    }
  }

  /// Every binding's keys parse (a typo in the table would bind nothing), and every binding of a
  /// command screen runs an action.
  @Test func everyBindingHasKeysAndCommandScreensActions() {
    for screen in ScreenKind.allCases {
      for binding in KeyBindings.of(screen) {
        #expect(!binding.keys.isEmpty, "\(screen): \(binding.shown)")
        #expect(binding.keys.count >= binding.shown.split(separator: " ").count, "\(screen): '\(binding.shown)' has a word that is no key")
        #expect((binding.action != nil) == KeyBindings.isCommandScreen(screen), "\(screen): \(binding.shown)")
      }
    }
  }

  /// The footer shows only keys that work where it is shown, and never says "Enter" with nothing after it.
  @Test func footersShowOnlyKeysThatWorkHere() throws {
    let f = try Fixture()
    f.send(.enter)
    for (i, tab) in CaseTab.allCases.enumerated() {
      f.send(.character(Character(String((i + 1) % 10))))
      #expect(f.state.caseFile?.tab == tab)
      let footer = f.state.footerText()
      let here = Set(KeyBindings.shown(on: .caseFile, tab: tab).compactMap(\.footer))
      for binding in KeyBindings.of(.caseFile) where binding.footer != nil && !binding.works(on: tab) && !here.contains(binding.footer!) {
        let words = f.state.strings(binding.footer!)
        #expect(!footer.contains(" " + words + "  "), "\(tab): \(footer) shows \(binding.shown)")
      }
    }
    f.send(.character("1"))
    #expect(!f.state.footerText().contains("edit note"))
    f.send(.character("9"))
    #expect(f.state.footerText().contains("Enter/E edit note"))
  }

  /// A key the table does not bind on a screen does nothing there and says so.
  @Test func anUnboundKeyDoesNothingAndSaysSo() throws {
    let f = try Fixture()
    f.send(.enter)  // case file, Overview
    let before = f.state.caseFile?.tab
    f.send(.character("P"))  // the post-hire plan: only on the Follow-up tab
    #expect(f.state.draft == nil && f.state.caseFile?.tab == before)
    #expect(f.state.status?.text == "P does nothing here; ? shows this screen's keys.")
  }

  /// Every key the table lists on a screen reaches it, and every command key does something
  /// there: it changes what is on screen (styles too: a selection), or says something. Moving
  /// keys (scroll, page, first/last, a tab's own number) may meet an edge and change nothing;
  /// for them the test checks that they reach the screen.
  @Test func everyListedKeyDoesSomething() throws {
    let motion: Set<String> = [
      "keys.scroll", "keys.tabNumber", "keys.moveNote", "keys.calToday", "keys.topBottom", "keys.firstLast", "keys.page",
      "keys.move", "keys.halfPage", "keys.clearSearch", "keys.calWeek", "keys.calDay", "keys.moveParticipant", "keys.module", "keys.firstLastGroup",
      "keys.moveAction", "keys.firstLastItem", "keys.clearServiceSearch",
    ]
    func check(_ screen: ScreenKind, tab: CaseTab? = nil, setUp: (Fixture) -> Void) throws {
      for binding in KeyBindings.shown(on: screen, tab: tab) {
        for key in binding.keys {
          let f = try Fixture()
          setUp(f)
          #expect(f.state.activeScreen == screen, "set-up for \(screen) reached \(f.state.activeScreen)")
          let before = f.driver.render()
          f.send(key)
          let refused = f.state.status?.text.contains("does nothing here") == true
          let acted = !refused && (motion.contains(binding.label) || f.driver.render() != before || f.state.status != nil || !f.state.isRunning)
          #expect(acted, "\(screen) \(tab.map(\.rawValue) ?? ""): \(key) (\(binding.label)) did nothing")
        }
      }
    }
    try check(.list) { _ in }
    for tab in CaseTab.allCases {
      try check(.caseFile, tab: tab) { f in
        f.send(.character("j"), .character("j"), .enter)
        f.send(.character(Character(String((CaseTab.allCases.firstIndex(of: tab)! + 1) % 10))))
      }
    }
    try check(.calendar) { f in f.send(.character("C")) }
    try check(.report) { f in f.send(.character("R")) }
    func trainer(_ f: Fixture) {
      try? BridgingTests.addGroup(f)
      f.send(.control("r"), .character("T"))
    }
    try check(.groups) { f in trainer(f) }
    try check(.group) { f in
      trainer(f)
      f.send(.enter, .character("j"))
    }
    try check(.walkthrough) { f in
      trainer(f)
      f.send(.enter, .character("w"), .character("l"), .character("j"))
    }
    func coordinator(_ f: Fixture) {
      try? BridgingTests.addMentoring(f, pair: true)
      f.send(.control("r"), .character("M"))
    }
    try check(.pairs) { f in coordinator(f) }
    try check(.mentors) { f in
      coordinator(f)
      f.send(.tab)
    }
    try check(.suggestions) { f in
      try? BridgingTests.addMentoring(f, pair: false)
      f.send(.control("r"), .enter, .character("5"), .character("m"))
    }
    // The job counsellor's screens and the services guide, each with something to act on.
    func counsellor(_ f: Fixture) {
      _ = try? JobScreensTests.addOpening(f)
      var fair = JobFair(name: "Jobdag", on: LocalDate("2026-11-20")!)
      fair.registrations = [FairRegistration(caseID: "K-2026-0001")]
      _ = try? f.store.create(fair, by: "tester", now: fixedNow)
      f.send(.control("r"), .character("J"))
    }
    try check(.openings) { f in counsellor(f) }
    try check(.candidates) { f in
      counsellor(f)
      f.send(.enter)
    }
    try check(.fairs) { f in
      counsellor(f)
      f.send(.tab)
    }
    try check(.fair) { f in
      counsellor(f)
      f.send(.tab, .enter)
    }
    try check(.employers) { f in
      counsellor(f)
      f.send(.backTab)
    }
    try check(.services) { f in
      _ = try? PlanTUITests.addService(f)
      f.send(.character("S"))
    }
  }

  /// README's key tables are the app's.
  @Test func readmeKeyTables() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let begin = try #require(text.range(of: "<!-- keys:begin -->\n"))
    let end = try #require(text.range(of: "<!-- keys:end -->"))
    let tables = KeyBindings.markdown(try Strings.load(.en))
    if ProcessInfo.processInfo.environment["KETEN_RECORD_README"] == "1" {
      try (String(text[..<begin.upperBound]) + tables + String(text[end.lowerBound...])).write(to: readme, atomically: true, encoding: .utf8)
      return
    }
    #expect(String(text[begin.upperBound..<end.lowerBound]) == tables, "README's key tables differ from Keymap.swift")
  }
}
