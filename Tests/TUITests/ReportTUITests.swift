import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

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
}
