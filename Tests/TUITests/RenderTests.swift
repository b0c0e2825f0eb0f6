import TestSupport
import Casework
import CaseStore
import Testing

@testable import TUI

/// Each screen at 80×24 and 120×40, in Dutch and English, against golden text files.
@Suite struct RenderTests {
  static let sizes = [(24, 80), (40, 120)]

  func each(_ body: (Fixture, String) throws -> Void) throws {
    for language in Language.allCases {
      for (rows, columns) in Self.sizes {
        let f = try Fixture(language: language, rows: rows, columns: columns)
        try body(f, "\(language.rawValue)-\(columns)x\(rows)")
      }
    }
  }

  @Test func caseList() throws {
    try each { f, suffix in assertSnapshot(f.screen, named: "list-\(suffix)") }
  }

  @Test func caseFileOverview() throws {
    try each { f, suffix in
      f.send(.enter)
      assertSnapshot(f.screen, named: "casefile-overview-\(suffix)")
    }
  }

  @Test func caseFileIntakeAndNotesTabs() throws {
    try each { f, suffix in
      f.send(.enter, .character("2"))
      assertSnapshot(f.screen, named: "casefile-intake-\(suffix)")
      f.send(.character("9"))
      assertSnapshot(f.screen, named: "casefile-notes-\(suffix)")
    }
  }

  @Test func jobsAndFollowUpTabsShowTheirSections() throws {
    let f = try Fixture()
    f.send(.enter)
    for (key, tab, heading) in [("6", "jobs", "jobs.availability"), ("7", "followUp", "trajectory.heading")] {
      f.send(.character(Character(key)))
      #expect(f.state.caseFile?.tab.rawValue == tab)
      #expect(f.screen.contains(f.state.strings(heading)))
    }
  }

  @Test func intakeForm() throws {
    try each { f, suffix in
      f.send(.enter, .character("e"))
      assertSnapshot(f.screen, named: "form-edit-\(suffix)")
    }
  }

  @Test func newCaseFormWithErrors() throws {
    let f = try Fixture(language: .nl)
    f.send(.character("a"))
    f.send(.tab, .tab)
    f.type("2030-01-01")
    f.send(.control("s"))
    assertSnapshot(f.screen, named: "form-new-errors-nl-80x24")
  }

  @Test func helpOverlay() throws {
    for language in Language.allCases {
      let f = try Fixture(language: language)
      f.send(.character("?"))
      assertSnapshot(f.screen, named: "help-list-\(language.rawValue)-80x24")
    }
  }

  @Test func noteEditorWithWideText() throws {
    let f = try Fixture()
    f.send(.enter, .character("a"))
    f.type("Wil in de zorg werken 🙂 — 日本語 и кириллица, ሰላም.")
    assertSnapshot(f.screen, named: "note-editor-en-80x24")
  }

  @Test func tooSmallWindowSaysSo() throws {
    let f = try Fixture()
    f.driver.send(.resize(rows: 20, columns: 70))
    let text = f.screen
    #expect(text.contains("The window is too small for Keten."))
    #expect(text.contains("It is 70×20; make it at least 80×24."))
    f.driver.send(.resize(rows: 24, columns: 80))
    #expect(f.screen.contains("K-2026-0001"))
  }

  @Test func wideNamesKeepColumnsAligned() throws {
    let f = try Fixture(rows: 24, columns: 80)
    let buffer = f.driver.render()
    // The centre column starts at the same cell on every case row, whatever script the name is in.
    let layout = f.state.listLayout()
    let centreColumn = 1 + layout[0].1 + 1 + layout[1].1 + 1
    for row in 2..<7 {
      let cell = buffer[row, centreColumn]
      #expect(!cell.text.isEmpty && cell.text != " ", "row \(row): centre column should start at \(centreColumn)")
      #expect(buffer[row, centreColumn - 1].text == " ")
    }
  }

  /// The job counsellor's screens: openings, an opening's candidates, employers, fairs, one fair.
  @Test func jobScreens() throws {
    try each { f, suffix in
      let (employer, _) = try JobScreensTests.addOpening(f)
      var fair = JobFair(name: "Jobdag Leuven", type: .day, on: LocalDate("2026-11-20")!, place: "Leuven", employers: [employer])
      var r = FairRegistration(caseID: "K-2026-0002", transport: true, notes: "Komt met de bus")
      r.attended = true
      r.interviews = 2
      fair.registrations = [r, FairRegistration(caseID: "K-2026-0001", childcare: true)]
      _ = try f.store.create(fair, by: "tester", now: fixedNow)
      f.send(.control("r"), .character("J"))
      assertSnapshot(f.screen, named: "jobs-openings-\(suffix)")
      f.send(.enter)
      assertSnapshot(f.screen, named: "jobs-candidates-\(suffix)")
      f.send(.escape, .backTab)
      assertSnapshot(f.screen, named: "jobs-employers-\(suffix)")
      f.send(.backTab, .enter)
      assertSnapshot(f.screen, named: "jobs-fair-\(suffix)")
      f.send(.escape)
      assertSnapshot(f.screen, named: "jobs-fairs-\(suffix)")
    }
  }

  /// The Plan tab (goals, actions with their marks, a referral, an action done by a hire, a
  /// review) and the services guide.
  @Test func planTabAndServicesGuide() throws {
    try each { f, suffix in
      let service = try PlanTUITests.addService(f)
      var d = try f.document("K-2026-0003")
      let stored = try f.store.load(d.id)
      var plan = ActionPlan(startedOn: LocalDate("2026-10-01")!, startedBy: "tester")
      let created = LocalDate("2026-10-01")!
      var enrol = PlanAction(id: "a1", what: "Register as a jobseeker", partner: .employmentService, responsible: "Joke", due: LocalDate("2026-10-15")!, createdOn: created)
      (enrol.status, enrol.doneOn, enrol.result) = (.done, LocalDate("2026-10-09")!, "registered")
      let apply = PlanAction(id: "a2", what: "Apply to two warehouses a month", partner: .employmentService, due: LocalDate("2026-11-15")!, createdOn: created, link: .hire)
      let dutch = PlanAction(id: "a3", what: "Vocational Dutch", partner: .trainingProvider, due: LocalDate("2026-12-07")!, createdOn: created,
        referral: Referral(service: service, on: created, outcome: .waitingList))
      plan.goals = [PlanGoal(id: "g1", kind: .job, title: "warehouse work", actions: [enrol, apply]), PlanGoal(id: "g2", kind: .language, actions: [dutch])]
      plan.reviews = [PlanReview(on: LocalDate("2026-11-02")!, by: "tester", changes: "course on a waiting list", next: LocalDate("2027-02-02")!)]
      plan.agreement = PlanAgreement(on: created, how: .signed, version: 1)
      d.actionPlan = plan
      _ = try f.store.save(d, basedOn: stored, by: "tester", now: fixedNow)
      f.send(.control("r"), .character("j"), .character("j"), .enter, .character("8"))
      assertSnapshot(f.screen, named: "plan-tab-\(suffix)")
      f.send(.escape, .character("S"))
      assertSnapshot(f.screen, named: "services-\(suffix)")
    }
  }
}
