/// One change of a case's chain stages: from `on`, the case stood in `stages` (in chain order;
/// empty when none was ticked). The case's history lists these oldest first, the first one from
/// the day it was opened; the store adds one whenever a save changes the stages.
public struct StageChange: Codable, Equatable, Sendable {
  public var on: LocalDate
  public var stages: [ChainStage]

  public init(on: LocalDate, stages: Set<ChainStage>) {
    self.init(on: on, stages: Array(stages))
  }

  /// A change from stages listed in any order (a report parses these without building sets).
  public init(on: LocalDate, stages: [ChainStage]) {
    self.on = on
    self.stages = ChainStage.allCases.filter(stages.contains)
  }

  /// The stages entered by this change, coming from `previous`.
  public func entered(from previous: StageChange?) -> [ChainStage] {
    stages.filter { !(previous?.stages.contains($0) ?? false) }
  }
}

extension CaseDocument {
  /// Records that the case stands in its current stages from `day`, unless the history already
  /// says so. Changes made on one day count as one: the day's last entry is replaced, and an
  /// entry that merely returns to the stages before it is dropped.
  public mutating func recordStages(on day: LocalDate) {
    let change = StageChange(on: day, stages: stages)
    if stageHistory.last?.stages == change.stages { return }
    if let last = stageHistory.last, last.on >= day {
      stageHistory.removeLast()
      if stageHistory.last?.stages == change.stages { return }
    }
    stageHistory.append(change)
  }
}
