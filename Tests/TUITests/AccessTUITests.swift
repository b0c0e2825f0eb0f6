import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

@Suite struct AccessTUITests {
  @Test func theHistoryTabShowsTheJournalNewestFirstWithPathsNotValues() throws {
    let f = try Fixture()
    f.send(.enter)
    let id = try #require(f.state.caseFile?.stored.id)
    // Change the phone from another session, then read it again here.
    let stored = try f.store.load(id)
    var d = stored.document
    d.person.phone = "+32 470 99 88 77"
    try f.store.save(d, basedOn: stored, by: "an.peeters", now: fixedNow)
    f.send(.escape, .enter, .character("0"))
    let screen = f.screen
    #expect(screen.contains("Journal (newest first)"))
    #expect(screen.contains("an.peeters      changed: person.phone"))
    #expect(screen.contains("tester          opened"))
    #expect(!screen.contains("470 99 88 77"))
    assertSnapshot(screen, named: "history-tab-en")
  }

  @Test func aMentorIsToldOfMenteesLeftOutInFullAtEightyColumns() throws {
    var state = AppState(
      strings: try Strings.load(.nl), content: try CaseworkContent.load(storeRoot: nil), user: "hilde", today: today,
      rules: Fixture.rules, rows: 24, columns: 80)
    state.enterMentorMode()
    _ = state.apply(.menteesLoaded(Mentees(views: [], unreadable: [try CaseID("K-2026-0013")], damagedElsewhere: 2)))
    var buffer = ScreenBuffer(rows: 24, columns: 80)
    state.render(into: &buffer)
    let text = buffer.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
    // Both notices, each to its last word (what to do), the mentee named by id.
    #expect(text.contains("K-2026-0013"))
    #expect(text.contains("(`keten check` noemt het probleem)."))
    #expect(text.contains("meld het dan aan je coördinator."))
  }

  @Test func aTrainerSeesNamesAndTheTrainingTabOnly() throws {
    let f = try Fixture()
    let participant = try f.store.list().cases[0]
    var group = TrainingGroup(
      name: "VOORwerk Gent", centre: "Gent-Centrum", trainers: ["tr"], language: "nl", days: [today], capacity: 12,
      level: "standard")
    group.participants = [.init(caseID: participant.id.rawValue)]
    try f.store.create(group, by: "tester", now: fixedNow)
    try f.store.saveUsers(
      UserRegistry(users: [
        StaffUser(login: "tester", role: .coordinator, centre: nil, addedOn: today, addedBy: "tester"),
        StaffUser(login: "tr", role: .trainer, centre: nil, addedOn: today, addedBy: "tester"),
      ]), basedOn: nil, by: "tester", change: "test")
    let store = try f.store.signIn("tr", now: fixedNow)
    var state = AppState(
      strings: try Strings.load(.en), content: try CaseworkContent.load(storeRoot: nil), user: "tr", today: today,
      rules: Fixture.rules, sections: store.viewer!.sections)
    state.now = { fixedNow }
    state.mayEditCases = store.viewer!.may(.editCases)
    let driver = AppDriver(state: state, store: store, user: "tr")
    driver.start()
    #expect(driver.state.list.all.map(\.id) == [participant.id])
    // The intake form is not offered to a role that does not add cases (not refused once filled).
    driver.send([.character("a")])
    #expect(driver.state.form == nil)
    #expect(driver.state.status?.text == "Your role does not add case files; a coordinator or case worker does.")
    driver.send([.enter])
    let screen = driver.render().text
    #expect(screen.contains("1 Training") && !screen.contains("Overview") && !screen.contains("Notes"))
    #expect(screen.contains("PARTIAL VIEW"))
    #expect(!screen.contains("Gent-Centrum ·"))
    driver.send([.character("e")])
    #expect(driver.state.status?.text == "Your role shows this case in part and cannot change it.")
    assertSnapshot(driver.render().text, named: "trainer-case-en")
    // Adding a participant is a case worker's job, and the job screens are not the trainer's.
    driver.send([.escape, .character("T"), .enter, .character("a")])
    #expect(driver.state.activeScreen == .group && driver.state.overlay == nil)
    #expect(driver.state.status?.text.hasPrefix("A case worker or coordinator adds participants") == true)
    driver.send([.escape, .escape, .character("J")])
    #expect(driver.state.activeScreen == .list)
    #expect(driver.state.status?.text == "Employers, openings and job fairs are not part of your role.")
  }
}
