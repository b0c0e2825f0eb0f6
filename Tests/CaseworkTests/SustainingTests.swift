import CaseStore
import Foundation
import TestSupport
import Testing

@testable import Casework

/// The post-hire cadence against dates worked out by hand, follow-up logging and overdue logic,
/// the internship rules, job matching, and the agenda with its iCalendar.
@Suite struct SustainingTests {
  let cadence = Fixture.content.followUp
  let day = { (text: String) in LocalDate(text)! }

  func dates(_ hire: String) -> [String] {
    cadence.schedule(from: day(hire)).map { "\($0.key) \($0.date)" }
  }

  @Test func hireOnThe31stOfJanuaryInACommonYear() {
    // Hired on a Sunday: every weekly meeting falls on a Sunday and moves to the Friday before
    // (5, 12, 19 Feb); a month on is 28 Feb (clamped), a Sunday too: Friday 26 Feb. Months count
    // from the hire date; 31 July 2027 is a Saturday: the review is on Friday 30 July.
    #expect(dates("2027-01-31") == [
      "manager@1w 2027-02-05", "counsellor@1w 2027-02-05", "manager@2w 2027-02-12", "manager@3w 2027-02-19",
      "manager@1m 2027-02-26", "counsellor@1m 2027-02-26", "manager@2m 2027-03-31", "manager@3m 2027-04-30",
      "counsellor@3m 2027-04-30", "manager@4m 2027-05-31", "manager@5m 2027-06-30", "review@6m 2027-07-30",
    ])
  }

  @Test func hireOnThe31stOfJanuaryInALeapYear() {
    // 2028 is a leap year: one month on is 29 Feb, so the fourth week (28 Feb) would be the day
    // before the monthly meeting: it gives way. 30 April 2028 is a Sunday: Friday 28 April.
    #expect(dates("2028-01-31") == [
      "manager@1w 2028-02-07", "counsellor@1w 2028-02-07", "manager@2w 2028-02-14", "manager@3w 2028-02-21",
      "manager@1m 2028-02-29", "counsellor@1m 2028-02-29", "manager@2m 2028-03-31", "manager@3m 2028-04-28",
      "counsellor@3m 2028-04-28", "manager@4m 2028-05-31", "manager@5m 2028-06-30", "review@6m 2028-07-31",
    ])
  }

  @Test func sixMonthReviewLandsOnTheLeapDay() {
    let schedule = cadence.schedule(from: day("2027-08-31"))
    #expect(schedule.last?.key == "review@6m" && schedule.last?.date == day("2028-02-29"))
    // Week 4 (28 Sep) gives way to month 1 (30 Sep); 31 Oct 2027 is a Sunday: Friday 29 Oct.
    #expect(schedule.filter { $0.role == "manager" }.map(\.date.description) == [
      "2027-09-07", "2027-09-14", "2027-09-21", "2027-09-30", "2027-10-29", "2027-11-30", "2027-12-31", "2028-01-31",
    ])
  }

  @Test func ordinaryHireMidMonth() {
    // Week 4 (21 Dec) is two days before month 1 (23 Dec): it gives way. 23 Jan 2027 is a
    // Saturday (Friday 22 Jan); 23 May 2027 a Sunday (Friday 21 May).
    #expect(dates("2026-11-23") == [
      "manager@1w 2026-11-30", "counsellor@1w 2026-11-30", "manager@2w 2026-12-07", "manager@3w 2026-12-14",
      "manager@1m 2026-12-23", "counsellor@1m 2026-12-23", "manager@2m 2027-01-22", "manager@3m 2027-02-23",
      "counsellor@3m 2027-02-23", "manager@4m 2027-03-23", "manager@5m 2027-04-23", "review@6m 2027-05-21",
    ])
  }

  @Test func belgianHolidaysAreNotMeetingDays() {
    let days = cadence.workingDays
    // Easter Sunday 2027 is 28 March: Easter Monday 29 Mar, Ascension 6 May, Whit Monday 17 May.
    #expect(WorkingDays.easter(2027) == day("2027-03-28") && WorkingDays.easter(2026) == day("2026-04-05"))
    for holiday in ["2027-03-29", "2027-05-06", "2027-05-17", "2026-12-25", "2027-07-21", "2027-11-01", "2027-11-11"] {
      #expect(!days.isWorkingDay(day(holiday)), "\(holiday)")
    }
    // A hire on 29 Jan 2027: month 3 is Thursday 29 April; a hire on 6 April: month 1 is Thursday
    // 6 May, Ascension, so Wednesday 5 May.
    #expect(cadence.schedule(from: day("2027-04-06")).first { $0.key == "manager@1m" }?.date == day("2027-05-05"))
  }

  /// Every hire day of a whole year: every meeting on a working day, at most four days before its
  /// date (a weekend, or a holiday next to one) or, when that would crowd the role's previous
  /// meeting, just after it; one role's meetings at least five days apart; at least three weekly
  /// meetings in the first month, monthly after; the review within the six months.
  @Test func everyHireDayOfAYearGivesAPlanPeopleCanKeep() {
    let days = cadence.workingDays
    var hire = day("2027-01-01")
    while hire.year == 2027 {
      let plan = cadence.schedule(from: hire)
      for m in plan {
        let nominal = m.offset.date(from: hire)
        #expect(days.isWorkingDay(m.date), "\(hire) \(m.key) on \(m.date)")
        #expect(abs(m.date.days(until: nominal)) <= 4, "\(hire) \(m.key): \(m.date) for \(nominal)")
      }
      for role in ["manager", "counsellor"] {
        let dates = plan.filter { $0.role == role }.map(\.date)
        for (a, b) in zip(dates, dates.dropFirst()) { #expect(a.days(until: b) >= 5, "\(hire) \(role): \(a) then \(b)") }
      }
      let manager = plan.filter { $0.role == "manager" }.map(\.key)
      #expect(manager.filter { $0.hasSuffix("w") }.count >= 3 && ["1m", "2m", "3m", "4m", "5m"].allSatisfy { manager.contains("manager@" + $0) }, "\(hire): \(plan.map { "\($0.key) \($0.date)" })")
      let review = plan.last { $0.key == "review@6m" }!.date
      #expect(review <= hire.adding(months: 6) && review > hire.adding(months: 6).adding(days: -5))
      hire = hire.adding(days: 1)
    }
  }

  @Test func aDueItemSplitsItsKindFromWhichItemAtTheFirstSlash() {
    let meeting = DueItem(date: day("2026-11-23"), what: "post-hire/h1/é-manager@2w", kind: .task)
    #expect(meeting.key == "post-hire" && meeting.ref == "h1/é-manager@2w")
    let permit = DueItem(date: day("2026-11-23"), what: "work-permit", kind: .milestone)
    #expect(permit.key == "work-permit" && permit.ref == "")
    let trailing = DueItem(date: day("2026-11-23"), what: "ç/", kind: .task)
    #expect(trailing.key == "ç" && trailing.ref == "")
  }

  @Test func cadenceFileIsValidatedOnLoad() throws {
    var broken = cadence
    broken.meetings.append(.init(role: "buddy", at: ["2w"]))
    #expect(throws: ContentError.self) { try broken.validate(name: "followup.json") }
    broken = cadence
    broken.meetings[0].every = "fortnight"
    #expect(throws: ContentError.self) { try broken.validate(name: "followup.json") }
    broken = cadence
    broken.meetings[1].from = "2w"
    #expect(throws: ContentError.self) { try broken.validate(name: "followup.json") }
  }

  func hired(on start: String) -> CaseDocument {
    var d = CaseDocument(id: CaseID(year: 2026, number: 11), person: Person(fullName: "Samir Nouri"), createdBy: "an")
    d.placement.hires.append(
      Hire(id: "h1", employerName: "Bakkerij Peeters", job: "Baker", contract: .fixedTerm, start: day(start), hoursPerWeek: 38,
           recordedBy: "an", recordedOn: day(start)))
    return d
  }

  @Test func missedMeetingStaysOverdueUntilLoggedOrRescheduled() throws {
    var d = hired(on: "2026-11-02")
    // manager@1w is on 9 Nov: due that day, overdue from the 10th.
    var s = FollowUpSchedule(hire: d.placement.hires[0], cadence: cadence, today: day("2026-11-09"))
    #expect(s.meeting("manager@1w")?.status == .upcoming)
    s = FollowUpSchedule(hire: d.placement.hires[0], cadence: cadence, today: day("2026-11-10"))
    #expect(s.meeting("manager@1w")?.status == .overdue(days: 1))
    #expect(s.overdue.map(\.key) == ["manager@1w", "counsellor@1w"])
    // Still overdue weeks later.
    s = FollowUpSchedule(hire: d.placement.hires[0], cadence: cadence, today: day("2026-11-22"))
    #expect(s.overdue.map(\.key) == ["manager@1w", "counsellor@1w", "manager@2w"])

    // Logged late: held, and counted late.
    d.placement.hires[0].followUps.append(
      FollowUp(id: "f1", meeting: "manager@1w", heldOn: day("2026-11-12"), attended: [.worker, .manager], issues: [.commuting],
               risk: .medium, loggedBy: "an"))
    // Rescheduled with a reason to a day still to come: no longer overdue.
    d.placement.hires[0].reschedules.append(
      Reschedule(meeting: "counsellor@1w", to: day("2026-11-25"), reason: "worker ill", by: "an", on: day("2026-11-20")))
    #expect(d.validationIssues(today: day("2026-11-22")).isEmpty)
    s = FollowUpSchedule(hire: d.placement.hires[0], cadence: cadence, today: day("2026-11-22"))
    #expect(s.overdue.map(\.key) == ["manager@2w"])
    #expect(s.meeting("counsellor@1w")?.due == day("2026-11-25"))
    #expect(s.timeliness() == (onTime: 0, late: 1))

    // The case list agrees: the first task is the overdue manager@2w.
    let rules = Fixture.content.chainRules
    let summary = CaseSummary(document: d, rules: rules)
    #expect(summary.isOverdue(today: day("2026-11-22")))
    #expect(summary.nextDue(today: day("2026-11-22"))?.what == "post-hire/h1/manager@2w")
    // A reschedule without a reason is refused.
    d.placement.hires[0].reschedules[0].reason = " "
    #expect(d.validationIssues(today: day("2026-11-22")).map(\.path) == ["placement.hires[0].reschedules[0].reason"])
  }

  @Test func highRiskFlagsTheCaseUntilALaterFollowUpLowersIt() {
    var d = hired(on: "2026-10-01")
    d.placement.hires[0].followUps = [
      FollowUp(id: "f1", meeting: "manager@1w", heldOn: day("2026-10-08"), attended: [.worker, .manager], issues: [.childcare], risk: .high)
    ]
    let rules = Fixture.content.chainRules
    #expect(rules.dueItems(for: d).contains { $0.what == "dropout-risk/h1" && $0.kind == .task })
    d.placement.hires[0].followUps.append(
      FollowUp(id: "f2", meeting: "counsellor@1w", heldOn: day("2026-10-09"), attended: [.worker, .counsellor], risk: .low))
    #expect(!rules.dueItems(for: d).contains { $0.key == "dropout-risk" })
    // Two logs of one meeting are refused.
    d.placement.hires[0].followUps.append(FollowUp(id: "f3", meeting: "manager@1w", heldOn: day("2026-10-10")))
    #expect(d.validationIssues(today: day("2026-11-22")).map(\.path) == ["placement.hires[0].followUps[2].meeting"])
  }

  @Test func outcomeEndsTheScheduleAndNeedsAReasonWhenThePersonLeft() {
    var d = hired(on: "2026-03-02")
    d.placement.hires[0].outcome = HireOutcome(on: day("2026-06-15"), status: .left, reason: "", by: "an")
    #expect(d.validationIssues(today: Fixture.today).map(\.path) == ["placement.hires[0].outcome.reason"])
    d.placement.hires[0].outcome?.reason = "moved to another city"
    #expect(d.validationIssues(today: Fixture.today).isEmpty)
    let s = FollowUpSchedule(hire: d.placement.hires[0], cadence: cadence, today: Fixture.today)
    #expect(s.meeting("review@6m")?.status == .ended)
    #expect(s.meeting("manager@3m")?.isOverdue == true)  // 2 June passed before she left, never logged
    // No more post-hire items once the outcome is in.
    #expect(!Fixture.content.chainRules.dueItems(for: d).contains { $0.key == "post-hire" || $0.key == "hire-outcome" })
    d.placement.hires[0].outcome = HireOutcome(on: day("2026-09-02"), status: .employedSame, by: "an")
    #expect(d.validationIssues(today: Fixture.today).isEmpty)
  }

  @Test func planRevisionsKeepTheHistoryAndAskForNewApprovals() {
    var hire = hired(on: "2026-10-01").placement.hires[0]
    var plan = hire.plan
    plan.retention = ["bike for the commute"]
    plan.approvals.worker = Signature(name: "Samir Nouri", on: day("2026-10-02"))
    plan.approvals.counsellor = Signature(name: "An Peeters", on: day("2026-10-02"))
    plan.approvals.manager = Signature(name: "Joke Janssens", on: day("2026-10-03"))
    hire.revisePlan(plan, by: "an", on: day("2026-10-03"))
    #expect(hire.plan.approvals.isComplete && hire.planHistory.count == 1)
    var next = hire.plan
    next.growth = ["forklift course"]
    hire.revisePlan(next, by: "an", on: day("2026-11-05"))
    #expect(hire.planHistory.count == 2)
    #expect(hire.planHistory[1].approvals.isComplete)  // the approved version is kept as it was
    #expect(hire.plan.approvals == PostHirePlan.Approvals())  // the changed plan needs approving again
    #expect(hire.plan.revisedOn == day("2026-11-05") && hire.plan.growth == ["forklift course"])
  }

  @Test func internshipStartsOnlyWithAllThreeSignaturesAndLongOnesNeedAReason() {
    var i = Internship(id: "i1", organisation: "Zorgcentrum Ter Linde", role: "carer", from: day("2026-10-01"), to: day("2027-04-01"))
    #expect(i.issues(today: Fixture.today).isEmpty)  // exactly six months
    i.to = day("2027-04-02")
    #expect(i.issues(today: Fixture.today).map(\.problem) == [.internshipTooLong(months: 6)])
    i.longerReason = "the care certificate takes seven months"
    i.intern = Signature(name: "Amal Yousef", on: day("2026-09-20"))
    i.company = Signature(name: "Ter Linde", on: day("2026-09-22"))
    i.started = day("2026-10-01")
    #expect(i.issues(today: Fixture.today).map(\.problem) == [.needsSignatures(missing: ["mediator"])])
    i.mediator = Signature(name: "An Peeters", on: day("2026-10-02"))
    #expect(i.issues(today: Fixture.today).map(\.problem) == [.signedAfterStart(signed: day("2026-10-02"), started: day("2026-10-01"))])
    i.mediator?.on = day("2026-09-25")
    #expect(i.issues(today: Fixture.today).isEmpty)
    // The agreement's signature field takes "name, date" and names a bad date.
    var form = i
    #expect(throws: FieldError.self) { try FormField.named("company", in: Internship.fields(today: Fixture.today)).assign("Ter Linde, 2026-13-01", to: &form) }
  }

  // MARK: Matching

  func candidate(_ number: Int, _ name: String, status: ProcedureStatus?, permit: String? = nil) -> CaseDocument {
    var d = CaseDocument(id: CaseID(year: 2026, number: number), person: Person(fullName: name), createdBy: "an")
    d.procedure.status = status
    d.procedure.overrideWorkPermitDate(permit.map(day))
    return d
  }

  func opening() -> Opening {
    var o = Opening(
      employer: "E-2026-0001", employerName: "Zorgcentrum Ter Linde", type: .vacancy, title: "Zorgkundige", profile: "carer",
      region: "Leuven", hoursPerWeek: 30, language: "nl", languageLevel: .b1, start: day("2026-12-01"))
    o.id = "O-2026-0001"
    return o
  }

  @Test func candidatesRankFromTheHandWorkedScores() {
    // Weights: skills 30, ambitions 20, language 15, region 10, permit 15, availability 10.
    let matching = JobMatching(settings: Fixture.content.matching, skills: Fixture.content.skills)
    let carer = Fixture.content.skills.profile("carer")!
    let questions = carer.actionFields.flatMap(\.questions)

    // A: every carer task done more than 50 times (100 % → 30), wants to be a carer (20), Dutch B1
    // in every skill (15), wants Leuven (10), recognised refugee (15), free (10): 100.
    var a = candidate(1, "Amal", status: .recognisedRefugee)
    a.screening.assessments = [SkillsAssessment(id: "a1", on: day("2026-10-01"), by: "an", profile: "carer",
                                                answers: Dictionary(uniqueKeysWithValues: questions.map { ($0.id, .moreThan50) }))]
    _ = a.startAmbitionScreening(on: day("2026-09-01"), by: "an")
    a.screening.ambitions[0].occupations = ["carer"]
    a.screening.ambitions[0].regions = ["leuven"]
    var dutch = LanguageSkill(language: "nl")
    (dutch.listening, dutch.reading, dutch.spokenInteraction, dutch.spokenProduction, dutch.writing) = (.b1, .b1, .b2, .b1, .b1)
    a.screening.factual.languages = [dutch]

    // B: no assessment (0), wants health care (sector: 10), Dutch A2 at its lowest (one short: 7),
    // no region preference (5), asylum seeker with a permit from 1 Dec (15), available from
    // 1 Jan (5): 42.
    var b = candidate(2, "Bilal", status: .asylumSeeker, permit: "2026-12-01")
    _ = b.startAmbitionScreening(on: day("2026-09-01"), by: "an")
    b.screening.ambitions[0].sectors = ["health-care"]
    var bDutch = LanguageSkill(language: "NL")
    (bDutch.listening, bDutch.reading, bDutch.spokenInteraction) = (.b1, .a2, .b1)
    b.screening.factual.languages = [bDutch]
    b.placement.availableFrom = day("2027-01-01")

    // C: no screening at all (no level for Dutch: 0; no region preference: 5), permit only from
    // February (0), already employed (0): 5 — still listed, last, so the worker sees why.
    var c = candidate(3, "Chadi", status: .asylumSeeker, permit: "2027-02-01")
    c.placement.hires = [Hire(id: "h1", employerName: "X", job: "cleaner", contract: .temporaryAgency, start: day("2026-10-01"),
                              hoursPerWeek: 20, recordedBy: "an", recordedOn: day("2026-10-01"))]

    let ranked = matching.candidates(for: opening(), among: [c, b, a], today: Fixture.today)
    #expect(ranked.map(\.name) == ["Amal", "Bilal", "Chadi"])
    #expect(ranked.map(\.score.total) == [100, 42, 5])
    let bilal = ranked[1].score
    #expect(bilal.parts.map(\.points) == [0, 10, 7, 5, 15, 5])
    #expect(bilal.part("language")?.detail == JobMatching.Detail("level", "nl", "A2", "B1"))
    #expect(ranked[2].score.part("availability")?.detail.key == "employed")
    #expect(ranked[2].score.part("permit")?.detail == JobMatching.Detail("permitLater", "2027-02-01"))

    // The other way: openings for Bilal: a warehouse internship outside his ambitions, the carer
    // vacancy, and a closed one that is not offered.
    var warehouse = Opening(employer: "E-2026-0002", employerName: "Logistiek NV", type: .internship, title: "Stage magazijn",
                            profile: "warehouse-worker", start: day("2026-12-01"), end: day("2027-02-28"))
    warehouse.id = "O-2026-0002"
    var closed = opening()
    closed.id = "O-2026-0003"
    closed.open = false
    let openings = matching.openings(for: b, among: [warehouse, closed, opening()], today: Fixture.today)
    // Warehouse: 0 + 0 + 15 (no level asked) + 10 (any region) + 15 + 5 = 45, above the carer
    // vacancy's 42, which asks Dutch B1.
    #expect(openings.map(\.opening.id) == ["O-2026-0002", "O-2026-0001"])
    #expect(openings.map(\.score.total) == [45, 42])
    #expect(openings.allSatisfy { $0.shortage })  // carer and warehouse worker are both on the shortage list
  }

  // MARK: Agenda

  @Test func agendaCoversEveryKindAndTheICSParsesWithARealParser() throws {
    var d = hired(on: "2026-11-16")
    d.person.caseWorker = "an"
    d.person.fullName = "Samir; Nouri, \"Sam\""
    d.procedure.status = .asylumSeeker
    d.procedure.overrideWorkPermitDate(day("2026-11-25"))
    var i = Internship(id: "i1", organisation: "Ter Linde", role: "carer", from: day("2026-10-01"), to: day("2026-11-27"))
    i.intern = Signature(name: "S", on: day("2026-09-01"))
    i.company = Signature(name: "T", on: day("2026-09-01"))
    i.mediator = Signature(name: "A", on: day("2026-09-01"))
    i.started = day("2026-10-01")
    d.placement.internships = [i]
    var other = CaseDocument(id: CaseID(year: 2026, number: 12), person: Person(fullName: "Other"), createdBy: "bo")
    other.person.caseWorker = "bo"
    other.procedure.status = .asylumSeeker
    other.procedure.overrideWorkPermitDate(day("2026-11-24"))
    var group = TrainingGroup(
      name: "VOORwerk Leuven 4", centre: "Leuven", trainers: ["an"], language: "ar", days: [day("2026-11-24"), day("2026-11-26")],
      capacity: 12, level: "basic")
    group.id = "G-2026-0004"
    let rules = Fixture.content.chainRules
    let summaries = [d, other].map { CaseSummary(document: $0, rules: rules) }
    let agenda = Agenda(summaries: summaries, groups: [group])
    let week = agenda.between(day("2026-11-22"), day("2026-11-28"))
    #expect(week.map { "\($0.date) \($0.key) \($0.ref)" } == [
      "2026-11-23 post-hire h1/counsellor@1w", "2026-11-23 post-hire h1/manager@1w", "2026-11-24 work-permit ",
      "2026-11-24 training-day G-2026-0004", "2026-11-25 work-permit ", "2026-11-26 training-day G-2026-0004",
      "2026-11-27 internship-end i1",
    ])
    // Found by date in the sorted entries: the same as filtering every entry, at any bounds.
    for (first, last) in [("2026-11-23", "2026-11-23"), ("2026-01-01", "2027-12-31"), ("2026-11-24", "2026-11-25"), ("2026-11-28", "2026-11-22")] {
      #expect(agenda.between(day(first), day(last)) == agenda.entries.filter { $0.date >= day(first) && $0.date <= day(last) })
    }
    for (year, month) in [(2026, 10), (2026, 11), (2026, 12), (2027, 5)] {
      var perDay: [Int: Int] = [:]
      for e in agenda.entries where e.date.year == year && e.date.month == month { perDay[e.date.day, default: 0] += 1 }
      #expect(agenda.counts(year: year, month: month) == perDay)
    }
    #expect(agenda.counts(year: 2026, month: 11)[24] == 2)
    #expect(Agenda(summaries: summaries, groups: [group], login: "bo").entries.map(\.key) == ["work-permit"])
    #expect(agenda.overdue(today: day("2026-11-24")).map(\.ref) == ["h1/counsellor@1w", "h1/manager@1w"])

    let ics = ICalendar.write(week, stamp: Date(timeIntervalSince1970: 1_795_000_000)) { "\($0.key) \($0.caseID?.rawValue ?? $0.name), x;y" }
    #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
    let parsed = try Python.run(
      """
      import sys, icalendar
      cal = icalendar.Calendar.from_ical(sys.stdin.read())
      for e in cal.walk('VEVENT'):
          print(e['UID'], e.decoded('DTSTART'), e['SUMMARY'])
      """, input: ics)
    let lines = parsed.split(separator: "\n")
    #expect(lines.count == 7, "\(parsed)")
    #expect(lines.first == "K-2026-0011-post-hire-h1-counsellor@1w@keten 2026-11-23 post-hire K-2026-0011, x;y")
    #expect(Set(lines.map { $0.split(separator: " ")[0] }).count == 7)  // one UID per appointment
    // Every line is at most 75 octets.
    #expect(ics.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
  }
}
