import Foundation
import Testing

@testable import CaseStore

/// Every field of every form (the app's forms and the command line share them) fed hostile
/// values: each is taken as text or refused with one clear line naming the field.
@Suite struct HostileFieldTests {
  static let hostile: [String] = [
    "", "   ", "2026-02-30", "2026-13-01", "31/12/2026", "tomorrow", "-1", "0", "99999999999999999999999", "1e308",
    "NaN", "3.5", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+32", "a,b,,c,", ",,,", "\u{0}", "\u{202E}evil",
    "line1\nline2", String(repeating: "x", count: 100_000), "../../etc/passwd", "😀🇧🇪", "عربي", "nonsense-value",
    "'; DROP TABLE cases; --", "%s%n%x", "\\u0000", "yes", "no",
  ]

  /// Values every field of a kind must refuse.
  static func mustRefuse(_ kind: FieldKind) -> [String] {
    switch kind {
    case .date: return ["2026-02-30", "2026-13-01", "31/12/2026", "tomorrow"]
    case .phone: return ["call me maybe", "=1+1"]
    case .choice: return ["nonsense-value"]
    // Lists offer their options but some take words too (a check-in's activities), so a list
    // field is only held to the one-line rule.
    default: return []
    }
  }

  func probe<Root>(_ form: String, _ fields: [FormField<Root>], _ root: Root) {
    #expect(!fields.isEmpty, "\(form) has no fields")
    for field in fields {
      for value in Self.hostile {
        var copy = root
        do {
          try field.assign(value, to: &copy)
          #expect(!Self.mustRefuse(field.kind).contains(value), "\(form).\(field.path) took '\(value.prefix(30))'")
        } catch {
          #expect(error.path.hasPrefix(field.path.split(separator: ".").first.map(String.init) ?? field.path) || field.path.hasPrefix(error.path),
                  "\(form).\(field.path): the error names \(error.path)")
          let line = error.description
          #expect(!line.isEmpty && !line.contains("\n") && line.count < 400, "\(form).\(field.path) '\(value.prefix(20))': \(line.prefix(120))")
        }
      }
    }
  }

  @Test func everyFormFieldRefusesBadValuesInOneLine() {
    let day = LocalDate("2026-11-02")!
    probe("case", CaseField.all, sampleDocument(name: "Layla"))
    probe("check-in", CheckIn.fields(goals: ["job-search", "language"], activities: ["a1"]), CheckIn(on: day, minutes: 60, channel: .phone))
    probe("pair-closure", PairClosure.fields, PairClosure(on: day, outcome: .job, review: "ok", by: "x"))
    probe(
      "group", TrainingGroup.fields(levels: ["basic", "standard"]),
      TrainingGroup(name: "G", centre: "C", trainers: ["t"], language: "nl", days: [day], capacity: 12, level: "standard"))
    probe("availability", Placement.fields, Placement())
    probe("internship", Internship.fields(today: today), Internship(id: "i1", organisation: "O", role: "R", from: day, to: day.adding(months: 2)))
    probe("mentor", Mentor.fields, Mentor(name: "Hilde", login: "hilde"))
    probe("employer", Employer.fields, Employer(name: "Colruyt"))
    probe("opening", Opening.fields, Opening(employer: "E-2026-0001", employerName: "X", type: .vacancy, title: "T", profile: "cook", start: day))
    probe("fair", JobFair.fields, JobFair(name: "F", on: day))
    probe("fair-registration", FairRegistration.fields, FairRegistration(caseID: "K-2026-0001"))
    probe("hire", Hire.fields, Hire(id: "h1", employerName: "E", job: "J", contract: .fixedTerm, start: day, hoursPerWeek: 38, recordedBy: "x", recordedOn: day))
    probe("plan", PostHirePlan.fields(today: today), PostHirePlan(revisedBy: "x", revisedOn: day))
    probe("follow-up", FollowUp.fields, FollowUp(meeting: "manager@1w", heldOn: day))
    probe("reschedule", Reschedule.fields, Reschedule(meeting: "manager@1w", to: day, reason: "r", by: "x", on: day))
    probe("outcome", HireOutcome.fields, HireOutcome(on: day, status: .left, reason: "moved", by: "x"))
  }
}
