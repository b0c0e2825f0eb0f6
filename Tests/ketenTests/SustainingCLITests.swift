import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

/// Matching and sustaining on the real binary: employers, openings and ranking, internships,
/// fairs, a hire with its follow-ups, and the agenda as text and as iCalendar.
@Suite struct SustainingCLITests {
  @Test func matchingFromTheCommandLine() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Amal Yousef", "--gender", "female"], dir)
    _ = try ok(["edit", a, "--set", "stages=matching", "--set", "procedure.status=recognised-refugee"], dir)
    let e = try ok(["employers", "add", "--name", "Zorgcentrum Ter Linde", "--set", "sector=health-care", "--set", "region=Leuven"], dir)
    try fails(["employers", "add", "--name", "X", "--set", "sector=space"], dir, saying: "'space' is not a sector")
    try fails(["openings", "add", e, "--title", "Zorgkundige", "--profile", "astronaut", "--start", "2026-12-01"], dir, saying: "'astronaut' is not a job profile")
    try fails(["openings", "add", e, "--title", "Stage", "--profile", "carer", "--start", "2026-12-01", "--set", "type=internship"], dir, saying: "end: this field is required")
    let o = try ok(["openings", "add", e, "--title", "Zorgkundige", "--profile", "carer", "--start", "2026-12-01", "--set", "languageLevel=B1", "--set", "language=nl"], dir)
    #expect(try ok(["openings"], dir).contains("shortage"))
    let ranked = try ok(["openings", "candidates", o], dir)
    #expect(ranked.contains(a) && ranked.contains("permit 15/15") && ranked.contains("language 0/15 (no level recorded for Dutch (asked B1))"), "\(ranked)")
    #expect(try ok(["match", a], dir).contains(o))

    // An internship starts only with all three signatures; a long one needs its reason.
    let i = try ok(["internship", "add", a, "--set", "organisation=Ter Linde", "--set", "from=2026-10-01", "--set", "to=2027-04-01"], dir)
    #expect(i.contains("internship i1 added"))
    _ = i
    try fails(["internship", "edit", a, "i1", "--set", "started=2026-10-01"], dir, saying: "missing: intern, company, mediator")
    try fails(["internship", "edit", a, "i1", "--set", "to=2027-04-02"], dir, saying: "more than 6 months needs a stated reason")
    try fails(["internship", "edit", a, "i9", "--set", "role=x"], dir, saying: "has no internship i9; it has i1")
    _ = try ok(["internship", "edit", a, "i1", "--set", "intern=Amal Yousef, 2026-09-20", "--set", "company=Ter Linde, 2026-09-21", "--set", "mediator=An, 2026-09-22", "--set", "started=2026-10-01"], dir)

