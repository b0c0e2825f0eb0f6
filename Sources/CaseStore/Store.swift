import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The case store: case documents and records under Keten's rules, kept by a backend — a
/// folder (`FolderBackend`, the default) or a PostgreSQL database (`PostgresBackend`).
///
/// The store validates every document, stamps revisions and authors, works out what changed
/// for the journal, keeps unknown keys, and applies the signed-in user's role: a store signed
/// in as a user (`signIn`) returns from `list`, `load` and `records` only what the role may see.
/// The backend keeps the documents and makes each change land whole with its journal entry.
public final class Store: Sendable {
  public let backend: any StoreBackend
  public let rules: CaseRules
  /// The signed-in user; nil for an unscoped store (tests, maintenance, internal reads).
  public let viewer: Viewer?
  public let journal: any JournalStore

  /// Where the store is, for messages (a folder, or a database without its password).
  public var root: String { backend.location }
  /// The folder the store's own content (catalogs, settings) is read from, or nil.
  public var contentRoot: String? { backend.contentRoot }

  /// Opens the folder store at `root`, creating it (mode 0700) when missing.
  ///
  /// Refuses a folder or file other users can read or write (group access counts only for the
  /// group the users file names), sweeps temp files left by a crashed save when no other writer
  /// is active, and finishes a staged fill or an erasure a crash interrupted.
  public convenience init(root: String, rules: CaseRules = NoRules(), ops: FileOps = .system) throws(StoreError) {
    self.init(backend: try FolderBackend(root: root, ops: ops), rules: rules)
    let hidden = Store.directoryEntries(self.root, hidden: true)
    if hidden.contains(Store.stagingName) { resolveStaging() }
    if hidden.contains(where: { $0.hasPrefix(ErasureMarker.prefix) }) { finishInterruptedErasures() }
  }

  /// A store kept by `backend`.
  public init(backend: any StoreBackend, rules: CaseRules = NoRules()) {
    self.backend = backend
    self.rules = rules
    self.viewer = nil
    self.journal = backend.journal
  }

  init(copying store: Store, viewer: Viewer?) {
    backend = store.backend
    rules = store.rules
    journal = store.journal
    self.viewer = viewer
  }

  /// The same store, read and written as `viewer`.
  public func scoped(to viewer: Viewer) -> Store { Store(copying: self, viewer: viewer) }

