import CaseStore

/// Figures of one training group: attendance per module, the entry-test level mix, and the
/// closing evaluation split by gender with counts (the guidelines ask to evaluate men and women
/// separately).
public struct TrainingReport: Sendable {
  public struct ModuleAttendance: Sendable, Equatable {
    public var module: String
    public var present: Int
    public var absent: Int
    public var excused: Int
    public var unrecorded: Int
    /// Present out of those recorded, 0–100; nil when nobody is recorded.
    public var rate: Int? {
      let recorded = present + absent + excused
      return recorded == 0 ? nil : (present * 200 + recorded) / (2 * recorded)
    }
  }

  public struct EvaluationGroup: Sendable, Equatable {
    public var gender: Gender
    /// Participants with an evaluation.
    public var count: Int
    /// Mean per score name (confidence, labourMarket, …), one decimal, for count > 0.
    public var means: [String: Double]
    public var levelFit: [GroupLevelFit: Int]
  }

  public typealias GroupLevelFit = TrainingGroup.LevelFit

  public var attendance: [ModuleAttendance]
  /// Level id → participants the entry test places there.
  public var levelMix: [String: Int]
  /// Participants without an entry test.
  public var untested: Int
  /// True when the entry test spreads the group over levels more than one step apart.
  public var levelSpreadIsWide: Bool
  public var evaluations: [EvaluationGroup]
  /// All evaluations together.
  public var total: EvaluationGroup

  /// `genders` gives each participant's gender by case id (from the case files).
  public init(group: TrainingGroup, programme: VoorwerkProgramme, genders: [String: Gender]) {
    attendance = programme.modules.map { m in
      var a = ModuleAttendance(module: m.id, present: 0, absent: 0, excused: 0, unrecorded: 0)
      for p in group.participants {
        switch p.attendance[m.id] {
        case .present?: a.present += 1
        case .absent?: a.absent += 1
        case .excused?: a.excused += 1
        case nil: a.unrecorded += 1
        }
      }
      return a
    }
    var mix: [String: Int] = [:]
    var untested = 0
    var placed: [Int] = []
    for p in group.participants {
      guard let answers = p.entryTest else {
        untested += 1
        continue
      }
      let level = programme.recommendedLevel(answers)
      mix[level.id, default: 0] += 1
      placed.append(programme.levels.firstIndex { $0.id == level.id } ?? 0)
    }
    levelMix = mix
    self.untested = untested
    levelSpreadIsWide = (placed.max() ?? 0) - (placed.min() ?? 0) >= 2
    func summarise(_ gender: Gender, _ list: [TrainingGroup.Evaluation]) -> EvaluationGroup {
      var means: [String: Double] = [:]
      if !list.isEmpty {
        for name in TrainingGroup.Evaluation.scoreNames {
          // Only scores on the scale count (a damaged value is `check`'s to name, not a sum's
          // to overflow).
          let scores = list.compactMap { e in e.scores.first { $0.name == name }?.value }.filter { (1...5).contains($0) }
          if !scores.isEmpty {
            means[name] = (Double(scores.reduce(0, +)) / Double(scores.count) * 10).rounded() / 10
          }
        }
      }
      var fit: [GroupLevelFit: Int] = [:]
      for e in list { fit[e.level, default: 0] += 1 }
      return EvaluationGroup(gender: gender, count: list.count, means: means, levelFit: fit)
    }
    let evaluated = group.participants.compactMap { p in p.evaluation.map { (genders[p.caseID] ?? .unspecified, $0) } }
    evaluations = Gender.allCases.map { g in summarise(g, evaluated.filter { $0.0 == g }.map(\.1)) }
    total = summarise(.unspecified, evaluated.map(\.1))
  }
}

extension TrainingGroup.Evaluation {
  public static let scoreNames = ["confidence", "labourMarket", "communication", "initiative", "organisation", "responsibility"]
}
