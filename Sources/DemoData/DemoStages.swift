import CaseStore

/// A plausible stage history for each demo case, consistent with the rest of its file: opened in
/// screening, on to bridging a few weeks after phase 1 started, to matching before any internship
/// or hire, and to sustaining on the day of the hire. The last entry is the case's stages.
enum DemoStages {
  /// The random sequence histories are drawn from, to carry from one batch to the next.
  static func historyRNG(seed: UInt64) -> SplitMix64 { SplitMix64(seed: seed ^ 0x5747_4745) }

  static func addHistory(to drafts: inout [CaseDocument], asOf: LocalDate, rng: inout SplitMix64) {
    for i in drafts.indices {
      var d = drafts[i]
      let opened = LocalDate.today(d.createdAt)
      let last = min(asOf, d.closure?.on ?? asOf)
      var day = opened
      func step(to stages: Set<ChainStage>, earliest: LocalDate?, spread: Int) {
        let wanted = (earliest ?? day.adding(days: 14)).adding(days: rng.next(in: 0..<spread))
        day = min(last, max(day, wanted))
        d.stages = stages
        d.recordStages(on: day)
      }
      let final = d.stages
      let furthest = d.orderedStages.last ?? .screening
      d.stageHistory = []
      d.stages = [.screening]
      d.recordStages(on: opened)
      if furthest >= .bridging {
        let both = final == [.screening, .bridging]
        step(to: both ? final : [.bridging], earliest: d.screening.factual.startedOn?.adding(days: 10), spread: 30)
      }
      if furthest >= .matching {
        let firstPlacement = (d.placement.internships.map(\.from) + d.placement.hires.map(\.start)).min()
        step(to: furthest == .matching ? final : [.matching], earliest: firstPlacement?.adding(days: -20), spread: 15)
      }
      if furthest == .sustaining {
        step(to: final, earliest: d.placement.hires.map(\.start).min(), spread: 1)
      }
      d.stages = final
      d.recordStages(on: day)
      drafts[i] = d
    }
  }
}
