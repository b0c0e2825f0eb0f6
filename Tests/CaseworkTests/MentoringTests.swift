import CaseStore
import Foundation
import Testing

@testable import Casework

/// Matching, pair health, due items and the outcome report, from hand-worked examples.
@Suite struct MentoringTests {
  let programme = Fixture.content.mentoring
  let day = { (text: String) in LocalDate(text)! }

  /// A 26-year-old woman who speaks Arabic and French and wants to work as a cook.
  func mentee() -> CaseDocument {
    var d = CaseDocument(
      id: CaseID(year: 2026, number: 3),
      person: Person(fullName: "Amal Yousef", dateOfBirth: day("2000-05-01"), gender: .female, languages: ["ar", "fr"]),
      createdBy: "an")
    d.startAmbitionScreening(on: day("2026-09-01"), by: "an")
    d.screening.ambitions[0].occupations = ["cook"]
    return d
  }

  func mentor(_ id: String, _ name: String, gender: Gender, band: Mentor.AgeBand?, languages: [String], profile: String? = nil,
              sector: String? = nil, max: Int = 2, sameGenderOnly: Bool = false, active: Bool = true) -> Mentor {
    var m = Mentor(name: name, login: name.lowercased().replacingOccurrences(of: " ", with: ""), ageBand: band, gender: gender,
                   languages: languages, sector: sector, profile: profile, sameGenderOnly: sameGenderOnly, maxMentees: max, active: active)
    m.id = id
    return m
  }

  @Test func rankingFollowsTheHandWorkedScores() {
    // Weights: profession 30 (sector 18), language 25, age 15, gender 10, capacity 20; ideal gap 25.
    let matching = MentorMatching(programme: programme, skills: Fixture.content.skills)
    let mentors = [
      // A cook, 50–59 (55: gap 29 → 15 × (1 − 4/25) = 12.6 → 13), shares Arabic, a woman, 2 of 2 free:
      // 30 + 25 + 13 + 10 + 20 = 98.
      mentor("M-2026-0001", "Hilde Claes", gender: .female, band: .fifties, languages: ["nl", "ar"], profile: "cook", max: 2),
      // Food sector but not a cook (18), French (25), 30–39 (35: gap 9 → 15 × (1 − 16/25) = 5.4 → 5), a man (0),
      // 1 of 3 taken (20 × 2/3 = 13.3 → 13): 18 + 25 + 5 + 0 + 13 = 61.
      mentor("M-2026-0002", "Koen Wouters", gender: .male, band: .thirties, languages: ["fr"], sector: "food", max: 3),
      // Nothing in common but the gender, no age band: 0 + 0 + 0 + 10 + 20 = 30.
      mentor("M-2026-0003", "Lies Janssens", gender: .female, band: nil, languages: ["nl"], sector: "office", max: 1),
    ]
    let (offered, excluded) = matching.rank(
      mentee: .init(document: mentee(), skills: Fixture.content.skills, today: Fixture.today),
      mentors: mentors, activePairs: ["M-2026-0002": 1])
    #expect(excluded.isEmpty)
    #expect(offered.map(\.mentor.id) == ["M-2026-0001", "M-2026-0002", "M-2026-0003"])
    #expect(offered.map(\.score) == [98, 61, 30])
    let first = Dictionary(uniqueKeysWithValues: offered[0].parts.map { ($0.name, $0.points) })
    #expect(first == ["profession": 30, "language": 25, "age": 13, "gender": 10, "capacity": 20])
    #expect(offered[0].parts.first { $0.name == "language" }?.detail == "ar")
    let second = offered[1].parts.map { "\($0.name)=\($0.points)" }
    #expect(second == ["sector=18", "language=25", "age=5", "gender=0", "capacity=13"])
    #expect(matching.maximumScore == 100)
  }

