import TextCells
import Casework
import CaseStore
import Foundation
import Testing

@testable import TUI

/// Every UI string comes from Resources/strings; a key used in code but missing from a
/// language, or a language out of step with English, fails here rather than on a user's screen.
@Suite struct StringsTests {
  @Test func bothLanguagesLoadWithTheSameKeysAndPlaceholders() throws {
    for language in Language.allCases {
      _ = try Strings.load(language)
    }
  }

  /// Keys written literally in the TUI sources: any string literal such as "form.saved" whose
  /// first part is one of the namespaces of the strings files.
  @Test func everyKeyUsedInTheSourcesExists() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/TUI").standardized
    let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    #expect(files.count > 5)
    let pattern = try NSRegularExpression(pattern: #""([a-z]+(?:\.[a-zA-Z0-9-]+)+)""#)
    let english = try Strings.table(.en)
    let namespaces = Set(english.keys.map { String($0.prefix { $0 != "." }) })
    var keys = Set<String>()
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let key = String(text[Range(match.range(at: 1), in: text)!])
        // Document paths (screening.factual.…) are field paths, not strings keys.
        if key.hasPrefix("screening.factual.") { continue }
        guard namespaces.contains(String(key.prefix { $0 != "." })) else { continue }
        // A count's key stands for its two forms.
        let before = text[..<Range(match.range, in: text)!.lowerBound]
        if before.hasSuffix("plural(") {
          keys.formUnion([key + ".one", key + ".other"])
        } else {
          keys.insert(key)
        }
      }
    }
    #expect(keys.count > 100)
    for language in Language.allCases {
      let strings = try Strings.load(language)
      let missing = keys.filter { !strings.has($0) }.sorted()
      #expect(missing.isEmpty, "\(language): missing \(missing)")
    }
  }

  /// Keys built from domain values at run time.
  @Test func everyDynamicKeyExists() throws {
    var keys: [String] = []
    keys += ChainStage.allCases.flatMap { ["stage.\($0.rawValue)", "stage.short.\($0.rawValue)"] }
    keys += ProcedureStatus.allCases.map { "status.\($0.rawValue)" } + ["status.none"]
    keys += Gender.allCases.map { "gender.\($0.rawValue)" }
    keys += CaseField.all.flatMap { ["field.\($0.path)", "hint.\($0.path)"] }
    keys += CaseForm.sections.map { "section.\($0.section)" }
    keys += CaseTab.allCases.map { "tab.\($0.rawValue)" }
    keys += CheckIn.Channel.allCases.map { "option.channel.\($0.rawValue)" }
    keys += PairOutcome.allCases.map { "option.pairOutcome.\($0.rawValue)" }
    keys += TrainingGroup.Attendance.allCases.map { "attendance.\($0.rawValue)" }
    keys += TrainingGroup.LevelFit.allCases.map { "evaluation.level.\($0.rawValue)" }
    keys += TrainingGroup.Evaluation.scoreNames.flatMap { ["evaluation.\($0)", "evaluation.short.\($0)"] }
    keys += PairSort.allCases.map { "pairs.sort.\($0.rawValue)" }
    keys += ["profession", "sector", "language", "age", "gender", "capacity"].map { "suggest.part.\($0)" }
    keys += ["at-capacity", "inactive", "gender-preference", "current-mentor"].map { "suggest.excluded.\($0)" }
    keys += DueKey.all.map { "due.\($0)" }
    keys += Mentor.fields.flatMap { ["field.mentor.\($0.path)", "hint.mentor.\($0.path)"] }
    keys += TrainingGroup.fields(levels: []).flatMap { ["field.group.\($0.path)", "hint.group.\($0.path)"] }
    keys += TrainingGroup.practiceFields.flatMap { ["field.practice.\($0.path)", "hint.practice.\($0.path)"] }
    keys += MentorPair.programmeFields.flatMap { ["field.pair.\($0.path)", "hint.pair.\($0.path)"] }
    keys += PairClosure.fields.flatMap { ["field.closePair.\($0.path)", "hint.closePair.\($0.path)"] }
    keys += CheckIn.fields(goals: [], activities: []).flatMap { ["field.checkIn.\($0.path)", "hint.checkIn.\($0.path)"] }
    keys += ["screen.practice", "screen.mentor", "screen.pair", "screen.checkIn", "screen.entryTest", "screen.evaluation"]
    keys += Phase1Section.allCases.map { "interview.page.\($0.rawValue)" }
    keys += InterviewPage.phase2Pages.map { "interview.page.\($0)" }
    keys += (0...8).map { "option.isced.\($0)" } + ["yes", "no"].map { "option.yesNo.\($0)" }
    keys += DocumentOnHand.allCases.map { "option.document.\($0.rawValue)" }
    keys += RecognitionStatus.allCases.map { "option.recognition.\($0.rawValue)" }
    keys += Employment.allCases.map { "option.employment.\($0.rawValue)" }
    keys += DigitalLevel.allCases.map { "option.digital.\($0.rawValue)" }
    keys += DrivingLicence.allCases.map { "option.driving.\($0.rawValue)" }
    keys += CEFRLevel.allCases.map { "option.cefr.\($0.rawValue)" }
    keys += Willingness.allCases.map { "option.retraining.\($0.rawValue)" }
    keys += Obstacle.allCases.map { "option.obstacle.\($0.rawValue)" }
    keys += FrequencyBand.allCases.map { "option.band.\($0.rawValue)" }
    keys += ConsentForm.allCases.map { "option.consentForm.\($0.rawValue)" }
    keys += CVFormat.allCases.map { "export.format.\($0.rawValue)" }
    keys += Language.allCases.map { "language.\($0.rawValue)" }
    keys += ListColumn.allCases.map { "column.\($0.rawValue)" }
    keys += ScreenKind.allCases.map { "screen.\($0.rawValue)" }
    let bindings = ScreenKind.allCases.flatMap { KeyBindings.of($0) } + KeyBindings.global + KeyBindings.commands
    keys += bindings.map(\.label) + bindings.compactMap(\.footer)
    keys += (1...12).flatMap { ["month.\($0)", "monthFull.\($0)"] }
    keys += (1...7).map { "weekday.\($0)" }
    keys += Attendee.allCases.map { "option.attendee.\($0.rawValue)" }
    keys += FollowUpIssue.allCases.map { "option.issue.\($0.rawValue)" }
    keys += DropOutRisk.allCases.map { "option.risk.\($0.rawValue)" }
    keys += Hire.ContractType.allCases.map { "option.contract.\($0.rawValue)" }
    keys += HireOutcome.Status.allCases.map { "option.outcome.\($0.rawValue)" }
    keys += ["skills", "ambitions", "language", "region", "permit", "availability"].map { "match.part.\($0)" }
    keys += ["permit", "phase1", "phase2", "training", "mentoring", "internship", "hire", "followUps", "outcome", "outcomeDue"].map { "trajectory.\($0)" }
    keys += ["retention", "growth", "career"].map { "plan.goal.\($0)" } + ["worker", "counsellor", "manager"].map { "plan.by.\($0)" }
    keys += Internship.Ethics.items.map { "field.internship.ethics.\($0)" }
    keys += Internship.fields(today: today).map { "field.internship.\($0.path)" }
    keys += FollowUp.fields.map { "field.followUp.\($0.path)" } + Hire.fields.map { "field.hire.\($0.path)" }
    keys += PostHirePlan.fields(today: today).map { "field.plan.\($0.path)" } + HireOutcome.fields.map { "field.outcome.\($0.path)" }
    keys += Placement.fields.map { "field.availability.\($0.path)" }
    keys += ["noAssessment", "fit", "noAmbitions", "wantsOccupation", "wantsSector", "otherAmbitions", "noRequirement", "noLevel", "level",
             "anyRegion", "noPreference", "preferred", "otherRegion", "status", "permitUnknown", "permitFrom", "permitLater", "employed",
             "inInternship", "availableFrom", "fewerHours", "free"].map { "match.detail.\($0)" }
    let problems: [FieldProblem] = [
      .required, .notADate(""), .dateInFuture(today), .dateBefore1900(today), .notAPhone(""),
      .notAllowed("", options: []), .permitBeforeApplication(permit: today, application: today),
      .closedNeedsReason, .caseIsOpen, .emptyNote, .unknownField(valid: []),
      .notInRange("", min: 0, max: 8), .endBeforeStart(start: "", end: ""), .needsWitness, .notALogin(""),
      .needsOrganisation, .internshipTooLong(months: 6), .needsSignatures(missing: []), .signedAfterStart(signed: today, started: today),
      .alreadyLogged(""), .needsReason, .holdsName,
    ]
    keys += problems.map { "problem.\($0.key)" }
    for language in Language.allCases {
      let strings = try Strings.load(language)
      let missing = keys.filter { !strings.has($0) }
      #expect(missing.isEmpty, "\(language): missing \(missing)")
      // Problem texts use every argument they are given.
      for problem in problems {
        let text = strings.problem(problem)
        #expect(!text.contains("{"), "\(language) problem.\(problem.key) leaves a placeholder")
      }
    }
  }

  @Test func keyHintLinesFitIn80Columns() throws {
    for language in Language.allCases {
      let strings = try Strings.load(language)
      for name in ScreenKind.allCases.map(\.rawValue) + ["interview", "interviewEntries", "consent", "caseFile.training", "caseFile.mentoring", "caseFile.followUp", "caseFile.jobs"] {
        let hint = strings("hints.\(name)")
        #expect(TextWidth.width(of: hint) <= 78, "\(language) hints.\(name) is too wide")
      }
    }
  }

  @Test func languageComesFromTheEnvironment() {
    #expect(Language.resolve(nil, environment: ["LANG": "nl_BE.UTF-8"]) == .nl)
    #expect(Language.resolve(nil, environment: ["LC_ALL": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"]) == .nl)
    #expect(Language.resolve(nil, environment: ["LANG": "fr_BE.UTF-8"]) == .en)
    #expect(Language.resolve(nil, environment: [:]) == .en)
    #expect(Language.resolve("EN", environment: ["LANG": "nl_BE.UTF-8"]) == .en)
    #expect(Language.resolve("de") == nil)
  }

  @Test func numbersAndDatesFollowTheLanguage() throws {
    let nl = try Strings.load(.nl)
    let en = try Strings.load(.en)
    #expect(nl.number(100_000) == "100.000")
    #expect(en.number(1_234_567) == "1,234,567")
    #expect(en.number(999) == "999")
    #expect(nl.date(LocalDate("2026-03-01")!) == "1 mrt 2026")
  }
}
