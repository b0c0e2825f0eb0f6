import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Multi-file work that must land whole: `keten demo` writes thousands of files, and a kill or
/// a full disk part-way must not leave a store whose cases, sequence and journal disagree.
///
/// The work is done in `<store>/.staging`, a store of its own that starts from this store's
/// sequence. Then `.staging/.commit` is written and the staged folders are renamed into the
/// store, the staged journal appended, the sequence and users merged, and the staging folder
/// removed. Opening a store finishes a staging that holds `.commit` (roll forward: every step
/// can run again) and removes one that does not (roll back: the store was never touched).
extension Store {
  static let stagingName = ".staging"
  var stagingPath: String { root + "/" + Store.stagingName }

  /// The folders a staged fill may bring in; each must be empty (or missing) in the store.
  static var stagedFolders: [String] { ["cases", "trash"] + recordKinds.map(\.folder) }

  struct StagingCommit: Codable {
    /// The store's journal size before the staged journal was appended.
    var journalSize: Int64
  }

  /// How many cases (trash included) and records the store holds.
  public func contentCounts() -> (cases: Int, records: Int) { backend.contentCounts() }

  /// Runs `fill` on a fresh staging store and brings what it wrote into this store at once.
  /// Refuses a store that holds cases or records. On failure nothing of it reaches the store.
  public func staged<T>(by user: String, _ fill: (Store) throws -> T) throws -> T {
    try require(.manageUsers, "fill a store")
    let held = contentCounts()
    guard held.cases == 0 && held.records == 0 else {
      throw StoreError.notAStore(
        path: root,
        problem:
          "it already holds \(held.cases) case(s) and \(held.records) record(s), and demo data must never mix with real people's files; give the demo a new folder with --store")
    }
    if let database = backend as? any TransactionalBackend {
      return try database.allAtOnce { try fill(self) }
    }
    _ = try requireFolder("fill a store in one step")
    // The lock is held throughout: another process opening the store meanwhile must not take
    // the staging for an abandoned one.
    let result = try withStoreLock { () throws -> T in
      removeStaging()
      let staging = try Store(root: stagingPath, rules: rules)
      // Ids the store already used (an erased case's among them) are never handed out again.
      var sequence = try scopedOut.rebuiltSequence()
      if case .valid(let stored) = storedSequence() { sequence.merge(stored) { max($0, $1) } }
      try staging.writeSequence(sequence)
      if let users = try users() { try staging.saveUsers(users, basedOn: nil, by: user, change: "staging copy") }
      let result: T
      do {
        result = try fill(staging)
      } catch {
        removeStaging()
        throw error
      }
      let journalSize = Store.fileSize(root + "/" + Journal.fileName)
      let commit = try CaseJSON.encoder.encode(StagingCommit(journalSize: journalSize))
      try staging.writer.write(commit, directory: stagingPath, name: ".commit")
      try bringInStaging()
      return result
    }
    try mergeStagedUsers(by: user)
    removeStaging()
    return result
  }

  /// Runs `body` holding the store's writer lock, released when it returns.
  func withStoreLock<T>(_ body: () throws -> T) throws -> T {
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    return try body()
  }

  /// Brings a committed staging into the store (the caller holds the lock); every step can run
  /// again after a crash.
  func bringInStaging() throws(StoreError) {
    guard let data = try? readWholeFile(stagingPath + "/.commit"),
      let commit = try? CaseJSON.decoder.decode(StagingCommit.self, from: data)
    else { return }
    for folder in Store.stagedFolders {
      let from = stagingPath + "/" + folder
      let to = root + "/" + folder
      guard access(from, F_OK) == 0 else { continue }
      if access(to, F_OK) == 0 {
        // Left-overs of interrupted writes (dot files) go along with the staged files, kept.
        let present = Store.directoryEntries(to)
        if !present.isEmpty, present.allSatisfy({ $0.hasPrefix(".") }) {
          for name in present where access(from + "/" + name, F_OK) != 0 { _ = Glibc.rename(to + "/" + name, from + "/" + name) }
        }
        guard Store.directoryEntries(to).isEmpty, rmdir(to) == 0 else {
          throw .notAStore(path: to, problem: "it is no longer empty, so the staged \(folder) could not be brought in; they wait in \(Store.stagingName)")
        }
      }
      guard Glibc.rename(from, to) == 0 else { throw .io(operation: "bring in", file: folder + "/", errno: errno) }
      if sharing.group != nil { try apply(sharing, to: to) }
    }
    // The index's stats survive the renames (same inodes, same times): it stays valid.
    if access(stagingPath + "/" + CaseIndex.fileName, F_OK) == 0 {
      _ = Glibc.rename(stagingPath + "/" + CaseIndex.fileName, root + "/" + CaseIndex.fileName)
    }
    try writer.syncDirectory(root, file: Store.stagingName)
    let stagedJournal = stagingPath + "/" + Journal.fileName
    if access(stagedJournal, F_OK) == 0 {
      if Store.fileSize(root + "/" + Journal.fileName) == commit.journalSize {
        // The staged intents and their outcomes as they were written; the users file's entries
        // are the store's own (`mergeStagedUsers` journals the merge).
        try journal.append(try Journal(path: stagedJournal, ops: .system).lines().entries.filter { $0.action != .users })
      }
      unlink(stagedJournal)
    }
    var sequence: [String: Int] = [:]
    if case .valid(let stored) = storedSequence() { sequence = stored }
    if let data = try? readWholeFile(stagingPath + "/sequence.json"),
      let staged = try? JSONDecoder().decode([String: Int].self, from: data)
    {
      sequence.merge(staged) { max($0, $1) }
      try writeSequence(sequence)
    }
  }

  /// The staging's users added to the store's (takes the lock itself).
  func mergeStagedUsers(by user: String) throws(StoreError) {
    if let staged = try? Store(root: stagingPath, rules: rules).users() {
      let base = try users()
      var registry = base ?? UserRegistry(users: [])
      for u in staged.users where registry.user(u.login) == nil { registry.users.append(u) }
      if registry != base { try scopedOut.saveUsers(registry, basedOn: base, by: user, change: "added the demo's users") }
    }
  }

  /// At opening, when no writer is at work: a committed staging is finished (roll forward),
  /// any other removed (roll back: the store itself was never touched).
  func resolveStaging() {
    guard access(stagingPath, F_OK) == 0 else { return }
    let committed = access(stagingPath + "/.commit", F_OK) == 0
    do {
      guard let lock = try? StoreLock(path: lockPath, mode: sharing.fileMode, wait: false) else { return }
      defer { withExtendedLifetime(lock) {} }
      if committed {
        do {
          try bringInStaging()
        } catch {
          return  // left for the next opening; `keten check` sees the folders as they are
        }
      }
    }
    if committed { try? mergeStagedUsers(by: "keten") }
    removeStaging()
  }

  func removeStaging() {
    guard access(stagingPath, F_OK) == 0 else { return }
    try? FileManager.default.removeItem(atPath: stagingPath)
  }

  static func fileSize(_ path: String) -> Int64 {
    var st = stat()
    return lstat(path, &st) == 0 ? Int64(st.st_size) : 0
  }
}
