import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// The calendar, the Follow-up and Jobs tabs and their forms, driven by keys against a store.
@Suite struct SustainingTUITests {
  /// Hévé Özdemir (K-2026-0004) hired on Monday 26 October 2026: manager@1w (2 Nov) held; the
  /// counsellor's week-1 meeting and manager weeks 2 and 3 missed, so overdue on 22 November.
  /// Plus a signed internship for Дмитро (K-2026-0003) ending on 27 November, and one opening.
  static func addPlacement(_ f: Fixture) throws {
    let id = try CaseID("K-2026-0004")
    let stored = try f.store.load(id)
    var d = stored.document
    var hire = Hire(
      id: "h1", employerName: "Bakkerij Peeters", job: "Baker", profile: "baker", contract: .fixedTerm,
      start: LocalDate("2026-10-26")!, hoursPerWeek: 38, recordedBy: "tester", recordedOn: LocalDate("2026-10-20")!)
    var plan = hire.plan
    plan.retention = ["bus pass", "childcare from 7:00"]
    plan.buddyName = "Jan Maes"
    plan.buddyRole = "baker"
    plan.approvals.worker = Signature(name: "Hévé Özdemir", on: LocalDate("2026-10-27")!)
    hire.revisePlan(plan, by: "tester", on: LocalDate("2026-10-27")!)
    hire.followUps = [
      FollowUp(id: "f1", meeting: "manager@1w", heldOn: LocalDate("2026-11-02")!, attended: [.worker, .manager], issues: [.commuting], risk: .medium, loggedBy: "tester")
    ]
    d.placement.hires = [hire]
    d.stages = [.sustaining]
    _ = try f.store.save(d, basedOn: stored, by: "tester", now: fixedNow)

    let other = try f.store.load(try CaseID("K-2026-0003"))
    var o = other.document
    var i = Internship(id: "i1", organisation: "Logistiek Aerts", role: "warehouse worker", from: LocalDate("2026-09-28")!, to: LocalDate("2026-11-27")!)
    i.intern = Signature(name: "Дмитро Коваленко", on: LocalDate("2026-09-20")!)
    i.company = Signature(name: "Leen Goossens", on: LocalDate("2026-09-21")!)
    i.mediator = Signature(name: "tester", on: LocalDate("2026-09-21")!)
    i.started = LocalDate("2026-09-28")!
    i.supervisor = "Leen Goossens"
    i.ethics.notReplacingPaidWork = true
    o.placement.internships = [i]
    o.placement.availableFrom = LocalDate("2026-12-01")
    _ = try f.store.save(o, basedOn: other, by: "tester", now: fixedNow)

    let e = try f.store.create(Employer(name: "Logistiek Aerts", sector: "sales-logistics", region: "Leuven"), by: "tester", now: fixedNow).record
    _ = try f.store.create(
      Opening(employer: e.id, employerName: e.name, type: .vacancy, title: "Magazijnier", profile: "warehouse-worker", region: "Leuven",
              hoursPerWeek: 38, language: "nl", languageLevel: .a2, start: LocalDate("2026-12-07")!),
      by: "tester", now: fixedNow)
    f.send(.control("r"))
  }

  @Test func aCaseWorkerLogsAnOverdueFollowUpFromTheAgenda() throws {
    let f = try Fixture()
    try Self.addPlacement(f)
    f.send(.character("A"))
    #expect(f.state.activeScreen == .calendar)
    let overdue = f.state.calendar!.agenda.overdue(today: today).compactMap(\.meetingKey)
    #expect(overdue == ["counsellor@1w", "manager@2w", "manager@3w"])
    #expect(f.screen.contains("Overdue (3)"))
    let index = try #require(f.state.calendarEntries.firstIndex { $0.meetingKey == "counsellor@1w" })
    for _ in 0..<index { f.send(.character("j")) }
    f.send(.character("f"))
    #expect(f.state.activeScreen == .draft)
    #expect(f.screen.contains("Follow-up of Hévé Özdemir: Career counsellor · week 1"))
    // Held today by the worker and the counsellor, childcare raised, medium risk.
    f.send(.tab)  // attended: the worker and the career counsellor, as for a counsellor's meeting
    f.send(.tab, .enter, .down, .character(" "), .enter)  // issues: childcare
    f.send(.tab)
    f.type("Ask the crèche for 7:00")
    f.send(.tab, .character("2"))  // risk: the list's second answer, medium
    f.send(.control("s"))
    #expect(f.state.activeScreen == .calendar, "\(f.screen)")
    #expect(f.state.calendar!.agenda.overdue(today: today).compactMap(\.meetingKey) == ["manager@2w", "manager@3w"])
    #expect(f.screen.contains("Overdue (2)"))
    let saved = try f.store.load(try CaseID("K-2026-0004")).document.placement.hires[0].followUps
    #expect(saved.count == 2)
    #expect(saved[1].meeting == "counsellor@1w" && saved[1].heldOn == today && saved[1].loggedBy == "tester")
    #expect(saved[1].attended == [.worker, .counsellor] && saved[1].issues == [.childcare] && saved[1].risk == .medium)
    #expect(saved[1].actions == "Ask the crèche for 7:00")
  }

