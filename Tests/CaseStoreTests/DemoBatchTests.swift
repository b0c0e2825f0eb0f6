import CaseStore
import Testing

@testable import DemoData

/// `keten demo` drafts, links and writes its cases in batches, carrying each step's random
/// sequence (and the mentors' taken places) from one batch to the next; the demo must be the
/// same as if every case were drafted at once, whatever the batch boundaries.
@Suite struct DemoBatchTests {
  @Test func aDemoDraftedInBatchesIsTheDemoDraftedAtOnce() throws {
    let t = try TempStore()
    let asOf = LocalDate("2026-11-01")!
    let count = 240
    let generator = try DemoGenerator(seed: 9, asOf: asOf, currentUser: "tester")
    let bridging = try DemoBridging(seed: 9, asOf: asOf)
    let placement = try DemoPlacement(seed: 9, asOf: asOf)
    let mentors = try bridging.mentors(forCases: count).map { try t.store.create($0, by: "tester").record }
    let employers = try placement.employers(forCases: count).map { try t.store.create($0, by: "tester").record }

    var whole = generator.drafts(count: count)
    bridging.addPairs(to: &whole, mentors: mentors, coordinator: "tester")
    placement.addPlacements(to: &whole, employers: employers, by: "tester")
    var history = DemoStages.historyRNG(seed: 9)
    DemoStages.addHistory(to: &whole, asOf: asOf, rng: &history)

    var batched: [CaseDocument] = []
    var draftRNG = generator.draftRNG()
    var pairing = bridging.pairing()
    var placementRNG = placement.placementRNG()
    var historyRNG = DemoStages.historyRNG(seed: 9)
    for range in [0..<100, 100..<101, 101..<count] {
      var batch = generator.drafts(range, of: count, rng: &draftRNG)
      bridging.addPairs(to: &batch, mentors: mentors, coordinator: "tester", state: &pairing)
      placement.addPlacements(to: &batch, employers: employers, by: "tester", rng: &placementRNG)
      DemoStages.addHistory(to: &batch, asOf: asOf, rng: &historyRNG)
      batched += batch
    }
    // What is compared includes the cross-case links: pairs (mentors' places), hires, histories.
    #expect(whole.filter { !$0.mentoring.isEmpty }.count > 5)
    #expect(whole.filter { !$0.placement.hires.isEmpty }.count > 5)
    #expect(batched.count == whole.count)
    for (a, b) in zip(batched, whole) { #expect(a == b) }
  }
}
