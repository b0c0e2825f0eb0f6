import CaseStore
import Foundation

/// Fills a store with the demo: mentors, employers, openings, cases with their pairs and
/// placements, training groups, job fairs, and a user of every role.
public enum DemoStoreFiller {
  /// Registers the demo's case workers (with the centre of their first case), trainers and
  /// mentors, so the store can be tried under every role.
  static func addUsers(
    to store: Store, workers: [(login: String, centre: String)], mentors: [Mentor], trainers: [String], user: String
  ) throws {
    let base = try store.users()
    var registry = base ?? UserRegistry(users: [])
    let today = LocalDate.today()
    func add(_ login: String, _ role: Role, _ centre: String?) {
      guard Mentor.isLogin(login), registry.user(login) == nil else { return }
      registry.users.append(StaffUser(login: login, role: role, centre: centre, addedOn: today, addedBy: user))
    }
    for (login, centre) in workers { add(login, .caseWorker, centre) }
    for login in trainers { add(login, .trainer, nil) }
    for mentor in mentors { add(mentor.login, .mentor, nil) }
    guard registry != base else { return }
    try store.saveUsers(registry, basedOn: base, by: user, change: "added the demo's users")
  }

  /// Adds `cases` demo cases (and the records around them); returns how many were created.
  /// `progress` hears the number of cases written after each batch (a terminal shows it).
  public static func fill(
    _ store: Store, cases: Int, seed: UInt64, asOf: LocalDate, user: String, progress: ((Int) -> Void)? = nil
  ) throws -> Int {
    try store.require(.manageUsers, "fill a store with demo data")
    let generator = try DemoGenerator(seed: seed, asOf: asOf, currentUser: user)
    var created = 0
    let bridging = try DemoBridging(seed: seed, asOf: asOf)
    let placement = try DemoPlacement(seed: seed, asOf: asOf)
    // Mentors and employers first (cases point at their ids), then cases, then groups and
    // fairs (they list case ids).
    let mentors = try bridging.mentors(forCases: cases).map { try store.create($0, by: user).record }
    let employers = try placement.employers(forCases: cases).map { try store.create($0, by: user).record }
    for opening in placement.openings(for: employers) { try store.create(opening, by: user) }
    let plans = DemoPlan(seed: seed, asOf: asOf)
    let services = try plans.services().map { try store.create($0, by: user).record }
    var planRNG = plans.planRNG()
    // Drafted, linked and written 5,000 at a time, each step carrying its random sequence
    // from batch to batch (the same store as drafting all at once, without holding 100,000
    // documents in memory); one lock hold and one file-system sync per batch, so a large demo
    // shows progress on disk and a crash midway keeps the batches already written.
    var draftRNG = generator.draftRNG()
    var pairing = bridging.pairing()
    var placementRNG = placement.placementRNG()
    var historyRNG = DemoStages.historyRNG(seed: seed)
    var workers: [(login: String, centre: String)] = []
    var seenWorkers: Set<String> = []
    var start = 0
    progress?(0)
    while start < cases {
      let end = min(start + 5_000, cases)
      var batch = generator.drafts(start..<end, of: cases, rng: &draftRNG)
      bridging.addPairs(to: &batch, mentors: mentors, coordinator: user, state: &pairing)
      placement.addPlacements(to: &batch, employers: employers, by: user, rng: &placementRNG)
      plans.addPlans(to: &batch, services: services, rng: &planRNG)
      DemoStages.addHistory(to: &batch, asOf: asOf, rng: &historyRNG)
      for i in batch.indices { batch[i].updatedAt = lastChange(of: batch[i], asOf: asOf) }
      for d in batch {
        if let worker = d.person.caseWorker, let centre = d.person.centre, seenWorkers.insert(worker).inserted {
          workers.append((worker, centre))
        }
      }
      created += try store.createAll(batch, by: user, durable: false).count
      progress?(created)
      start = end
    }
    let listing = try store.list()
    for group in bridging.groups(cases: listing.cases, trainers: [user, "trainer.an", "trainer.yusuf"]) {
      try store.create(group, by: user)
    }
    for fair in placement.fairs(cases: listing.cases, employers: employers) { try store.create(fair, by: user) }
    try addUsers(to: store, workers: workers, mentors: mentors, trainers: ["trainer.an", "trainer.yusuf"], user: user)
    return created
  }

  /// When a demo case was last changed: its latest note, stage change or mentor check-in (not
  /// after `asOf`), so "last saved" is never before the newest note.
  static func lastChange(of d: CaseDocument, asOf: LocalDate) -> Date {
    var days = d.stageHistory.map(\.on) + d.mentoring.compactMap(\.lastCheckIn)
    days = days.filter { $0 <= asOf }
    var latest = d.notes.map(\.at).filter { LocalDate.today($0) <= asOf }.max() ?? d.createdAt
    if let day = days.max() {
      latest = max(latest, Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 36_000))
    }
    return max(d.createdAt, latest)
  }
}
