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

  @Test func aDemoCaseWasLastSavedNoEarlierThanItsNewestNoteOrStageChange() throws {
    let t = try TempStore()
    let store = try t.store.signIn("tester")
    let asOf = LocalDate("2026-11-01")!
    _ = try DemoStoreFiller.fill(store, cases: 120, seed: 5, asOf: asOf, user: "tester")
    var later = 0
    for summary in try t.store.list().cases {
      let d = try t.store.load(summary.id).document
      #expect(d.updatedAt >= d.createdAt)
      #expect(LocalDate.today(d.updatedAt) <= asOf, "\(d.id)")
      for note in d.notes { #expect(d.updatedAt >= note.at, "\(d.id)") }
      if let last = d.stageHistory.last?.on, last <= asOf { #expect(LocalDate.today(d.updatedAt) >= last, "\(d.id)") }
      if d.updatedAt > d.createdAt { later += 1 }
    }
    #expect(later > 60)
  }

  @Test func aCaseCreatedWithAHistoryKeepsWhenItWasLastChangedButNotInTheFuture() throws {
    let t = try TempStore()
    let now = Timestamp.parse("2026-11-01T12:00:00Z")!
    var draft = CaseDocument(
      id: CaseID(year: 2000, number: 0), person: Person(fullName: "Test Person"),
      createdAt: Timestamp.parse("2026-03-01T10:00:00Z")!, createdBy: "tester")
    draft.updatedAt = Timestamp.parse("2026-06-01T10:00:00Z")!
    var future = draft
    future.updatedAt = Timestamp.parse("2027-01-01T10:00:00Z")!
    var before = draft
    before.updatedAt = Timestamp.parse("2026-01-01T10:00:00Z")!
    let made = try t.store.createAll([draft, future, before], by: "tester", now: now, durable: false)
    #expect(made.map { Timestamp.format($0.document.updatedAt) } == ["2026-06-01T10:00:00Z", "2026-11-01T12:00:00Z", "2026-03-01T10:00:00Z"])
  }
}