    // A job fair with logistics and results.
    let f = try ok(["fairs", "create", "--name", "Jobbeurs Leuven", "--on", "2026-10-20", "--set", "employers=\(e)"], dir)
    _ = try ok(["fairs", "register", f, a, "--transport", "--childcare"], dir)
    try fails(["fairs", "register", f, a], dir, saying: "already registered")
    _ = try ok(["fairs", "result", f, a, "--set", "attended=yes", "--set", "interviews=2", "--set", "offers=1"], dir)
    let shown = try ok(["fairs", "show", f], dir)
    #expect(shown.contains("transport+childcare") && shown.contains("2 interviews, 1 offers"), "\(shown)")
  }

  @Test func aHireItsFollowUpsAndTheAgenda() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Samir Nouri"], dir)
    let hired = try ok(["hire", a, "--set", "employerName=Bakkerij Peeters", "--set", "job=Baker", "--set", "start=2026-11-02", "--set", "contract=fixed-term"], dir)
    // Week 4 (30 Nov) gives way to month 1 (2 Dec); 2 May 2027 is a Sunday: the review is on Friday 30 April.
    #expect(hired.contains("12 follow-up meetings planned, the six-month review on 2027-04-30"), "\(hired)")
    try fails(["hire", a, "--set", "employerName=Other", "--set", "job=x"], dir, saying: "without a six-month outcome")
    try fails(["followup", "log", a, "manager@9w"], dir, saying: "manager@9w is not a meeting of h1")
    try fails(["followup", "log", a, "manager@1w", "--set", "risk=extreme"], dir, saying: "'extreme' is not allowed; choose one of low, medium, high")
    let logged = try ok(["followup", "log", a, "manager@1w", "--set", "heldOn=2026-11-09", "--set", "attended=worker,manager", "--set", "issues=childcare", "--set", "risk=high"], dir)
    #expect(logged.contains("HIGH drop-out risk flags the case"))
    try fails(["followup", "log", a, "manager@1w", "--set", "heldOn=2026-11-10"], dir, saying: "already logged")
    // Held before its planned day: said so with --early, or refused.
    try fails(["followup", "log", a, "counsellor@1m", "--set", "heldOn=2026-11-02"], dir,
      saying: "counsellor@1m is planned for 2026-12-02, after 2026-11-02; if it really was held then, add --early.")
    // A meeting is moved to a day to come, with a reason.
    let workingDays = try WorkingDays.load(storeRoot: nil)
    let soon = workingDays.onOrAfter(LocalDate.today().adding(days: 5)).description
    let saturday = (1...7).map { LocalDate.today().adding(days: $0) }.first { $0.weekday == 6 }!
    try fails(["followup", "reschedule", a, "counsellor@1w", "--to", saturday.description, "--reason", "worker ill"], dir,
      saying: "--to: \(saturday) is a weekend day or a public holiday; meetings are on working days, such as \(saturday.adding(days: -1)) or")
    try fails(["followup", "reschedule", a, "counsellor@1w", "--to", soon, "--reason", " "], dir, saying: "a reason is required")
    try fails(["followup", "reschedule", a, "counsellor@1w", "--to", "2026-11-25", "--reason", "worker ill"], dir,
      saying: "2026-11-25 has passed; a meeting is moved to \(LocalDate.today()) or later")
    _ = try ok(["followup", "reschedule", a, "counsellor@1w", "--to", soon, "--reason", "worker ill"], dir)
    let plan = try ok(["followup", "plan", a, "--set", "retention=bus pass, childcare place", "--set", "approvals.worker=Samir Nouri, 2026-11-03"], dir)
    #expect(plan.contains("version 2") && plan.contains("retention: bus pass; childcare place"), "\(plan)")
    try fails(["followup", "outcome", a, "--status", "left"], dir, saying: "outcome.reason: say why")

    // The agenda from 9 to 15 November, as text and as iCalendar with stable UIDs: the high risk
    // of the 9th, the manager's week 2 on the 16th is outside, the counsellor's week 1 moved away.
    let text = try ok(["agenda", "--from", "2026-11-09", "--days", "8", "--lang", "en"], dir)
    #expect(text.contains("Mon 2026-11-09") && text.contains("High drop-out risk"), "\(text)")
    #expect(text.contains("Mon 2026-11-16") && text.contains("Internal manager · week 2"), "\(text)")
    #expect(!text.contains("Career counsellor · week 1"), "\(text)")
    let ics1 = try Keten.run(["agenda", "--from", "2026-11-02", "--days", "60", "--ics"], store: dir.store).stdout
    let ics2 = try Keten.run(["agenda", "--from", "2026-11-02", "--days", "60", "--ics"], store: dir.store).stdout
    let parse = """
      import sys, icalendar
      cal = icalendar.Calendar.from_ical(sys.stdin.read())
      print(sorted(str(e['UID']) for e in cal.walk('VEVENT')))
      print(all('Samir' not in str(e['SUMMARY']) for e in cal.walk('VEVENT')))
      """
    let uids1 = try Python.run(parse, input: ics1)
    let uids2 = try Python.run(parse, input: ics2)
    #expect(uids1 == uids2)
    #expect(uids1.contains("\(a)-post-hire-h1-counsellor@1w@keten") && uids1.hasSuffix("True\n"), "\(uids1)")
    let early = try ok(["followup", "log", a, "counsellor@1m", "--set", "heldOn=2026-11-20", "--set", "risk=high", "--early"], dir)
    #expect(early.contains("logged"))
    try fails(["agenda", "--days", "0"], dir, saying: "--days 0 is not from 1 to 366")
    try fails(["agenda", "--from", "2026-02-30"], dir, saying: "2026-02-30")
  }

  /// A calendar that imports the export again keeps its history: every earlier UID is still
  /// there after logging and rescheduling, each event on its own day, held ones marked held and
  /// confirmed, overdue ones marked on their planned day (never moved to today), moved ones
  /// saying from when and why; a training day is not named twice.
  @Test func theCalendarExportKeepsEveryMeetingOnItsDay() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Samir Nouri"], dir)
    _ = try ok(["hire", a, "--set", "employerName=Bakkerij Peeters", "--set", "job=Baker", "--set", "start=2026-09-07", "--set", "contract=fixed-term"], dir)
    // The training day and the day a meeting moves to are days to come, whenever the test runs.
    let trainingDay = LocalDate.today().adding(days: 7)
    let movedTo = try WorkingDays.load(storeRoot: nil).onOrAfter(LocalDate.today().adding(days: 3))
    _ = try ok(["training", "create", "--name", "VOORwerk Kapellen", "--centre", "Kapellen", "--language", "nl", "--day", trainingDay.description], dir)
    let parse = """
      import sys, icalendar
      cal = icalendar.Calendar.from_ical(sys.stdin.read())
      for e in cal.walk('VEVENT'):
        print(str(e['UID']), e['DTSTART'].dt.isoformat(), str(e.get('STATUS')), str(e['SUMMARY']), '|', str(e.get('DESCRIPTION', '')).replace('\\n', ' / '))
      """
    func export() throws -> [String: String] {
      let ics = try Keten.run(["agenda", "--from", LocalDate.today().description, "--days", "14", "--ics", "--lang", "en"], store: dir.store).stdout
      let lines = try Python.run(parse, input: ics).split(separator: "\n").map(String.init)
      return Dictionary(uniqueKeysWithValues: lines.map { (String($0.prefix { $0 != " " }), $0) })
    }
    let before = try export()
    let week1 = try #require(before["\(a)-post-hire-h1-manager@1w@keten"])
    // Planned for Monday 14 Sep and overdue: on its own day, marked, not moved to today.
    #expect(week1.contains(" 2026-09-14 TENTATIVE ! Internal manager · week 1 — \(a)") && week1.contains("Overdue: planned for 14 Sep 2026"), "\(week1)")
    #expect(before.values.contains { $0.contains("VOORwerk: VOORwerk Kapellen |") || $0.hasSuffix("VOORwerk: VOORwerk Kapellen | ") }, "\(before.values)")
    #expect(!before.values.contains { $0.contains("Kapellen — VOORwerk Kapellen") })

    _ = try ok(["followup", "log", a, "manager@1w", "--set", "heldOn=2026-09-14"], dir)
    _ = try ok(["followup", "reschedule", a, "manager@2w", "--to", movedTo.description, "--reason", "worker ill"], dir)
    let after = try export()
    #expect(Set(before.keys).isSubset(of: Set(after.keys)), "lost: \(Set(before.keys).subtracting(after.keys))")
    let held = try #require(after["\(a)-post-hire-h1-manager@1w@keten"])
    #expect(held.contains(" 2026-09-14 CONFIRMED ✓ Internal manager · week 1") && held.contains("Held on 14 Sep 2026"), "\(held)")
    let moved = try #require(after["\(a)-post-hire-h1-manager@2w@keten"])
    #expect(moved.contains(" \(movedTo) ") && moved.contains("Moved from 21 Sep 2026: worker ill"), "\(moved)")
  }
}
