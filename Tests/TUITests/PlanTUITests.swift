import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// The action plan by keys: goals and actions, an action done by the hire itself, a referral to
/// the services guide, completing, dropping, a review, the person's agreement, the printable
/// plan; and the services guide's screen.
@Suite struct PlanTUITests {
  /// A vocational Dutch course in the guide, read by the app.
  @discardableResult
  static func addService(_ f: Fixture) throws -> String {
    let s = try f.store.create(
      Service(
        name: "NT2 op de werkvloer: logistiek", nameEn: "Dutch at work: logistics", type: .vocationalLanguage, provider: "CVO Dijleland",
        starts: ["2026-12-07", "2027-02-01"], price: "gratis", duration: "12 weken", languages: ["nl"], place: "Leuven"),
      by: "tester", now: fixedNow)
    f.send(.control("r"))
    return s.id
  }

  @Test func aPlanIsBuiltByKeysAndAnActionIsDoneByTheHireItself() throws {
    let f = try Fixture()
    let service = try Self.addService(f)
    f.send(.character("j"), .character("j"), .enter, .character("8"))  // Дмитро, Plan tab
    #expect(f.state.caseFile?.tab == .plan)
    #expect(f.screen.contains("No action plan yet."))

    // a: the goal first (job), then the action, linked to a hire.
    f.send(.character("a"))
    guard case .picker(let goals)? = f.state.overlay else {
      Issue.record("no goal picker")
      return
    }
    #expect(goals.options.first?.value == "job")
    f.send(.enter)
    // A new goal: its words first (Enter would leave them empty).
    f.type("warehouse work")
    f.send(.enter)
    f.type("Apply to two warehouses")
    f.send(.tab, .tab)  // partner: employment service
    f.type("Joke")
    f.send(.tab)
    f.type("2026-12-20")
    f.send(.tab, .character("5"))  // done by: a hire
    f.send(.control("s"))
    var plan = try #require(try f.document("K-2026-0003").actionPlan)
    #expect(plan.goals.map(\.kind) == [.job] && plan.goals[0].title == "warehouse work")
    var a1 = try #require(plan.goals.first?.actions.first)
    #expect(a1.id == "a1" && a1.what == "Apply to two warehouses" && a1.partner == .employmentService && a1.responsible == "Joke")
    #expect(a1.due == LocalDate("2026-12-20") && a1.link == .hire && a1.status == .planned && a1.createdOn == today)
    #expect(plan.versions.map(\.change) == ["started", "added a1 under g1"])
    #expect(f.state.caseFile?.tab == .plan)

    // A second action under a new goal, then a referral to the guide with s.
    f.send(.character("a"), .end, .enter, .enter)  // the last kind: other, without words
    f.type("Vocational Dutch")
    f.send(.tab)
    f.send(.control("s"))
    #expect(f.state.caseFile?.planSelection == 1)
    f.send(.character("s"))
    f.type("logistics")  // English words find the Dutch-named service
    guard case .picker(let services)? = f.state.overlay else {
      Issue.record("no service picker")
      return
    }
    #expect(services.visible.count == 1)
    f.send(.enter)
    plan = try #require(try f.document("K-2026-0003").actionPlan)
    #expect(plan.actions.map(\.action.referral?.service) == [nil, service])
    #expect(f.screen.contains("Referred to Dutch at work: logistics · CVO Dijleland"))
    // The list's next due item is the plan's.
    #expect(f.state.list.all.first { $0.id.rawValue == "K-2026-0003" }?.dueItems.contains { $0.key == "plan-action" } == true)

    // The hire does a1 by itself.
    f.send(.character("7"), .character("H"), .tab, .tab)
    f.type("Logistiek Aerts")
    f.send(.tab)
    f.type("Magazijnier")
    f.send(.control("s"))
    f.send(.character("8"))
    let d = try f.document("K-2026-0003")
    a1 = try #require(d.actionPlan?.goals.first?.actions.first)
    #expect(a1.status == .planned)  // as stored
    #expect(ActionProgress(a1, in: d).status == .done && ActionProgress(a1, in: d).doneBy == "hire h1")
    #expect(f.screen.contains("done on 22 Nov") && f.screen.contains("2026 by the hire h1"), "\(f.screen)")

    // c completes a2 with its result; x on a done action asks for a reason and drops it.
    f.send(.character("j"), .character("c"), .tab)
    f.type("started on 7 December")
    f.send(.control("s"))
    var a2 = try #require(try f.document("K-2026-0003").actionPlan?.goals[1].actions.first)
    #expect(a2.status == .done && a2.doneOn == today && a2.result == "started on 7 December")
    f.send(.character("x"), .control("s"))
    #expect(f.state.draft?.form.rows.first?.problem == .required)
    f.type("course full")
    f.send(.control("s"))
    a2 = try #require(try f.document("K-2026-0003").actionPlan?.goals[1].actions.first)
    #expect(a2.status == .dropped && a2.reason == "course full")

    // r: a review, its next date three months on by default.
    f.send(.character("r"), .tab)
    f.type("first review")
    f.send(.control("s"))
    plan = try #require(try f.document("K-2026-0003").actionPlan)
    #expect(plan.reviews.map(\.changes) == ["first review"] && plan.reviews.first?.next == LocalDate("2027-02-22"))

    // A: agreed verbally needs a witness.
    f.send(.character("A"), .character("2"), .control("s"))
    #expect(f.state.draft?.form.rows.first { $0.path == "witness" }?.problem == .needsWitness)
    f.type("interpreter Samira")
    f.send(.control("s"))
    plan = try #require(try f.document("K-2026-0003").actionPlan)
    #expect(plan.agreement == PlanAgreement(on: today, how: .verbal, witness: "interpreter Samira", version: plan.version))
    #expect(f.screen.contains("Agreed verbally on 22 Nov 2026, witnessed by interpreter Samira."))
  }

