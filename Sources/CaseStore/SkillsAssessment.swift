import Foundation

/// One skills self-assessment against a job profile of the catalog (`Resources/skills`).
public struct SkillsAssessment: Codable, Equatable, Sendable, Identifiable {
  public var id: String
  public var on: LocalDate
  public var by: String
  /// The job-profile id from the catalog.
  public var profile: String
  /// Answers by question id.
  public var answers: [String: FrequencyBand]

  public init(id: String, on: LocalDate, by: String, profile: String, answers: [String: FrequencyBand] = [:]) {
    self.id = id
    self.on = on
    self.by = by
    self.profile = profile
    self.answers = answers
  }
}

/// How often the person has done a task.
public enum FrequencyBand: String, StoredCode, CaseIterable, Sendable, Comparable {
  case never = "0"
  case upTo10 = "1-10"
  case upTo50 = "11-50"
  case moreThan50 = "50+"

  /// Points for the report: 0–3.
  public var points: Int { FrequencyBand.allCases.firstIndex(of: self)! }

  public static func < (a: FrequencyBand, b: FrequencyBand) -> Bool { a.points < b.points }
}

extension CaseDocument {
  /// Adds a new, empty assessment for `profile` and returns its id.
  @discardableResult
  public mutating func startAssessment(profile: String, on date: LocalDate, by user: String) -> String {
    let id = Screening.nextID("s", after: screening.assessments.map(\.id))
    screening.assessments.append(SkillsAssessment(id: id, on: date, by: user, profile: profile))
    return id
  }
}
