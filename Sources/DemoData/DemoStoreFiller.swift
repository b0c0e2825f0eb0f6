import CaseStore
import Foundation

/// Fills a store with the demo: mentors, employers, openings, cases with their pairs and
/// placements, training groups, job fairs, and a user of every role.
public enum DemoStoreFiller {
  /// Registers the demo's case workers (with the centre of their first case), trainers and
  /// mentors, so the store can be tried under every role.
  static func addUsers(
    to store: Store, drafts: [CaseDocument], mentors: [Mentor], trainers: [String], user: String
  ) throws {
    let base = try store.users()
    var registry = base ?? UserRegistry(users: [])
    let today = LocalDate.today()
    func add(_ login: String, _ role: Role, _ centre: String?) {
      guard Mentor.isLogin(login), registry.user(login) == nil else { return }
      registry.users.append(StaffUser(login: login, role: role, centre: centre, addedOn: today, addedBy: user))
    }
    for d in drafts {
      if let worker = d.person.caseWorker, let centre = d.person.centre { add(worker, .caseWorker, centre) }
    }
    for login in trainers { add(login, .trainer, nil) }
    for mentor in mentors { add(mentor.login, .mentor, nil) }
    guard registry != base else { return }
    try store.saveUsers(registry, basedOn: base, by: user, change: "added the demo's users")
  }

  /// Adds `cases` demo cases (and the records around them); returns how many were created.
  public static func fill(_ store: Store, cases: Int, seed: UInt64, asOf: LocalDate, user: String) throws -> Int {
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
    var drafts = generator.drafts(count: cases)
    bridging.addPairs(to: &drafts, mentors: mentors, coordinator: user)
    placement.addPlacements(to: &drafts, employers: employers, by: user)
    DemoStages.addHistory(to: &drafts, asOf: asOf, seed: seed)
    // One lock hold and one file-system sync per batch of 5,000, so a large demo shows
    // progress on disk and a crash midway keeps the batches already written.
    var start = 0
    while start < drafts.count {
      let batch = Array(drafts[start..<min(start + 5_000, drafts.count)])
      created += try store.createAll(batch, by: user, durable: false).count
      start += batch.count
    }
    let listing = try store.list()
    for group in bridging.groups(cases: listing.cases, trainers: [user, "trainer.an", "trainer.yusuf"]) {
      try store.create(group, by: user)
    }
    for fair in placement.fairs(cases: listing.cases, employers: employers) { try store.create(fair, by: user) }
    try addUsers(to: store, drafts: drafts, mentors: mentors, trainers: ["trainer.an", "trainer.yusuf"], user: user)
    return created
  }
}

