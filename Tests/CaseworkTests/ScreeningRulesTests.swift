import CaseStore
import Foundation
import Testing

@testable import Casework

@Suite struct ScreeningRulesTests {
  let rules = Fixture.content.screening

  @Test func aBlankPhaseOneListsWhatIsMissingPerSection() {
    let f = FactualScreening()
    #expect(rules.missing(.education, in: f).map(\.field) == ["education"])
    #expect(rules.missing(.work, in: f).map(\.field) == ["work"])
    #expect(rules.missing(.languages, in: f).map(\.field) == ["motherTongues"])
    #expect(rules.missing(.digital, in: f).map(\.field) == ["digitalLevel", "drivingLicences"])
    #expect(rules.missing(.criteria, in: f).count == 8)
    #expect(rules.missing(.softSkills, in: f).map(\.field) == ["care-children", "care-relatives", "household", "volunteering", "hobbies", "strengths"])
    #expect(!rules.isPhase1Complete(f))
  }

  @Test func entriesNeedTheirFactsAndNoneIsAnAnswer() {
    var f = FactualScreening()
    f.noEducation = true
    #expect(rules.missing(.education, in: f).isEmpty)
    var e = EducationEntry()
    e.isced = 6
    e.diploma = true
    f.education = [e]
    #expect(rules.missing(.education, in: f) == [
      MissingItem(section: "education", field: "field", entry: 0),
      MissingItem(section: "education", field: "country", entry: 0),
      MissingItem(section: "education", field: "document", entry: 0),
      MissingItem(section: "education", field: "recognition", entry: 0),
    ])
    f.drivingLicences = []
    f.digitalLevel = .noSkills
    #expect(rules.missing(.digital, in: f).isEmpty)
    var l = LanguageSkill(language: "English")
    l.listening = .a2
    f.motherTongues = ["Tigrinya"]
    f.languages = [l]
    #expect(rules.missing(.languages, in: f) == [MissingItem(section: "languages", field: "levels", entry: 0)])
  }

  @Test func theFixtureIsCompleteAndPhaseTwoMayStart() {
    let d = Fixture.screened()
    #expect(rules.missingPhase1(d.screening.factual) == [])
    #expect(rules.canStartPhase2(d))
    #expect(rules.missingPhase2(d.screening.ambitions[1]) == [])
    let blank = AmbitionScreening(id: "a3", on: Fixture.today, by: "an")
    #expect(rules.missingPhase2(blank).map(\.field) == ["occupations", "sectors", "regions", "retraining", "ambitions", "obstacles"])
  }

  @Test func rescreenIsDueAnIntervalAfterTheLastConcludedScreening() {
    var d = Fixture.screened()
    #expect(rules.rescreenDue(d) == LocalDate(year: 2026, month: 11, day: 30)!)
    // End of month: 31 August + 3 months is 30 November; 30 November + 3 is 28 February.
    d.screening.ambitions[1].on = LocalDate(year: 2026, month: 11, day: 30)!
    #expect(rules.rescreenDue(d) == LocalDate(year: 2027, month: 2, day: 28)!)
    let six = ScreeningSettings(rescreenIntervalMonths: 6)
    #expect(six.rescreenDue(d) == LocalDate(year: 2027, month: 5, day: 30)!)
    // An open (not concluded) re-screen does not move the date.
    d.startAmbitionScreening(on: Fixture.today, by: "an")
    #expect(rules.rescreenDue(d) == LocalDate(year: 2027, month: 2, day: 28)!)
    // Only while the asylum procedure runs and the case is open.
    d.procedure.status = .recognisedRefugee
    #expect(rules.rescreenDue(d) == nil)
    d.procedure.status = .asylumSeeker
    d.closure = Closure(on: Fixture.today, reason: "moved")
    #expect(rules.rescreenDue(d) == nil)
  }

  @Test func theRescreenShowsAsATaskInTheListsNextDue() {
    let d = Fixture.screened()
    let items = ChainRules().dueItems(for: d)
    #expect(items.contains(DueItem(date: LocalDate(year: 2026, month: 11, day: 30)!, what: "rescreening", kind: .task)))
    let summary = CaseSummary(document: d, rules: ChainRules())
    #expect(summary.nextDue(today: Fixture.today)?.what == "rescreening")
    #expect(ChainRules(screening: ScreeningSettings(rescreenIntervalMonths: 6)).version != ChainRules().version)
  }

  @Test func aRescreenStartsFromTheLastAnswersAndKeepsTheOldOne() {
    var d = Fixture.screened()
    let id = d.startAmbitionScreening(on: Fixture.today, by: "bo")
    #expect(id == "a3")
    #expect(d.screening.ambitions.count == 3)
    #expect(d.screening.ambitions[2].occupations == d.screening.ambitions[1].occupations)
    #expect(!d.screening.ambitions[2].concluded)
    #expect(d.openAmbitionScreening?.id == "a3")
    // Starting again returns the open one instead of adding another.
    #expect(d.startAmbitionScreening(on: Fixture.today, by: "bo") == "a3")
  }

  @Test func whatChangedBetweenTwoScreenings() {
    let d = Fixture.screened()
    let changes = ScreeningComparison.changes(from: d.screening.ambitions[0], to: d.screening.ambitions[1])
    #expect(changes.map(\.field) == ["occupations", "regions", "retraining", "obstacles"])
    #expect(changes[0].added == ["Seamstress"])
    #expect(changes[0].removed == [])
    #expect(changes[0].before == ["cook", "pastry-cook"])
    #expect(changes[1].added == ["Gent"])
    #expect(changes[2].before == ["maybe"] && changes[2].after == ["yes"])
    #expect(changes[3].removed == ["childcare"])
    #expect(ScreeningComparison.changes(from: d.screening.ambitions[1], to: d.screening.ambitions[1]).isEmpty)
  }
}