  @Test func mentorsAtCapacityInactiveOrSameGenderOnlyAreNotOffered() {
    let matching = MentorMatching(programme: programme, skills: Fixture.content.skills)
    let mentors = [
      mentor("M-2026-0001", "Full Mentor", gender: .female, band: .fifties, languages: ["ar"], max: 2),
      mentor("M-2026-0002", "Resting Mentor", gender: .female, band: .fifties, languages: ["ar"], active: false),
      mentor("M-2026-0003", "Men Only", gender: .male, band: .sixties, languages: ["ar"], sameGenderOnly: true),
      mentor("M-2026-0004", "Open Mentor", gender: .male, band: .sixties, languages: ["ar"], max: 1),
    ]
    let (offered, excluded) = matching.rank(
      mentee: .init(document: mentee(), skills: Fixture.content.skills, today: Fixture.today),
      mentors: mentors, activePairs: ["M-2026-0001": 2, "M-2026-0004": 0])
    #expect(offered.map(\.mentor.id) == ["M-2026-0004"])
    #expect(excluded.map(\.mentor.id) == ["M-2026-0001", "M-2026-0002", "M-2026-0003"])
    #expect(excluded.map(\.reason) == [.atCapacity, .inactive, .genderPreference])
    // One more pair and the last mentor is full too.
    let after = matching.rank(
      mentee: .init(document: mentee(), skills: Fixture.content.skills, today: Fixture.today),
      mentors: mentors, activePairs: ["M-2026-0001": 2, "M-2026-0004": 1])
    #expect(after.offered.isEmpty)
  }

  func paired(start: String, checkIns: [String]) -> CaseDocument {
    var d = mentee()
    var pair = programme.newPair(
      mentor: mentor("M-2026-0001", "Hilde Claes", gender: .female, band: .fifties, languages: ["ar"]),
      start: day(start), goals: ["job-search", "cv-letter"], confirmedBy: "coordinator", today: day(start))
    for (i, on) in checkIns.enumerated() {
      pair.checkIns.append(CheckIn(id: "k\(i + 1)", on: day(on), minutes: 120, channel: .inPerson, progress: ["job-search": i + 1]))
    }
    d.addPair(pair)
    return d
  }

  @Test func aWeeklyPairIsOverdueFromTheTenthDayWithoutACheckIn() {
    let d = paired(start: "2026-10-25", checkIns: ["2026-11-01", "2026-11-08"])
    let pair = d.openPair!
    // Last check-in 8 Nov: 9 days later (17 Nov) still fine, 10 days later (18 Nov) overdue.
    let ninth = PairHealth(pair, programme: programme, today: day("2026-11-17"))
    #expect(ninth.daysSinceContact == 9)
    #expect(!ninth.isOverdue)
    let tenth = PairHealth(pair, programme: programme, today: day("2026-11-18"))
    #expect(tenth.daysSinceContact == 10)
    #expect(tenth.isOverdue)
    #expect(tenth.overdueFrom == day("2026-11-18"))
    // The case list agrees: the check-in is due by 17 Nov and overdue on 18 Nov.
    let summary = CaseSummary(document: d, rules: Fixture.content.chainRules)
    #expect(summary.dueItems.contains(DueItem(date: day("2026-11-17"), what: DueKey.mentorCheckIn, kind: .task)))
    #expect(!summary.isOverdue(today: day("2026-11-17")))
    #expect(summary.isOverdue(today: day("2026-11-18")))
    #expect(summary.mentor == "M-2026-0001")
  }

  @Test func aPairWithoutCheckInsCountsFromItsStart() {
    let d = paired(start: "2026-11-10", checkIns: [])
    #expect(!PairHealth(d.openPair!, programme: programme, today: day("2026-11-19")).isOverdue)
    #expect(PairHealth(d.openPair!, programme: programme, today: day("2026-11-20")).isOverdue)
  }

  @Test func hoursAreComparedWithThePlanAndProgressIsKeptPerGoal() {
    let d = paired(start: "2026-11-01", checkIns: ["2026-11-05", "2026-11-12", "2026-11-19"])
    let h = PairHealth(d.openPair!, programme: programme, today: day("2026-11-22"))
    // 21 days since the start: 3 weekly meetings of 120 minutes planned; 3 × 120 logged.
    #expect(h.minutesPlanned == 360)
    #expect(h.minutesLogged == 360)
    #expect(h.percentOfPlan == 100)
    #expect(h.progress["job-search"]?.map(\.value) == [1, 2, 3])
    #expect(h.latest("job-search") == 3)
    #expect(h.latest("cv-letter") == nil)
  }

