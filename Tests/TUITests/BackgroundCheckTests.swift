import CaseStore
import Casework
import Foundation
import Testing

@testable import TUI

/// The app shows the list the index recorded at once and checks the case files on another
/// thread; what the check finds replaces the list, unless the user changed it meanwhile.
@Suite struct BackgroundCheckTests {
  func driver(on f: Fixture) throws -> AppDriver {
    var state = AppState(
      strings: try Strings.load(.en), content: try CaseworkContent.load(storeRoot: nil),
      user: "tester", today: today, rules: Fixture.rules, rows: 24, columns: 100)
    state.now = { fixedNow }
    return AppDriver(state: state, store: f.store, user: "tester")
  }

  func waitForCheck(_ driver: AppDriver) {
    for _ in 0..<600 where !driver.collectCheck() { usleep(50_000) }
  }

  @Test func theIndexShowsAtOnceAndTheCheckedFilesReplaceItWhenTheCheckLands() throws {
    let f = try Fixture()  // its start() listed the store and wrote the index
    let first = try #require(f.state.list.all.first)
    // Changed behind the index's back (another person's save).
    let stored = try f.store.load(first.id)
    var d = stored.document
    d.person.fullName = "Renamed Behind The Index"
    d.person.preferredName = nil
    try f.store.save(d, basedOn: stored, by: "colleague", now: fixedNow)

    let app = try driver(on: f)
    app.startInBackground()
    #expect(app.isChecking)
    #expect(app.state.list.all.first?.fullName == first.fullName)
    #expect(app.state.list.all.count == f.state.list.all.count)
    #expect(app.render().text.contains("checking the case files…"))
    waitForCheck(app)
    #expect(!app.isChecking)
    #expect(app.state.list.all.first?.fullName == "Renamed Behind The Index")
    #expect(!app.render().text.contains("checking the case files"))
  }

  @Test func aListThatShrinksUnderTheCursorOnItsLastRowKeepsGoing() throws {
    // A colleague erases or moves away a case while the cursor is on the last row (it once
    // crashed the app: the rows still pointed past the end of the shorter list).
    let f = try Fixture()
    var state = f.state
    let ids = state.list.all.map(\.id)
    #expect(ids.count >= 3)
    state.list.selection = state.list.visible.count - 1
    let last = try #require(state.list.selected?.id)
    let other = try #require(ids.first { $0 != last })
    _ = state.apply(.changedElsewhere(updated: [], gone: [other], records: false))
    #expect(state.list.selected?.id == last)
    _ = state.apply(.changedElsewhere(updated: [], gone: [last], records: false))
    #expect(state.list.selected != nil && state.list.selected?.id != last)
    #expect(state.list.selection == state.list.visible.count - 1)
    // A reload that comes back shorter, with the cursor on the last row.
    state.list.selection = state.list.visible.count - 1
    var shorter = try f.store.list()
    shorter.cases = Array(shorter.cases.prefix(2))
    _ = state.apply(.listed(shorter))
    #expect(state.list.all.count == 2 && state.list.selection <= 1 && state.list.selected != nil)
    var buffer = ScreenBuffer(rows: state.rows, columns: state.columns)
    state.render(into: &buffer)
  }

  @Test func aCaseCreatedWhileTheFilesAreCheckedStaysInTheList() throws {
    let f = try Fixture()
    let app = try driver(on: f)
    app.startInBackground()
    let before = app.state.list.all.count
    app.send([.character("a")])
    app.type("Zora Newcomer")
    app.send([.control("s")])
    #expect(app.state.list.all.count == before + 1, "\(app.state.status?.text ?? "")")
    waitForCheck(app)
    #expect(app.state.list.all.contains { $0.fullName == "Zora Newcomer" })
    #expect(app.state.list.all.count == before + 1)
  }

  @Test func withoutAnIndexASmallStoreIsListedBeforeTheFirstFrame() throws {
    let f = try Fixture()
    unlink(f.folder + "/store/index.tsv")
    let app = try driver(on: f)
    // A generous wait, so a loaded machine does not fail the test: the point is that the first
    // frame already has the list, not how fast.
    app.startInBackground(coldWait: .seconds(60))
    #expect(!app.isChecking)
    #expect(app.state.list.all.count == f.state.list.all.count)
    #expect(!app.render().text.contains("reading"))
  }

  @Test func withoutAnIndexALargeStoreSaysItIsReadingTheFilesUntilTheyAreRead() throws {
    let f = try Fixture()
    unlink(f.folder + "/store/index.tsv")
    let app = try driver(on: f)
    app.startInBackground(coldWait: .zero)  // as if the files took longer than the wait
    #expect(app.isChecking)
    #expect(app.state.list.all.isEmpty)
    let screen = app.render().text
    #expect(screen.contains("Reading the case files (no index yet). The list appears when done."))
    #expect(!screen.contains("No cases yet"))
    #expect(screen.contains("reading every case file to rebuild the index…"))
    waitForCheck(app)
    #expect(app.state.list.all.count == f.state.list.all.count)
    let after = app.render().text
    #expect(!after.contains("reading every case file"))
    #expect(!after.contains("Reading the case files"))
  }
}