@Suite struct SkillsReportTests {
  @Test func percentagesAndSymbolsFromKnownAnswers() throws {
    let d = Fixture.screened()
    let profile = try #require(Fixture.content.skills.profile("cook"))
    // Cook: 5 action fields of 2 questions. s1: first 4 questions "more than 50", rest never.
    let early = SkillsReport(assessment: d.screening.assessments[0], profile: profile)
    #expect(early.fields.map(\.percent) == [100, 100, 0, 0, 0])
    #expect(early.fields.map(\.symbol) == ["●", "●", "○", "○", "○"])
    #expect(early.percent == 40)
    #expect(early.symbol == "◑")
    #expect(early.isComplete)
    // s2: the rest "11–50" = 2 of 3 points → 67 %.
    let later = SkillsReport(assessment: d.screening.assessments[1], profile: profile)
    #expect(later.fields.map(\.percent) == [100, 100, 67, 67, 67])
    #expect(later.percent == 80)
    #expect(later.symbol == "◕")
    #expect(later.progress(since: early).map(\.after) == [100, 100, 67, 67, 67])
    #expect(later.progress(since: early).map(\.before) == [100, 100, 0, 0, 0])
  }

  @Test func unansweredQuestionsCountAsNeverAndAreReported() throws {
    let profile = try #require(Fixture.content.skills.profile("nurse"))
    var a = SkillsAssessment(id: "s1", on: Fixture.today, by: "an", profile: "nurse")
    a.answers[profile.questions[0].id] = .upTo10
    let report = SkillsReport(assessment: a, profile: profile)
    #expect(report.unanswered == 9)
    #expect(!report.isComplete)
    #expect(report.fields[0].percent == 17)  // 1 of 6 points
    #expect(report.percent == 3)
  }

  @Test func symbolBoundaries() {
    #expect([0, 12, 13, 37, 38, 62, 63, 87, 88, 100].map(SkillsReport.symbol(percent:)) == ["○", "○", "◔", "◔", "◑", "◑", "◕", "◕", "●", "●"])
  }

  /// An answer of only white space counts as blank exactly as `trimmingCharacters` judged it.
  @Test func blankIsWhatTrimmingWhiteSpaceLeavesEmpty() {
    let pieces = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{2028}", "\u{3000}", "\u{200B}", "\u{FEFF}", "a", "\u{301}", "·"]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<5_000 {
      let text = (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      #expect(text.isBlank == text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(text.unicodeScalars.map(\.value))")
    }
  }
}