  /// Found by a reviewer: saving an action over someone else's change took their change back.
  @Test func anEditSavedOverAnotherChangeKeepsTheirFields() throws {
    let f = try Fixture()
    var d = try f.document("K-2026-0003")
    let stored = try f.store.load(d.id)
    var plan = ActionPlan(startedOn: today, startedBy: "tester")
    plan.goals = [PlanGoal(id: "g1", kind: .language, actions: [
      PlanAction(id: "a1", what: "Vocational Dutch", partner: .trainingProvider, due: LocalDate("2026-12-07")!, createdOn: today)
    ])]
    d.actionPlan = plan
    _ = try f.store.save(d, basedOn: stored, by: "tester", now: fixedNow)
    f.send(.control("r"), .character("j"), .character("j"), .enter, .character("8"), .character("e"))
    f.send(.tab, .tab)
    f.type("Griet (CVO)")
    // Meanwhile someone else gives the action to the NGO.
    let theirs = try f.store.load(d.id)
    var other = theirs.document
    other.actionPlan!.goals[0].actions[0].partner = .ngo
    _ = try f.store.save(other, basedOn: theirs, by: "an.peeters", now: fixedNow)
    f.send(.control("s"))  // refused: the case changed; the form stays
    #expect(f.state.draft != nil)
    f.send(.control("s"))  // saved on top
    let a1 = try #require(try f.document("K-2026-0003").actionPlan?.goals[0].actions[0])
    #expect(a1.partner == .ngo && a1.responsible == "Griet (CVO)")
  }

  @Test func thePrintedPlanIsValidHTMLInBothLanguagesAndRecorded() throws {
    let f = try Fixture()
    let service = try Self.addService(f)
    var d = try f.document("K-2026-0003")
    let stored = try f.store.load(d.id)
    var plan = ActionPlan(startedOn: LocalDate("2026-11-01")!, startedBy: "tester")
    plan.goals = [
      PlanGoal(id: "g1", kind: .language, title: "Dutch <at> work & more", actions: [
        PlanAction(id: "a1", what: "Vocational Dutch", partner: .trainingProvider, due: LocalDate("2026-12-07")!, createdOn: LocalDate("2026-11-01")!,
          referral: Referral(service: service, on: LocalDate("2026-11-01")!, outcome: .waitingList))
      ])
    ]
    d.actionPlan = plan
    _ = try f.store.save(d, basedOn: stored, by: "tester", now: fixedNow)
    f.send(.control("r"), .character("j"), .character("j"), .enter, .character("8"))
    for (n, language) in [("1", "nl"), ("2", "en")] {
      let path = f.folder + "/plan-\(language).html"
      f.send(.character("p"), .character("2"), .character(Character(n)))  // HTML, the language
      f.send(.control("u"))
      f.type(path)
      f.send(.enter)
      let html = try String(contentsOfFile: path, encoding: .utf8)
      let parsed = try Python.run(
        "import sys, html5lib\nhtml5lib.HTMLParser(strict=True).parse(sys.stdin.read())\nprint('ok')", input: html)
      #expect(parsed.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
      #expect(html.contains("Dutch &lt;at&gt; work &amp; more") && !html.contains("<at>"))
      #expect(html.contains(language == "nl" ? "wachtlijst" : "waiting list"))
      #expect(html.contains(language == "nl" ? "Individueel actieplan" : "Individual action plan"))
      // Nothing of the staff's log of versions in the person's copy.
      #expect(!html.contains("started") && !html.contains("tester"))
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
    let disclosures = try f.document("K-2026-0003").disclosures
    #expect(disclosures.map(\.purpose) == ["action-plan", "action-plan"] && disclosures.allSatisfy { $0.recipient == Disclosure.toThePerson })
  }

  @Test func theServicesGuideIsSearchedInEitherLanguageAndEdited() throws {
    let f = try Fixture()
    try Self.addService(f)
    f.send(.character("S"))
    #expect(f.state.activeScreen == .services)
    f.send(.character("/"))
    f.type("logistics")  // English words find a Dutch-named service
    f.send(.enter)
    #expect(f.state.shownServices.count == 1)
    f.send(.character("/"), .control("u"))
    f.type("zorg")
    f.send(.enter)
    #expect(f.state.shownServices.isEmpty && f.screen.contains("No service found"))
    f.send(.character("x"), .character("n"))
    f.type("Starterstraject")
    f.send(.tab)
    f.type("Start-up track")
    f.send(.tab, .character("6"))  // kind: entrepreneurship, by its number
    f.send(.tab)
    f.type("Starterspunt")
    f.send(.tab)
    f.type("2026-13-01")
    f.send(.control("s"))
    #expect(f.state.draft != nil)  // a start date that is no date is refused
    f.send(.control("u"))
    f.type("2027-01-11")
    f.send(.control("s"))
    let services = try f.store.records(Service.self).records.map(\.record)
    let s = try #require(services.first { $0.name == "Starterstraject" })
    #expect(s.nameEn == "Start-up track" && s.type == .entrepreneurship && s.provider == "Starterspunt" && s.starts == ["2027-01-11"], "\(s)")
    #expect(f.state.activeScreen == .services)
  }
}