  @Test func calendarKeysMoveLikeCalcurse() throws {
    let f = try Fixture()
    try Self.addPlacement(f)
    f.send(.character("C"))
    #expect(f.state.calendar?.mode == .month && f.state.calendar?.cursor == today)
    f.send(.character("l"), .character("j"))
    #expect(f.state.calendar?.cursor == LocalDate("2026-11-30"))
    f.send(.character("]"))
    #expect(f.state.calendar?.cursor == LocalDate("2026-12-30"))
    f.send(.character("k"), .character("h"), .character("["))
    #expect(f.state.calendar?.cursor == LocalDate("2026-11-22"))
    f.send(.character("h"), .character("h"), .character("h"), .character("t"))
    #expect(f.state.calendar?.cursor == today)
    // Friday 27 November: the internship ends; Enter opens the case on its Jobs tab.
    for _ in 0..<5 { f.send(.character("l")) }
    f.send(.tab, .enter)
    #expect(f.state.activeScreen == .caseFile && f.state.caseFile?.tab == .jobs)
    #expect(f.state.caseFile?.stored.id.rawValue == "K-2026-0003")
    f.send(.escape)
    #expect(f.state.activeScreen == .calendar)
    f.send(.escape, .escape)
    #expect(f.state.activeScreen == .list)
  }

  @Test func aHireCreatesTheScheduleAndTheOutcomeClosesIt() throws {
    let f = try Fixture()
    f.send(.character("j"), .character("j"), .enter, .character("7"))  // Дмитро, Follow-up tab
    #expect(f.screen.contains("No hire yet"))
    f.send(.character("H"), .tab, .tab)  // no opening, not an employer of the register: its name typed
    f.type("Logistiek Aerts")
    f.send(.tab)
    f.type("Warehouse worker")
    f.send(.tab, .tab, .tab)
    f.type("2026-11-02")
    f.send(.control("s"))
    let d = try f.store.load(try CaseID("K-2026-0003")).document
    #expect(d.stages == [.sustaining])
    #expect(d.placement.hires.map(\.employerName) == ["Logistiek Aerts"])
    #expect(f.screen.contains("Meetings: 0 of 12 held, 3 overdue"), "\(f.screen)")
    f.send(.character("O"), .tab)
    f.send(.enter, .character("l"), .enter)  // left, found in the open list by its letter
    f.send(.control("s"))
    #expect(f.state.activeScreen == .draft)  // a departure needs its reason
    f.send(.tab)
    f.type("moved to Liège")
    f.send(.control("s"))
    let after = try f.store.load(try CaseID("K-2026-0003")).document.placement.hires[0]
    #expect(after.outcome?.status == .left && after.outcome?.reason == "moved to Liège")
    #expect(f.state.caseFile?.summary.dueItems.contains { $0.key == "post-hire" } == false)
  }

  @Test func screens() throws {
    for language in [Language.en, .nl] {
      let f = try Fixture(language: language)
      try Self.addPlacement(f)
      f.send(.character("A"))
      assertSnapshot(f.screen, named: "agenda-\(language)")
      f.send(.character("a"))
      assertSnapshot(f.screen, named: "calendar-month-\(language)")
      f.send(.escape)
      f.send(.character("j"), .character("j"), .character("j"), .enter, .character("7"))
      assertSnapshot(f.screen, named: "followup-tab-\(language)")
      f.send(.escape, .character("k"), .enter, .character("6"))
      assertSnapshot(f.screen, named: "jobs-tab-\(language)")
      f.send(.character("o"))
      assertSnapshot(f.screen, named: "openings-\(language)")
    }
  }

  /// A meeting logged before its planned day asks first: no keeps the form, yes saves.
  @Test func aMeetingLoggedBeforeItsDayAsksFirst() throws {
    let f = try Fixture()
    try Self.addPlacement(f)
    f.send(.character(":"))
    f.type("open K-2026-0004")
    f.send(.enter, .character("7"))
    var state = f.state
    let stored = try #require(state.caseFile?.stored)
    state.openFollowUpDraft(stored, hire: "h1", meeting: "manager@1m")  // planned for 26 Nov; today is 22 Nov
    #expect(state.draft != nil)
    _ = state.update(.key(.control("s")))
    guard case .confirm(let dialog)? = state.overlay else {
      Issue.record("expected the question")
      return
    }
    #expect(dialog.question == "Internal manager · month 1 is planned for 26 Nov 2026. Save it as held on 22 Nov 2026 anyway?")
    _ = state.update(.key(.character("n")))
    #expect(state.draft != nil && state.overlay == nil)
    let effects = { () -> [Effect] in
      _ = state.update(.key(.control("s")))
      return state.update(.key(.character("y")))
    }()
    guard case .save(let d, _, _)? = effects.first else {
      Issue.record("expected a save, got \(effects)")
      return
    }
    #expect(d.placement.hires[0].followUps.last?.meeting == "manager@1m")
    #expect(d.placement.hires[0].followUps.last?.attended == [.worker, .manager])
  }
}