  /// `path` made absolute (relative to the working folder) and tidied.
  public static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return (full as NSString).standardizingPath
  }

  /// A symbolic link where a folder store keeps a folder or a settings file.
  public static func linkInside(_ root: String) -> StoreError? { FolderBackend.linkInside(root) }

  static func directoryEntries(_ directory: String, hidden: Bool = false) -> [String] {
    FolderBackend.directoryEntries(directory, hidden: hidden)
  }

  // MARK: The folder under a folder store

  /// The folder backend, for the steps only a folder store has (its check of modes and links,
  /// erase markers, staging folders, sharing with an OS group); nil on a database.
  public var folder: FolderBackend? { backend as? FolderBackend }

  /// Fails unless the store is a folder, naming what needs one.
  public func requireFolder(_ what: String) throws(StoreError) -> FolderBackend {
    guard let folder else { throw .notOnDatabase(what: what) }
    return folder
  }

  /// The folder backend of a store every caller has checked is one (through `requireFolder`, or
  /// by opening it with `init(root:)`).
  var fb: FolderBackend {
    guard let folder else { preconditionFailure("a folder store's step run on \(backend.location)") }
    return folder
  }
  var writer: DurableWriter { fb.writer }
  public var sharing: Sharing { folder?.sharing ?? .ownerOnly }
  var casesDirectory: String { fb.casesDirectory }
  var trashDirectory: String { fb.trashDirectory }
  var lockPath: String { fb.lockPath }
  func read(path: String, fileName: String) throws(StoreError) -> StoredCase {
    try fb.read(path: path, fileName: fileName)
  }

  /// `--store` if given, else `$KETEN_STORE`, else `$XDG_DATA_HOME/keten`, else
  /// `~/.local/share/keten`.
  public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let store = environment["KETEN_STORE"], !store.isEmpty { return store }
    return dataHome(environment: environment) + "/keten"
  }

  /// `$XDG_DATA_HOME`, else `~/.local/share`.
  public static func dataHome(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/share"
  }

  // MARK: Reading

  /// Every case's summary and every damaged file the signed-in user may see, sorted by id: on a
  /// folder, from the index where it is still valid. `progress`, if given, counts the files
  /// read (not found valid in the index) as they are read, for another thread to show.
  public func list(progress: ListProgress? = nil) throws(StoreError) -> Listing {
    limited(try backend.listCases(rules: rules, progress: progress))
  }

  /// Counts the case files a listing has read so far; safe to read from any thread.
  public final class ListProgress: Sendable {
    let read = Atomic<Int>(0)
    public init() {}
    public var filesRead: Int { read.load(ordering: .relaxed) }
    /// Counts `n` more read.
    public func add(_ n: Int) { read.add(n, ordering: .relaxed) }
  }

  /// The listing as the index last recorded it, without looking at the case files: what the app
  /// shows at once while `list()` checks every file (at 100,000 cases, stat-ing the files alone
  /// takes longer than reading this). Nil when there is no usable index.
  ///
  /// It may be stale: a file changed, added or removed since the index was written shows only
  /// after `list()`. Opening a case always reads its file.
  public func listFromIndex() -> Listing? {
    backend.cachedListing(rules: rules).map(limited)
  }

  /// A listing cut to what the signed-in user may see, sorted by id.
  private func limited(_ listing: Listing) -> Listing {
    var cases = listing.cases
    var damaged = listing.damaged
    var unnamed = 0
    if let viewer {
      cases = cases.filter(viewer.maySee)
      if !viewer.seesWholeCases { cases = cases.map { $0.redacted(to: viewer.sections) } }
      // What is in a damaged file is never shown. A trainer or mentor is not told which files
      // they are either (their names are ids of cases that may not be theirs), only how many.
      if viewer.role == .trainer || viewer.role == .mentor {
        unnamed = damaged.count
        damaged = []
      }
    }
    // The index is written in id order, so this is usually one pass that finds nothing to do.
    // Otherwise (a listing in folder order) ids are sorted as numbers, then the summaries moved
    // once: sorting the summaries themselves moves each many times.
    let inOrder = cases.withUnsafeBufferPointer { c in c.indices.dropFirst().allSatisfy { c[$0 - 1].id < c[$0].id } }
    if !inOrder {
      let order = cases.indices.sorted { cases[$0].id < cases[$1].id }
      cases = order.map { cases[$0] }
    }
    damaged.sort { $0.file < $1.file }
    var limited = Listing(cases: cases, damaged: damaged, reread: listing.reread)
    limited.unnamedDamaged = unnamed
    return limited
  }

  /// The summary the list shows for this case (for updating a list after a save).
  public func summary(of stored: StoredCase) -> CaseSummary {
    CaseSummary(document: stored.document, rules: rules)
  }

  /// Reads one case, as the signed-in user may see it. Throws `.notFound` (also for a case the
  /// user may not see, saying nothing more), `.damaged` (with position) or `.io`.
  public func load(_ id: CaseID) throws(StoreError) -> StoredCase {
    let stored = try loadWhole(id)
    guard let viewer else { return stored }
    guard viewer.maySee(stored.document) else { throw .notFound(id) }
    if viewer.seesWholeCases { return stored }
    return StoredCase(
      document: stored.document.redacted(to: viewer.sections), bytes: Data(), isPartial: true, sections: viewer.sections)
  }

  /// Opens a case file for reading by a person: `load`, journalled as an open.
  public func open(_ id: CaseID, by user: String, now: Date = Timestamp.now()) throws(StoreError) -> StoredCase {
    let stored = try load(id)
    try journal.append(JournalEntry(at: now, user: user, action: .open, caseID: id, revision: stored.revision))
    return stored
  }

  /// The whole case, whoever is signed in (for the store's own read-modify-write steps).
  func loadWhole(_ id: CaseID) throws(StoreError) -> StoredCase {
    try backend.readCase(id)
  }

  // MARK: Writing

  /// Saves an edited case on top of the revision it was loaded as.
  ///
  /// Refused with `.conflict` when the file changed since `base` was read (another process or
  /// person saved), `.invalid` when a rule is broken, `.newerSchema` for read-only cases.
  /// Keys the document does not know are carried over from `base`.
  @discardableResult
  public func save(
    _ edited: CaseDocument, basedOn base: StoredCase, by user: String, now: Date = Timestamp.now()
  ) throws(StoreError) -> StoredCase {
    guard !base.isReadOnly else { throw .newerSchema(base.id, version: base.document.schemaVersion) }
    try require(.editCases, "change case files")
    if base.isPartial, let viewer { throw .notPermitted(what: "change case files", role: viewer.role) }
    if let viewer, viewer.role == .caseWorker {
      let centre = edited.person.centre ?? "", before = base.document.person.centre ?? ""
      if centre != before, centre.isBlank != before.isBlank || !Viewer.sameCentre(centre, before),
        centre.isBlank || !Viewer.sameCentre(centre, viewer.centre ?? "")
      {
        // Handing a case to another centre, or to none, is a coordinator's step: a case
        // worker's change would show it to that centre's staff, or to nobody's.
        throw .notPermitted(what: "move a case out of \(viewer.centre ?? "your centre")", role: .caseWorker)
      }
    }
    if let pair = edited.openPair, !edited.isClosed, pair.id != base.document.openPair?.id || pair.mentor != base.document.openPair?.mentor {
      try requireMentorPlace(pair.mentor, for: base.id)
    }
    return try write(edited, basedOn: base, by: user, now: now)
  }

  /// Open pairs per mentor id over the whole store, whoever asks: a mentor's places are taken
  /// by mentees of every centre.
  ///
  /// `recorded: true` (for showing them) counts a folder's index as last recorded when there is
  /// one, instead of checking every case file first: at 100,000 cases that check took a second
  /// before the app's first frame. A save's check of a free place always counts the files.
  public func openPairsPerMentor(recorded: Bool = false) throws(StoreError) -> [String: Int] {
    // A database counts them itself, past what the login's rows show, without a listing.
    if let counted = try backend.openPairsPerMentor() { return counted }
    let listing: Listing
    if recorded, let recordedListing = backend.cachedListing(rules: rules) {
      listing = recordedListing
    } else {
      listing = try scopedOut.list()
    }
    var counts: [String: Int] = [:]
    for s in listing.cases where !s.mentor.isEmpty { counts[s.mentor, default: 0] += 1 }
    return counts
  }

  /// Refuses a new pair with a mentor who has no free place (counted over the whole store).
  func requireMentorPlace(_ mentorID: String, for caseID: CaseID) throws(StoreError) {
    guard let mentor = try? scopedOut.record(Mentor.self, mentorID).record else { return }
    // The case's own pair, if it already counts, does not take a second place.
    let ownPair = (try? backend.readCase(caseID))?.document
    let counts = try openPairsPerMentor()
    let taken = (counts[mentorID] ?? 0) - (ownPair.map { !$0.isClosed && $0.openPair?.mentor == mentorID } == true ? 1 : 0)
    if taken >= mentor.maxMentees {
      throw .invalid([ValidationIssue(path: "mentoring", problem: .mentorFull(mentor.id, max: mentor.maxMentees))])
    }
  }

  /// `save` without the role check, for the store's own permitted steps (a mentor's check-in).
  /// `journalled: false` when the caller wrote the journal entry itself (an export).
  func write(
    _ edited: CaseDocument, basedOn base: StoredCase, by user: String, now: Date, journalled: Bool = true
  ) throws(StoreError) -> StoredCase {
    var document = edited
    document.id = base.id
    document.schemaVersion = CaseDocument.currentSchemaVersion
    document.revision = base.revision + 1
    document.createdAt = base.document.createdAt
    document.createdBy = base.document.createdBy
    document.updatedAt = now
    document.updatedBy = user
    if document.stages != base.document.stages {
      if document.stageHistory.isEmpty {
        // A case from before stages were dated: what is known is where it stood at its last save.
        var before = base.document
        before.recordStages(on: min(LocalDate.today(before.updatedAt), LocalDate.today(now)))
        document.stageHistory = before.stageHistory
      }
      document.recordStages(on: LocalDate.today(now))
    }
    let issues = document.validationIssues(today: LocalDate.today(now))
    guard issues.isEmpty else { throw .invalid(issues) }
    // The base's tree: kept from the save that made it, or encoded once here for both the
    // unknown keys and the changed paths.
    let baseTree = base.tree ?? (try? CaseJSON.tree(base.document))
    let (bytes, onlyKnown, typed) = try encode(document, base: base, baseTree: baseTree)
    let stored = StoredCase(document: document, bytes: bytes, holdsOnlyKnownKeys: onlyKnown, tree: typed)
    let entry = journalled
      ? JournalEntry(
        at: now, user: user, action: .change, caseID: base.id, revision: document.revision,
        paths: baseTree.map { ChangedPaths.between($0, typed) } ?? ["?"])
      : nil
    try backend.replaceCase(with: stored, rules: rules, basedOn: base, entry: entry)
    return stored
  }

  /// Creates a new case with the next free id of its creation year and returns it as stored.
  @discardableResult
  public func create(_ draft: CaseDocument, by user: String, now: Date = Timestamp.now())
    throws(StoreError) -> StoredCase
  {
    var draft = draft
    draft.createdAt = now
    draft.createdBy = user
    return try createAll([draft], by: user, now: now, durable: true)[0]
  }

  /// Creates many cases at once, each dated by its own `createdAt` (demo data, imports).
  ///
  /// With `durable: false` files are not fsynced one by one; the whole file system is synced
  /// once at the end, which turns hours of fsyncs for 100,000 cases into seconds.
  public func createAll(
    _ drafts: [CaseDocument], by user: String, now: Date = Timestamp.now(), durable: Bool
  ) throws(StoreError) -> [StoredCase] {
    try require(.editCases, "create case files")
    var documents: [CaseDocument] = []
    documents.reserveCapacity(drafts.count)
    for draft in drafts {
      var document = draft
      if let viewer, viewer.role == .caseWorker {
        // A case worker's new case belongs to their centre.
        if (document.person.centre ?? "").isBlank {
          document.person.centre = viewer.centre
        }
        guard viewer.maySee(document) else {
          throw .notPermitted(what: "create cases for another centre than \(viewer.centre ?? "yours")", role: .caseWorker)
        }
      }
      document.schemaVersion = CaseDocument.currentSchemaVersion
      document.revision = 1
      // A case brought in with a history (an import, the demo) keeps when it was last changed, if
      // that is after its creation and not in the future.
      document.updatedAt = max(document.createdAt, min(document.updatedAt, now))
      document.updatedBy = document.createdBy.isEmpty ? user : document.createdBy
      if document.createdBy.isEmpty { document.createdBy = user }
      if document.stageHistory.isEmpty { document.recordStages(on: LocalDate.today(document.createdAt)) }
      let issues = document.validationIssues(today: LocalDate.today(now))
      guard issues.isEmpty else { throw .invalid(issues) }
      documents.append(document)
    }
    return try backend.createCases(documents, rules: rules, by: user, now: now, durable: durable)
  }

  /// Moves a case to the trash (restorable with `restore`).
  public func delete(_ id: CaseID, by user: String, now: Date = Timestamp.now()) throws(StoreError) {
    try require(.editCases, "delete case files")
    if viewer != nil { _ = try load(id) }
    try backend.trashCase(id, entry: JournalEntry(at: now, user: user, action: .delete, caseID: id))
  }

  /// Moves a deleted case back from the trash.
  public func restore(_ id: CaseID, by user: String, now: Date = Timestamp.now()) throws(StoreError) {
    try require(.editCases, "restore case files")
    if let viewer, let trashed = try? backend.readTrashedCase(id), !viewer.maySee(trashed.document) {
      throw .notInTrash(id)
    }
    try backend.restoreCase(id, entry: JournalEntry(at: now, user: user, action: .restore, caseID: id))
  }

  /// Starts hearing of changes other sessions commit, or nil when the store cannot tell (a folder).
  public func watchChanges() -> (any ChangeWatcher)? { backend.watchChanges() }

  /// Ids of the cases in the trash, sorted.
  public func trash() -> [CaseID] { backend.trashedCases().map(\.id) }

  /// The cases in the trash with the day each went there, for a user who may see them.
  public func trashDates() -> [(CaseID, LocalDate)] {
    backend.trashedCases().compactMap { item -> (CaseID, LocalDate)? in
      if let viewer {
        guard let stored = try? backend.readTrashedCase(item.id), viewer.maySee(stored.document) else { return nil }
      }
      return (item.id, item.since)
    }
  }

  // MARK: Helpers

  /// The bytes to write for `document`, with the unknown keys of `base` laid back in; whether
  /// there were none; and the document's own tree (without them, for the journal's diff).
  private func encode(_ document: CaseDocument, base: StoredCase, baseTree: JSONValue?) throws(StoreError) -> (Data, Bool, JSONValue) {
    do {
      let typed = try CaseJSON.tree(document, since: base.document, baseTree: baseTree)
      if base.holdsOnlyKnownKeys && base.migratedTree == nil {
        return (try typed.serialized(), true, typed)
      }
      let raw = try base.migratedTree ?? JSONValue.parse(base.bytes)
      let known = try baseTree ?? CaseJSON.tree(base.document)
      guard let residue = UnknownResidue.extract(raw: raw, known: known) else {
        return (try typed.serialized(), true, typed)
      }
      return (try residue.apply(to: typed).serialized(), false, typed)
    } catch {
      throw .damaged(file: base.id.fileName, problem: "it could not be re-encoded (\(error))")
    }
  }

  static func nowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
  }
}

extension JSONValue {
  /// The bytes of a new document exactly as the store writes it.
  static func serializedDocument(_ document: CaseDocument) throws(StoreError) -> Data {
    do {
      return try CaseJSON.tree(document).serialized()
    } catch {
      throw .io(operation: "encode", file: document.id.fileName, errno: EINVAL)
    }
  }
}
