import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

/// The action plan and the services guide from the command line: a hand-worked plan, its
/// items in the agenda and the calendar export, the printable plan, and what is refused.
@Suite struct PlanCLITests {
  @Test func aHandWorkedPlanFromTheCommandLine() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Samir Nouri"], dir)
    let s = try ok(["services", "add", "--name", "NT2 op de werkvloer", "--type", "vocational-language", "--set", "nameEn=Dutch at work", "--set", "provider=CVO Dijleland", "--set", "starts=2027-01-11"], dir)
    #expect(s == "S-\(LocalDate.today().year)-0001")
    try fails(["services", "add", "--name", "X", "--type", "course", "--set", "starts=2027-02-30"], dir, saying: "'2027-02-30' does not exist")
    try fails(["services", "add", "--name", "X", "--type", "party"], dir, saying: "--type: 'party' is not one of course, vocational-language")
    #expect(try ok(["services", "list", "--search", "dutch work"], dir).contains("NT2 op de werkvloer"))
    #expect(try ok(["services", "list", "--search", "beroepsgerichte taalcursus"], dir).contains("NT2 op de werkvloer"))
    #expect(try ok(["services", "list", "--search", "heftruck"], dir) == "No service matches.")

    let soon = LocalDate.today().adding(days: 20).description
    let past = LocalDate.today().adding(days: -3).description
    #expect(try ok(["action-plan", "add", a, "--goal", "job", "--action", "Apply to two warehouses", "--partner", "employment-service", "--responsible", "Joke", "--due", soon, "--link", "hire"], dir) == "a1")
    // An action due before it was made is refused; one made ten days ago and due three days ago
    // is overdue (written through the store, as days passing would leave it).
    try fails(["action-plan", "add", a, "--goal", "language", "--action", "Vocational Dutch", "--partner", "training-provider", "--due", past], dir,
      saying: "is before the start")
    #expect(try ok(["action-plan", "add", a, "--goal", "language", "--action", "Vocational Dutch", "--partner", "training-provider", "--due", soon, "--service", s], dir) == "a2")
    let store = try Store(root: dir.store)
    let stored = try store.load(try CaseID(a))
    var d = stored.document
    d.actionPlan!.goals[1].actions[0].createdOn = LocalDate.today().adding(days: -10)
    d.actionPlan!.goals[1].actions[0].due = LocalDate(past)!
    _ = try store.save(d, basedOn: stored, by: "root")
    try fails(["action-plan", "add", a, "--goal", "jobs", "--action", "x", "--partner", "ngo", "--due", soon], dir, saying: "--goal: 'jobs' is not one of job, training")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "vdab", "--due", soon], dir, saying: "--partner: 'vdab' is not one of employment-service, ngo")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "ngo", "--due", soon, "--service", "S-2026-0099"], dir, saying: "No service S-2026-0099 in this store.")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", " ", "--partner", "ngo", "--due", soon], dir, saying: "what: this field is required")
    try fails(["action-plan", "done", a, "a9"], dir, saying: "\(a) has no action a9; its actions are a1, a2.")
    try fails(["action-plan", "drop", a, "a2", "--reason", " "], dir, saying: "say why")
    try fails(["action-plan", "review", a, "--on", soon], dir, saying: "is in the future")
    try fails(["action-plan", "agree", a, "--how", "verbal"], dir, saying: "witness")

    // The overdue action is due in the list and the agenda; its UID stays when it changes.
    #expect(try ok(["list"], dir).contains("action a2 · Training provider"))
    let agenda = try ok(["agenda", "--from", past, "--days", "30", "--lang", "en"], dir)
    #expect(agenda.contains("Action a2 · Training provider") && agenda.contains("Action a1 · Employment service (VDAB)"), "\(agenda)")
    let parse = """
      import sys, icalendar
      cal = icalendar.Calendar.from_ical(sys.stdin.read())
      for e in cal.walk('VEVENT'):
        print(str(e['UID']), e['DTSTART'].dt.isoformat(), str(e['SUMMARY']))
      """
    func export() throws -> [String: String] {
      let ics = try Keten.run(["agenda", "--from", LocalDate.today().description, "--days", "120", "--ics", "--lang", "en"], store: dir.store).stdout
      let lines = try Python.run(parse, input: ics).split(separator: "\n").map(String.init)
      return Dictionary(uniqueKeysWithValues: lines.map { (String($0.prefix { $0 != " " }), $0) })
    }
    let before = try export()
    #expect(before["\(a)-plan-action-a2@keten"]?.contains("! Action a2") == true, "\(before)")
    #expect(before["\(a)-plan-review@keten"] != nil)
    _ = try ok(["action-plan", "edit", a, "a2", "--set", "partner=ngo", "--set", "referral.outcome=waiting-list"], dir)
    let after = try export()
    #expect(after["\(a)-plan-action-a2@keten"]?.contains("Action a2 · NGO") == true, "\(after)")

    // The hire does a1; a review and the agreement; the plan's versions.
    _ = try ok(["hire", a, "--set", "employerName=Bakkerij Peeters", "--set", "job=Baker", "--set", "start=\(LocalDate.today())", "--set", "contract=fixed-term"], dir)
    _ = try ok(["action-plan", "done", a, "a2", "--result", "started in January"], dir)
    _ = try ok(["action-plan", "review", a, "--changes", "hired; Dutch goes on"], dir)
    #expect(try ok(["action-plan", "agree", a, "--how", "verbal", "--witness", "interpreter Samira"], dir) == "\(a): version 6 of the action plan agreed verbal on \(LocalDate.today()).")
    let shown = try ok(["action-plan", "show", a], dir)
    // The detail line wraps at 80 columns wherever today's date puts the break: read it as words.
    let words = shown.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(shown.contains("✓ a1  Apply to two warehouses") && words.contains(" by the hire h1"), "\(shown)")
    #expect(shown.contains("✓ a2  Vocational Dutch") && shown.contains("Referred to Dutch at work · CVO Dijleland — waiting list"), "\(shown)")
    #expect(shown.contains("Agreed verbally on") && shown.contains("v6"), "\(shown)")
    #expect(!(try ok(["list"], dir).contains("action a")))

    // The person's copy: in Dutch, without the staff's log; recorded as a disclosure.
    let out = dir.path + "/plan.txt"
    _ = try ok(["export", a, "--format", "plan-text", "--lang", "nl", "-o", out], dir)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.hasPrefix("Individueel actieplan\nSamir Nouri\n") && text.contains("Doorverwezen naar NT2 op de werkvloer"))
    #expect(!text.contains("Versies") && !text.contains("root"))
    #expect(try ok(["show", a, "--json"], dir).contains("\"action-plan\""))
  }

  /// Found by a reviewer: the command line took what makes no sense, and `keten check` let it be.
  @Test func whatMakesNoSenseIsRefused() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Samir Nouri"], dir)
    let soon = LocalDate.today().adding(days: 20).description
    let s = try ok(["services", "add", "--name", "Jobclub", "--type", "other", "--set", "active=no"], dir)
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "ngo", "--due", soon, "--service", s], dir, saying: "is not active in the guide")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", String(repeating: "x", count: 600), "--partner", "ngo", "--due", soon], dir, saying: "600")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "ngo", "--due", soon, "--link-ref", "G-2026-0001"], dir, saying: "a link (hire, internship, mentoring, …) first")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "ngo", "--due", soon, "--link", "hire", "--link-ref", "h9"], dir, saying: "'h9' is not allowed; choose one of none yet")
    _ = try ok(["action-plan", "add", a, "--goal", "job", "--action", "Register", "--partner", "employment-service", "--due", soon], dir)
    try fails(["action-plan", "done", a, "a1", "--on", "2001-01-01"], dir, saying: "is before the start")
    _ = try ok(["action-plan", "done", a, "a1", "--result", "registered"], dir)
    try fails(["action-plan", "done", a, "a1", "--result", "again"], dir, saying: "\(a) action a1 is done on \(LocalDate.today()) already")
    try fails(["action-plan", "drop", a, "a1", "--reason", "oops"], dir, saying: "is done on")
    try fails(["action-plan", "agree", a, "--how", "signed", "--on", "2020-01-01"], dir, saying: "is before the start")
    try fails(["action-plan", "agree", a, "--how", "signed", "--witness", "Bob"], dir, saying: "--witness is for a verbal agreement")
    // A review's next date falls on a working day; by default it is moved to the one before.
    let saturday = (10...16).map { LocalDate.today().adding(days: $0) }.first { $0.weekday == 6 }!
    try fails(["action-plan", "review", a, "--next", saturday.description], dir, saying: "--next: \(saturday) is a weekend day or a public holiday")
    let reviewed = try ok(["action-plan", "review", a], dir)
    let next = try #require(LocalDate(String(reviewed.split(separator: " ").last!.dropLast())))
    #expect(try WorkingDays.load(storeRoot: nil).isWorkingDay(next), "\(reviewed)")
    #expect(try ok(["check"], dir).contains("0 problem(s)"))
  }

  @Test func thePlanFollowsTheRoleTable() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Samir Nouri", "--centre", "Gent", "--worker", "an.peeters"], dir)
    _ = try ok(["action-plan", "add", a, "--goal", "housing", "--action", "Social housing file", "--partner", "municipality", "--due", "2027-01-10"], dir)
    // A second coordinator, so the one running the tests can take other roles.
    _ = try ok(["users", "add", "boss", "--role", "coordinator"], dir)
    try PrivacyCLITests.setRole("case-worker", centre: "Brugge", dir)
    try fails(["action-plan", "show", a], dir, saying: "No case \(a)")
    try fails(["action-plan", "add", a, "--goal", "job", "--action", "x", "--partner", "ngo", "--due", "2027-01-10"], dir, saying: "No case \(a)")
    try PrivacyCLITests.setRole("trainer", dir)
    try fails(["action-plan", "show", a], dir, saying: "No case \(a)")
    try fails(["services", "list"], dir, code: 5, saying: "not visible for your role")
  }
}
