import ArgumentParser
import CaseStore
import Casework
import DemoData
import Foundation

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Fill the store with realistic synthetic cases (same seed, same cases).")

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "How many cases to add.") var cases = 300
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: ArgumentHelp("Date the demo data ends on (default today).", valueName: "YYYY-MM-DD"))
  var asOf: String?

  func run() throws {
    try reporting {
      guard cases > 0, cases <= 1_000_000 else {
        throw CLIError("--cases must be between 1 and 1000000.")
      }
      var end = LocalDate.today()
      if let asOf {
        guard let date = LocalDate(asOf) else {
          throw CLIError("--as-of '\(asOf)' is not a real date; write it as YYYY-MM-DD.")
        }
        end = date
      }
      let store = try storeOptions.open()
      let created = try DemoStore.fill(store, cases: cases, seed: seed, asOf: end)
      print("\(created) demo cases added to \(store.root).")
    }
  }
}

enum DemoStore {
  /// Registers the demo's case workers (with the centre of their first case), trainers and
  /// mentors, so the store can be tried under every role.
  static func addUsers(to store: Store, drafts: [CaseDocument], mentors: [Mentor], trainers: [String]) throws {
    let base = try store.users()
    var registry = base ?? UserRegistry(users: [])
    let today = LocalDate.today()
    let user = CurrentUser.login
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

  /// The per-user demo store: `$XDG_DATA_HOME/keten-demo`.
  static var location: String { Store.dataHome() + "/keten-demo" }

  static func fill(_ store: Store, cases: Int, seed: UInt64, asOf: LocalDate) throws -> Int {
    try store.require(.manageUsers, "fill a store with demo data")
    let generator: DemoGenerator
    do {
      generator = try DemoGenerator(seed: seed, asOf: asOf, currentUser: CurrentUser.login)
    } catch {
      throw CLIError("\(error)")
    }
    var created = 0
    let user = CurrentUser.login
    let bridging: DemoBridging
    let placement: DemoPlacement
    do {
      bridging = try DemoBridging(seed: seed, asOf: asOf)
      placement = try DemoPlacement(seed: seed, asOf: asOf)
    } catch {
      throw CLIError("\(error)")
    }
    // Mentors and employers first (cases point at their ids), then cases, then groups and
    // fairs (they list case ids).
    let mentors = try bridging.mentors(forCases: cases).map { try store.create($0, by: user).record }
    let employers = try placement.employers(forCases: cases).map { try store.create($0, by: user).record }
    for opening in placement.openings(for: employers) { try store.create(opening, by: user) }
    var drafts = generator.drafts(count: cases)
    bridging.addPairs(to: &drafts, mentors: mentors, coordinator: user)
    placement.addPlacements(to: &drafts, employers: employers, by: user)
    // One lock hold and one file-system sync per batch of 5,000, so a large demo shows
    // progress on disk and a crash midway keeps the batches already written.
    var start = 0
    while start < drafts.count {
      let batch = Array(drafts[start..<min(start + 5_000, drafts.count)])
      created += try store.createAll(batch, by: CurrentUser.login, durable: false).count
      start += batch.count
    }
    let listing = try store.list()
    for group in bridging.groups(cases: listing.cases, trainers: [user, "trainer.an", "trainer.yusuf"]) {
      try store.create(group, by: user)
    }
    for fair in placement.fairs(cases: listing.cases, employers: employers) { try store.create(fair, by: user) }
    try addUsers(to: store, drafts: drafts, mentors: mentors, trainers: ["trainer.an", "trainer.yusuf"])
    return created
  }
}

/// Saves one case in an endless loop; the crash-safety test kills it with SIGKILL at random.
struct TortureSave: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "torture-save", abstract: "Test helper: save a case in a loop until killed.",
    shouldDisplay: false)

  @OptionGroup var storeOptions: StoreOptions
  @Argument var id: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let caseID = try parseID(id)
      while true {
        let stored = try store.load(caseID)
        var document = stored.document
        // The content is a function of the revision, so a reader can tell a torn mix.
        let next = stored.revision + 1
        document.person.preferredName = "rev-\(next)"
        document.notes = (0..<(next % 7)).map {
          Note(id: "n\($0 + 1)", at: document.createdAt, author: "torture", text: String(repeating: "rev-\(next) ", count: 50 * ($0 + 1)))
        }
        try store.save(document, basedOn: stored, by: "torture")
      }
    }
  }
}
