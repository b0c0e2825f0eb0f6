import CaseStore
import Casework
import Foundation
import TestSupport
import Testing
import TextCells

@testable import TUI

@Suite struct ReportTUITests {
  @Test(arguments: [Language.en, .nl])
  func theReportScreenShowsTheFiguresWithBarsAndScrolls(language: Language) throws {
    let f = try Fixture(language: language)
    f.send(.character("R"))
    #expect(f.state.activeScreen == .report)
    let screen = f.screen
    #expect(screen.contains(language == .en ? "6 cases open in the period" : "6 dossiers open in de periode"))
    #expect(screen.contains("█"))
    assertSnapshot(screen, named: "report-\(language)")
    f.send(.pageDown)
    #expect(f.state.report!.scroll > 0)
    f.send(.character("p"))
    #expect(f.state.report!.period == .last12Months && f.state.report!.scroll == 0)
    f.send(.escape)
    #expect(f.state.activeScreen == .list)
  }

  @Test func theReportOpensFromTheCommandLineAndCountsOnlyVisibleCases() throws {
    let f = try Fixture()
    f.send(.character(":"))
    f.type("report\n")
    #expect(f.state.activeScreen == .report)
    #expect(f.state.report?.report?.cases == f.state.list.all.count)
  }

  @Test func theReportAndTheCalendarWaitForTheGroupsAndWorkTheFiguresOutOnce() throws {
    let f = try Fixture()
    var s = f.state
    s.records = RecordCache()  // as at start-up: nothing read yet
    func text(_ s: AppState) -> String {
      var buffer = ScreenBuffer(rows: s.rows, columns: s.columns)
      _ = s.render(into: &buffer)
      return buffer.text
    }
    let effects = s.update(.key(.character("R")))
    #expect(effects.contains { if case .loadRecords = $0 { true } else { false } })
    #expect(s.report?.report == nil)
    #expect(text(s).contains("Reading the training groups…"))
    var loaded = f.state.records
    loaded.loaded = true
    _ = s.apply(.recordsLoaded(loaded, damaged: []))
    #expect(s.report?.report?.cases == s.list.all.count)
    #expect(text(s).contains("cases open in the period"))
    // The same groups read again (Ctrl-R, or after a save elsewhere): the figures are kept, not
    // worked out again.
    s.report!.report!.cases = -1
    _ = s.apply(.recordsLoaded(loaded, damaged: []))
    #expect(s.report?.report?.cases == -1)

    // A read that fails says so on the screen, and Ctrl-R tries again.
    var failing = f.state
    failing.records = RecordCache()
    _ = failing.update(.key(.character("C")))
    #expect(text(failing).contains("Reading the training groups…"))
    _ = failing.apply(.failed(.io(operation: "read", file: "groups/", errno: EIO), during: .loadRecords))
    #expect(text(failing).contains("could not be read"))
    let again = failing.update(.key(.control("r")))
    #expect(again.contains { if case .loadRecords = $0 { true } else { false } })
    _ = failing.apply(.recordsLoaded(loaded, damaged: []))
    #expect(failing.calendar?.built == true && !text(failing).contains("could not be read"))
  }

  /// Opening the calendar or the report again reads no record file that has not changed.
  @Test func reopeningReadsNoUnchangedRecordFile() throws {
    let f = try Fixture()
    try BridgingTests.addGroup(f)
    usleep(50_000)
    f.send(.character("C"))
    let read = f.store.recordFilesRead
    f.send(.escape, .character("R"), .escape, .character("C"), .escape, .character("T"))
    #expect(f.store.recordFilesRead == read)
    #expect(f.state.records.groups.count == 1)
  }
}
