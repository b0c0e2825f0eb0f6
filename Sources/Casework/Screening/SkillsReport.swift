import CaseStore

/// How well an assessment's answers fit a job profile: per action field and overall.
public struct SkillsReport: Equatable, Sendable {
  public struct Field: Equatable, Sendable {
    public var id: String
    public var points: Int
    public var maximum: Int
    public var unanswered: Int

    /// 0–100, rounded half up.
    public var percent: Int { maximum == 0 ? 0 : (points * 200 + maximum) / (2 * maximum) }
    public var symbol: String { SkillsReport.symbol(percent: percent) }
  }

  public var profile: String
  public var date: LocalDate
  public var fields: [Field]

  /// Every question counts: an unanswered one scores as "never".
  public init(assessment: SkillsAssessment, profile: SkillsCatalog.Profile) {
    self.profile = profile.id
    date = assessment.on
    let top = FrequencyBand.moreThan50.points
    fields = profile.actionFields.map { field in
      let answers = field.questions.map { assessment.answers[$0.id] }
      return Field(
        id: field.id, points: answers.reduce(0) { $0 + ($1?.points ?? 0) },
        maximum: top * field.questions.count, unanswered: answers.filter { $0 == nil }.count)
    }
  }

  public var points: Int { fields.reduce(0) { $0 + $1.points } }
  public var maximum: Int { fields.reduce(0) { $0 + $1.maximum } }
  public var unanswered: Int { fields.reduce(0) { $0 + $1.unanswered } }
  public var isComplete: Bool { unanswered == 0 }
  /// The overall fit, 0–100.
  public var percent: Int { maximum == 0 ? 0 : (points * 200 + maximum) / (2 * maximum) }
  public var symbol: String { SkillsReport.symbol(percent: percent) }

  /// ○ under 13 %, ◔ under 38 %, ◑ under 63 %, ◕ under 88 %, ● from 88 %.
  public static func symbol(percent: Int) -> String {
    switch percent {
    case ..<13: "○"
    case ..<38: "◔"
    case ..<63: "◑"
    case ..<88: "◕"
    default: "●"
    }
  }

  /// Per action field, the change in percentage points from `earlier` to this report.
  public func progress(since earlier: SkillsReport) -> [(id: String, before: Int, after: Int)] {
    fields.map { field in
      (field.id, earlier.fields.first { $0.id == field.id }?.percent ?? 0, field.percent)
    }
  }
}