  @Test func aConcernFlagsTheCaseUntilHandled() {
    var d = paired(start: "2026-11-01", checkIns: ["2026-11-20"])
    d.mentoring[0].checkIns[0].concern = "Worried about housing"
    var summary = CaseSummary(document: d, rules: Fixture.content.chainRules)
    #expect(summary.dueItems.contains { $0.what == DueKey.mentorConcern && $0.date == day("2026-11-20") })
    #expect(summary.isOverdue(today: Fixture.today))
    d.mentoring[0].checkIns[0].concernHandled = ConcernHandled(on: Fixture.today, by: "an", note: "called")
    summary = CaseSummary(document: d, rules: Fixture.content.chainRules)
    #expect(!summary.dueItems.contains { $0.what == DueKey.mentorConcern })
  }

  @Test func theOutcomeReportCountsJobInternshipAndTrainingByGender() {
    func closed(_ name: String, _ gender: Gender, _ outcome: PairOutcome, on: String = "2026-10-01") -> CaseDocument {
      var d = paired(start: "2026-03-01", checkIns: [])
      d.person.fullName = name
      d.person.gender = gender
      d.mentoring[0].closure = PairClosure(on: day(on), outcome: outcome, reason: outcome == .stoppedEarly ? "moved" : nil, review: "ok", by: "co")
      return d
    }
    let cases = [
      closed("A", .female, .job), closed("B", .female, .none), closed("C", .male, .internship),
      closed("D", .male, .stoppedEarly), closed("E", .female, .training), closed("F", .x, .job, on: "2025-01-10"),
      paired(start: "2026-11-01", checkIns: []),
    ]
    let report = MentoringReport(cases: cases, programme: programme, today: Fixture.today, period: day("2026-01-01")...day("2026-12-31"))
    #expect(report.active == 1)
    #expect(report.total.closed == 5)
    #expect(report.total.positive == 3)
    #expect(report.total.percent == 60)
    let women = report.byGender.first { $0.gender == .female }!
    #expect((women.closed, women.positive, women.percent) == (3, 2, 67))
    let men = report.byGender.first { $0.gender == .male }!
    #expect((men.closed, men.positive, men.percent) == (2, 1, 50))
    #expect(report.byGender.first { $0.gender == .x }!.closed == 0)
    #expect(report.referencePercent == 75)
    let text = MentoringReportText.lines(report, programme: programme, strings: Fixture.strings(.en)).joined(separator: "\n")
    #expect(text.contains("60 %  this centre"))
    #expect(text.contains("75 %  DUO for a JOB"))
  }

  @Test func pairRulesAreValidated() {
    var d = paired(start: "2026-11-01", checkIns: ["2026-11-08"])
    d.mentoring[0].checkIns[0].progress = ["job-search": 6, "unknown-goal": 2]
    d.mentoring[0].checkIns[0].minutes = 2
    d.mentoring[0].frequencyDays = 0
    let paths = d.validationIssues(today: Fixture.today).map(\.path)
    #expect(paths.contains("mentoring[0].checkIns[0].progress.job-search"))
    #expect(paths.contains("mentoring[0].checkIns[0].progress"))
    #expect(paths.contains("mentoring[0].checkIns[0].minutes"))
    #expect(paths.contains("mentoring[0].frequencyDays"))
    var early = paired(start: "2026-11-01", checkIns: [])
    early.mentoring[0].closure = PairClosure(on: day("2026-11-10"), outcome: .stoppedEarly, review: "short", by: "co")
    #expect(early.validationIssues(today: Fixture.today).map(\.path) == ["mentoring[0].closure.reason"])
    early.addPair(early.mentoring[0])
    early.mentoring[1].closure = nil
    early.addPair(early.mentoring[1])
    #expect(early.validationIssues(today: Fixture.today).map(\.path).contains("mentoring[1].closure"))
  }

  @Test func theProgrammeIsValidatedOnLoad() throws {
    #expect(programme.defaults.frequencyDays == 7)
    #expect(programme.defaults.minutesPerMeeting == 120)
    #expect(programme.defaults.durationMonths == 6)
    #expect(programme.goals.map(\.id) == ["job-search", "cv-letter", "interview", "language", "network", "work-culture"])
    var broken = programme
    broken.goals.append(broken.goals[0])
    #expect(throws: ContentError.self) { try broken.validate(name: "x.json") }
    broken = programme
    broken.matching.weights.language = 400
    #expect(throws: ContentError.self) { try broken.validate(name: "x.json") }
  }
}
