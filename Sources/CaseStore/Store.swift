import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The case store: one folder holding one JSON file per case.
///
/// ```
/// <store>/cases/K-2026-0042.json   one document per case (0600)
/// <store>/trash/K-2026-0042.json   deleted cases, restorable
/// <store>/sequence.json            last id number used per year
/// <store>/index.tsv                cache of case summaries (safe to delete)
/// <store>/users.json               who may open the store, and as what
/// <store>/journal.jsonl            the append-only audit journal
/// <store>/.lock                    writers' lock (flock)
/// ```
/// Writers serialise on `.lock`; readers never lock and never see a partial file, because
/// every file is replaced by rename.
///
/// A store signed in as a user (`signIn`) applies that user's role wherever data leaves it:
/// `list`, `load` and `records` return only what the role may see.
public final class Store: Sendable {
  public let root: String
  public let rules: CaseRules
  let writer: DurableWriter
  /// The signed-in user; nil for an unscoped store (tests, maintenance, internal reads).
  public let viewer: Viewer?
  public let journal: Journal
  /// Owner only, or shared with the OS group the users file names.
  public let sharing: Sharing
  /// Record files as last read (see `records(_:)`), shared by the store's signed-in copies.
  let recordReads: RecordReadCache

  var casesDirectory: String { root + "/cases" }
  var trashDirectory: String { root + "/trash" }
  var lockPath: String { root + "/.lock" }

  /// Opens the store at `root`, creating it (mode 0700) when missing.
  ///
  /// Refuses a folder or file other users can read or write (group access counts only for the
  /// group the users file names), and sweeps temp files left by a crashed save when no other
  /// writer is active.
  public init(root: String, rules: CaseRules = NoRules(), ops: FileOps = .system) throws(StoreError)
  {
    let root = Store.absolute(root)
    self.root = root
    self.rules = rules
    self.viewer = nil
    sharing = try Store.sharing(of: root)
    self.writer = DurableWriter(ops: ops, fileMode: sharing.fileMode)
    self.journal = Journal(path: root + "/" + Journal.fileName, ops: ops, mode: sharing.fileMode)
    recordReads = RecordReadCache()
    try prepareDirectory(self.root, createParents: true)
    try prepareDirectory(casesDirectory, createParents: false)
    try prepareDirectory(trashDirectory, createParents: false)
    try checkPrivate(
      [UserRegistry.fileName, Journal.fileName, CaseIndex.fileName, "sequence.json", ".lock"].map { self.root + "/" + $0 })
    if let link = Store.linkInside(root) { throw link }
    sweepTemporaryFiles()
    let hidden = Store.directoryEntries(root, hidden: true)
    if hidden.contains(Store.stagingName) { resolveStaging() }
    if hidden.contains(where: { $0.hasPrefix(ErasureMarker.prefix) }) { finishInterruptedErasures() }
  }

  init(copying store: Store, viewer: Viewer?) {
    root = store.root
    rules = store.rules
    writer = store.writer
    journal = store.journal
    sharing = store.sharing
    recordReads = store.recordReads
    self.viewer = viewer
  }

  /// The same store, read and written as `viewer`.
  public func scoped(to viewer: Viewer) -> Store { Store(copying: self, viewer: viewer) }

  /// `path` made absolute (relative to the working folder) and tidied.
  public static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return (full as NSString).standardizingPath
  }

  /// A symbolic link where the store keeps a folder or a settings file (record folders, store
  /// content, settings), which Keten would otherwise read or write through.
  public static func linkInside(_ root: String) -> StoreError? {
    let root = absolute(root)
    for name in recordKinds.map(\.folder) + ["content", "settings.json", "cases", "trash"] {
      var st = stat()
      if lstat(root + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK { return .symlink(path: root + "/" + name) }
    }
    // The store's own content files (catalogs, programmes, settings) are read by path: none may
    // be a link, however deep.
    if let walker = FileManager.default.enumerator(atPath: root + "/content") {
      for case let relative as String in walker {
        let path = root + "/content/" + relative
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK { return .symlink(path: path) }
      }
    }
    return nil
  }

  /// Refuses links, files of another owner and files other users can read or write, each with
  /// the fix that fits how the store is shared.
  private func checkPrivate(_ paths: [String]) throws(StoreError) {
    for path in paths {
      var st = stat()
      guard lstat(path, &st) == 0 else { continue }
      if let problem = sharing.problem(st, path: path, root: root) { throw problem }
    }
  }

  /// Owner only, unless the folder belongs to the group its users file names and is open to
  /// that group alone.
  static func sharing(of root: String) throws(StoreError) -> Sharing {
    var st = stat()
    guard lstat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_mode & 0o070 != 0 else { return .ownerOnly }
    if st.st_uid != geteuid(), !Sharing.isMember(st.st_gid), st.st_mode & 0o007 == 0 {
      // Shared with a group this login is not in: say so, rather than advise a chmod that
      // would unshare it.
      throw .notInGroup(path: root, group: Sharing.name(of: st.st_gid))
    }
    guard let declared = Sharing.declared(in: root), let gid = declared.gid, gid == st.st_gid else {
      return .ownerOnly  // the folder check then refuses it with the fix
    }
    return Sharing(group: gid)
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

  private func prepareDirectory(_ path: String, createParents: Bool) throws(StoreError) {
    var st = stat()
    if lstat(path, &st) != 0 {
      guard errno == ENOENT else {
        throw .notAStore(path: path, problem: String(cString: strerror(errno)))
      }
      if createParents {
        let parent = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      }
      guard mkdir(path, sharing.directoryMode) == 0 || errno == EEXIST else {
        throw .notAStore(path: path, problem: "it could not be created (\(String(cString: strerror(errno))))")
      }
      chmod(path, sharing.directoryMode)
      return
    }
    if (st.st_mode & S_IFMT) == S_IFLNK { throw .symlink(path: path) }
    guard (st.st_mode & S_IFMT) == S_IFDIR else {
      throw .notAStore(path: path, problem: "it is not a folder")
    }
    if let problem = sharing.problem(st, path: path, root: root) {
      if case .unsafePermissions = problem, sharing.group == nil {
        throw .unsafePermissions(path: path, mode: st.st_mode, fix: "chmod 700 '\(path)'")
      }
      throw problem
    }
  }

  /// Removes temp files of interrupted saves, but only when no writer holds the lock.
  private func sweepTemporaryFiles() {
    guard let lock = try? StoreLock(path: lockPath, mode: sharing.fileMode, wait: false) else { return }
    for directory in [root, casesDirectory, trashDirectory] + Store.recordKinds.map({ root + "/" + $0.folder }) {
      for name in Store.directoryEntries(directory, hidden: true) where name.hasPrefix(DurableWriter.tempPrefix) {
        unlink(directory + "/" + name)
      }
    }
    withExtendedLifetime(lock) {}
  }

  /// Names in a folder (not `.` and `..`), unsorted; with `hidden`, only those starting with a
  /// dot (temp files: every open looks for them, and 100,000 names need not become strings).
  static func directoryEntries(_ directory: String, hidden: Bool = false) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      if hidden && entry.pointee.d_name.0 != CChar(UInt8(ascii: ".")) { continue }
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  // MARK: Reading

  /// Every case's summary and every damaged file, from the index where it is still valid.
  /// `progress`, if given, counts the files read (not found valid in the index) as they are read,
  /// for another thread to show.
  public func list(progress: ListProgress? = nil) throws(StoreError) -> Listing {
    let started = Store.nowNs()
    let old = CaseIndex.load(from: root + "/" + CaseIndex.fileName, rulesVersion: rules.version)
    guard let dir = opendir(casesDirectory) else {
      throw .io(operation: "list", file: "cases/", errno: errno)
    }
    defer { closedir(dir) }
    let dfd = dirfd(dir)
    // First every file's stat, against the index; then the files that must be read, on every
    // core (a cold listing of 100,000 parses every document); then the listing in folder order.
    var seen: [(name: String, current: CaseIndex.Stat, known: CaseIndex.Entry?, regular: Bool)] = []
    seen.reserveCapacity(old?.entries.count ?? 1024)
    let oldPositions = old?.positions() ?? [:]
    var toRead: [Int] = []
    // With no index every file is read, and each one's stat is taken from the descriptor it is
    // read through, on every core, instead of a stat of every file first (at 100,000 cases that
    // pass alone took 0.37 s on one core). The checks below are the same either way.
    let cold = old == nil
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard !name.hasPrefix("."), name.hasSuffix(".json") else { continue }
      if cold {
        toRead.append(seen.count)
        seen.append((name, CaseIndex.Stat(inode: 0, size: 0, mtimeNs: 0), nil, true))
        continue
      }
      var st = stat()
      guard fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
      let regular = (st.st_mode & S_IFMT) == S_IFREG
      if regular, let problem = sharing.problem(st, path: casesDirectory + "/" + name, root: root) { throw problem }
      let known = oldPositions[CaseIndex.key(name)].map { old!.entries[$0].entry }
      if known.map({ !old!.isTrusted($0, current: Self.indexStat(st)) }) ?? true { toRead.append(seen.count) }
      seen.append((name, Self.indexStat(st), known, regular))
    }
    var summarised = summarise(toRead.map { seen[$0].name }, progress: progress)
    if cold {
      // The stats the reads took, checked in folder order as the stat pass would have.
      var kept: [(name: String, current: CaseIndex.Stat, known: CaseIndex.Entry?, regular: Bool)] = []
      var keptRead: [Int] = []
      kept.reserveCapacity(seen.count)
      keptRead.reserveCapacity(seen.count)
      for (i, file) in seen.enumerated() {
        var read = summarised[i]!
        var st = stat()
        if !read.opened || read.refused {
          // Not opened (a link, a file it may not read, or gone), or refused: the stat pass's
          // own look, for the same outcome and message.
          guard fstatat(dfd, file.name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
          read.regular = (st.st_mode & S_IFMT) == S_IFREG
          read.stat = Self.indexStat(st)
          if read.regular, let problem = sharing.problem(st, path: casesDirectory + "/" + file.name, root: root) { throw problem }
          summarised[i] = read
        }
        kept.append((file.name, read.stat, nil, read.regular))
        keptRead.append(i)
      }
      if keptRead.count < seen.count { summarised = keptRead.map { summarised[$0] } }
      seen = kept
      toRead = Array(seen.indices)
    }

    var fresh = CaseIndex(rulesVersion: rules.version, writtenAtNs: started, entries: [])
    fresh.entries.reserveCapacity(seen.count)
    var cases: [CaseSummary] = []
    cases.reserveCapacity(seen.count)
    var damaged: [DamagedFile] = []
    var changed = old == nil
    var settledRacy = false
    var next = 0
    for (i, file) in seen.enumerated() {
      var item: CaseIndex.Entry
      if next < toRead.count && toRead[next] == i {
        item = CaseIndex.Entry(stat: file.current, content: summarised[next]!.content)
        next += 1
        if let known = file.known, known == item {
          // Racily clean but unchanged: rewrite the index once the file is old enough.
          if file.current.mtimeNs < started - CaseIndex.racyWindowNs { settledRacy = true }
        } else {
          changed = true
        }
      } else {
        item = file.known!
      }
      if !file.regular { item.content = .damaged("it is not a regular file") }
      fresh.entries.append((CaseIndex.key(file.name), item))
      switch item.content {
      case .summary(let s): cases.append(s)
      case .damaged(let problem): damaged.append(DamagedFile(file: file.name, problem: problem))
      }
    }
    let reread = toRead.count
    if let old, old.entries.count != fresh.entries.count { changed = true }
    // What is no longer needed goes before the index is written (the peak of a cold listing).
    summarised = []
    seen = []
    if changed || settledRacy { fresh.write(to: root, mode: sharing.fileMode) }
    return limited(Listing(cases: cases, damaged: damaged, reread: reread))
  }

  /// The next item for whichever worker asks first.
  private final class NextIndex: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
  }

  /// Counts the case files a listing has read so far; safe to read from any thread.
  public final class ListProgress: Sendable {
    let read = Atomic<Int>(0)
    public init() {}
    public var filesRead: Int { read.load(ordering: .relaxed) }
  }

  /// The listing as the index last recorded it, without looking at the case files: what the app
  /// shows at once while `list()` checks every file (at 100,000 cases, stat-ing the files alone
  /// takes longer than reading this). Nil when there is no usable index.
  ///
  /// It may be stale: a file changed, added or removed since the index was written shows only
  /// after `list()`. Opening a case always reads its file.
  public func listFromIndex() -> Listing? {
    guard let read = CaseIndex.listing(from: root + "/" + CaseIndex.fileName, rulesVersion: rules.version) else {
      return nil
    }
    return limited(Listing(cases: read.cases, damaged: read.damaged, reread: 0))
  }

  /// A listing cut to what the signed-in user may see, sorted by id.
  private func limited(_ listing: Listing) -> Listing {
    var cases = listing.cases
    var damaged = listing.damaged
    if let viewer {
      cases = cases.filter(viewer.maySee)
      if !viewer.seesWholeCases { cases = cases.map { $0.redacted(to: viewer.sections) } }
      // Which files are damaged says nothing about anyone; what is in them is never shown.
      if viewer.role == .trainer || viewer.role == .mentor { damaged = [] }
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
    return Listing(cases: cases, damaged: damaged, reread: listing.reread)
  }

  /// What the index keeps of a file's stat.
  private static func indexStat(_ st: stat) -> CaseIndex.Stat {
    CaseIndex.Stat(
      inode: UInt64(st.st_ino), size: Int64(st.st_size),
      mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
  }

  /// One file as a listing read it: its summary or damage, and what its descriptor's stat said.
  private struct ReadFile {
    var content: CaseIndex.Content
    var stat = CaseIndex.Stat(inode: 0, size: 0, mtimeNs: 0)
    /// False when the file could not be opened (its stat is then not known here).
    var opened = false
    var regular = false
    /// A regular file that `Sharing.problem` refuses (others may read it, another owner).
    var refused = false
  }

  /// Each file's summary or damage with its stat, in order, read on every core when there are
  /// many.
  private func summarise(_ names: [String], progress: ListProgress?) -> [ReadFile?] {
    let workers = names.count < 64 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let results = Slots<ReadFile>(count: names.count)
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let i = next.take()
        guard i < names.count else { return }
        results[i] = summarise(fileName: names[i])
        progress?.read.add(1, ordering: .relaxed)
      }
    }
    return results.takeAll()
  }

  private func summarise(fileName: String) -> ReadFile {
    var st = stat()
    st.st_mode = 0
    var file: ReadFile
    do {
      let stored = try read(path: casesDirectory + "/" + fileName, fileName: fileName, stat: &st)
      file = ReadFile(content: .summary(CaseSummary(document: stored.document, rules: rules)))
    } catch .damaged(_, let problem) {
      file = ReadFile(content: .damaged(problem))
    } catch {
      file = ReadFile(content: .damaged(error.description))
    }
    guard st.st_mode != 0 else { return file }
    file.opened = true
    file.stat = Self.indexStat(st)
    file.regular = (st.st_mode & S_IFMT) == S_IFREG
    file.refused = file.regular && sharing.problem(st, path: casesDirectory + "/" + fileName, root: root) != nil
    return file
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
    do {
      return try read(path: casesDirectory + "/" + id.fileName, fileName: id.fileName)
    } catch .io(_, _, let code) where code == ENOENT {
      throw .notFound(id)
    }
  }

  func read(path: String, fileName: String) throws(StoreError) -> StoredCase {
    var st = stat()
    return try read(path: path, fileName: fileName, stat: &st)
  }

  /// Reads one case file, leaving the stat of the file read in `st`.
  func read(path: String, fileName: String, stat st: inout stat) throws(StoreError) -> StoredCase {
    let data = try readWholeFile(path, stat: &st)
    let decoded = try DocumentCodec.decode(data, fileName: fileName)
    guard decoded.document.id.fileName == fileName else {
      throw .damaged(
        file: fileName,
        problem: "it holds case \(decoded.document.id), which does not match its file name")
    }
    return StoredCase(
      document: decoded.document, bytes: data, migratedFrom: decoded.migratedFrom,
      migratedTree: decoded.migratedTree)
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
    if let pair = edited.openPair, !edited.isClosed, pair.id != base.document.openPair?.id || pair.mentor != base.document.openPair?.mentor {
      try requireMentorPlace(pair.mentor, for: base.id)
    }
    return try write(edited, basedOn: base, by: user, now: now)
  }

  /// Open pairs per mentor id over the whole store, whoever asks: a mentor's places are taken
  /// by mentees of every centre.
  public func openPairsPerMentor() throws(StoreError) -> [String: Int] {
    var counts: [String: Int] = [:]
    for s in try scopedOut.list().cases where !s.mentor.isEmpty { counts[s.mentor, default: 0] += 1 }
    return counts
  }

  /// Refuses a new pair with a mentor who has no free place (counted over the whole store).
  func requireMentorPlace(_ mentorID: String, for caseID: CaseID) throws(StoreError) {
    guard let mentor = try? scopedOut.record(Mentor.self, mentorID).record else { return }
    let taken = try scopedOut.list().cases.filter { $0.mentor == mentorID && $0.id != caseID }.count
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
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    let onDisk: Data
    do {
      onDisk = try readWholeFile(casesDirectory + "/" + base.id.fileName)
    } catch .io(_, _, let code) where code == ENOENT {
      throw .notFound(base.id)
    }
    if onDisk != base.bytes {
      let current = try? DocumentCodec.decode(onDisk, fileName: base.id.fileName).document
      throw .conflict(
        base.id, basedOn: base.revision, stored: current?.revision ?? base.revision,
        by: current?.updatedBy ?? "someone", at: current?.updatedAt ?? Date())
    }
    guard journalled else {
      try writer.write(bytes, directory: casesDirectory, name: base.id.fileName)
      return StoredCase(document: document, bytes: bytes, holdsOnlyKnownKeys: onlyKnown, tree: typed)
    }
    // The intent is written ahead of the file and its outcome after: a crash between the two
    // leaves an unconfirmed intent, never a change without its entry, and a failed write reads
    // as failed.
    let paths = baseTree.map { ChangedPaths.between($0, typed) } ?? ["?"]
    try journal.journalled(
      JournalEntry(at: now, user: user, action: .change, caseID: base.id, revision: document.revision, paths: paths)
    ) { () throws(StoreError) in
      try writer.write(bytes, directory: casesDirectory, name: base.id.fileName)
    }
    return StoredCase(document: document, bytes: bytes, holdsOnlyKnownKeys: onlyKnown, tree: typed)
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

  /// Creates many cases under one lock, each dated by its own `createdAt` (demo data, imports).
  ///
  /// With `durable: false` files are not fsynced one by one; the whole file system is synced
  /// once at the end, which turns hours of fsyncs for 100,000 cases into seconds.
  public func createAll(
    _ drafts: [CaseDocument], by user: String, now: Date = Timestamp.now(), durable: Bool
  ) throws(StoreError) -> [StoredCase] {
    try require(.editCases, "create case files")
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    var sequence = try readSequence()
    var created: [StoredCase] = []
    created.reserveCapacity(drafts.count)
    var entries: [JournalEntry] = []
    var batch: [(name: String, bytes: Data)] = []
    var journalBytes: Data?
    for draft in drafts {
      var document = draft
      if let viewer, viewer.role == .caseWorker {
        // A case worker's new case belongs to their centre.
        if (document.person.centre ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
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
      let year = LocalDate.today(document.createdAt).year
      var number = sequence[String(year)] ?? 0
      while true {
        number += 1
        let id = CaseID(year: year, number: number)
        if access(trashDirectory + "/" + id.fileName, F_OK) == 0 { continue }
        if access(casesDirectory + "/" + id.fileName, F_OK) == 0 { continue }
        // An id the journal knows (an erased case) is never handed out again, whatever the
        // sequence says. A bulk create runs on a store without cases and skips the look-up.
        if durable && journalNames(id.rawValue, key: "case", journalBytes: &journalBytes) { continue }
        document.id = id
        let bytes = try JSONValue.serializedDocument(document)
        let entry = JournalEntry(at: now, user: user, action: .create, caseID: id, revision: 1)
        if durable {
          // The sequence moves past the id before its file exists, so a failure later never
          // hands the same id out again; the intent goes ahead of the file, its outcome after.
          sequence[String(year)] = number
          try writeSequence(sequence)
          let intent = try journal.intend(entry)
          do {
            try writer.write(bytes, directory: casesDirectory, name: id.fileName, publish: .createNew)
          } catch .io(_, _, let code) where code == EEXIST {
            journal.finish([intent], ok: false)
            continue
          } catch {
            journal.finish([intent], ok: false)
            throw error
          }
          // The case exists now: an outcome line that cannot be written (a disk full to the last
          // byte) leaves the intent unconfirmed, and the create is not reported as failed.
          journal.finish([intent], ok: true)
        } else {
          batch.append((id.fileName, bytes))
          entries.append(entry)
        }
        created.append(StoredCase(document: document, bytes: bytes, holdsOnlyKnownKeys: true))
        break
      }
      sequence[String(year)] = number
    }
    guard !durable else { return created }
    // A bulk create (demo, import): the sequence first, the intents in one append, every file,
    // one sync of the file system, then the outcomes. A failure part-way leaves intents whose
    // outcome says failed (or, after a kill, none), and the sequence already past every id.
    try writeSequence(sequence)
    let intents = try journal.intend(entries, sync: true)
    do {
      for file in batch {
        try writer.write(file.bytes, directory: casesDirectory, name: file.name, publish: .createNew, syncDirectory: false)
      }
      try syncFileSystem()
    } catch {
      journal.finish(intents, ok: false, sync: true)
      throw error
    }
    journal.finish(intents, ok: true, sync: true)
    return created
  }

  /// Moves a case to the trash (restorable with `restore`).
  public func delete(_ id: CaseID, by user: String, now: Date = Timestamp.now()) throws(StoreError) {
    try require(.editCases, "delete case files")
    if viewer != nil { _ = try load(id) }
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    let from = casesDirectory + "/" + id.fileName
    let to = trashDirectory + "/" + id.fileName
    guard access(from, F_OK) == 0 else { throw .notFound(id) }
    if access(to, F_OK) == 0 {
      // An older trash copy of the same id: keep it under a dated name rather than lose it.
      let keep = trashDirectory + "/" + id.rawValue + ".\(Store.nowNs()).json.old"
      guard rename(to, keep) == 0 else {
        throw .io(operation: "move aside the old trash copy of", file: id.fileName, errno: errno)
      }
    }
    try journal.journalled(JournalEntry(at: now, user: user, action: .delete, caseID: id)) { () throws(StoreError) in
      guard rename(from, to) == 0 else {
        throw .io(operation: "move to the trash", file: id.fileName, errno: errno)
      }
      try writer.syncDirectory(trashDirectory, file: id.fileName)
      try writer.syncDirectory(casesDirectory, file: id.fileName)
    }
  }

  /// Moves a deleted case back from the trash.
  public func restore(_ id: CaseID, by user: String, now: Date = Timestamp.now()) throws(StoreError) {
    try require(.editCases, "restore case files")
    if let viewer, let trashed = try? read(path: trashDirectory + "/" + id.fileName, fileName: id.fileName),
      !viewer.maySee(trashed.document)
    {
      throw .notInTrash(id)
    }
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    let from = trashDirectory + "/" + id.fileName
    let to = casesDirectory + "/" + id.fileName
    var st = stat()
    guard lstat(from, &st) == 0 else { throw .notInTrash(id) }
    if (st.st_mode & S_IFMT) == S_IFLNK { throw .symlink(path: from) }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
      throw .damaged(file: "trash/" + id.fileName, problem: "it is not a regular file")
    }
    guard access(to, F_OK) != 0 else { throw .alreadyExists(id) }
    try journal.journalled(JournalEntry(at: now, user: user, action: .restore, caseID: id)) { () throws(StoreError) in
      guard link(from, to) == 0 else {
        throw .io(operation: "restore", file: id.fileName, errno: errno)
      }
      unlink(from)
      try writer.syncDirectory(casesDirectory, file: id.fileName)
      try writer.syncDirectory(trashDirectory, file: id.fileName)
    }
  }

  /// Ids of the cases in the trash, sorted.
  public func trash() -> [CaseID] {
    Store.directoryEntries(trashDirectory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
      .compactMap { try? CaseID(String($0.dropLast(5))) }.sorted()
  }

  /// The cases in the trash with the day each went there (the file's change time, which the
  /// move to the trash sets), for a user who may see them.
  public func trashDates() -> [(CaseID, LocalDate)] {
    trash().compactMap { id -> (CaseID, LocalDate)? in
      if let viewer {
        guard let stored = try? read(path: trashDirectory + "/" + id.fileName, fileName: id.fileName),
          viewer.maySee(stored.document)
        else { return nil }
      }
      var st = stat()
      guard stat(trashDirectory + "/" + id.fileName, &st) == 0 else { return nil }
      return (id, LocalDate.today(Date(timeIntervalSince1970: TimeInterval(st.st_ctim.tv_sec))))
    }
  }

  // MARK: Helpers

  /// The bytes to write for `document`, with the unknown keys of `base` laid back in; whether
  /// there were none; and the document's own tree (without them, for the journal's diff).
  private func encode(_ document: CaseDocument, base: StoredCase, baseTree: JSONValue?) throws(StoreError) -> (Data, Bool, JSONValue) {
    do {
      let typed = try CaseJSON.tree(document)
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

  private func syncFileSystem() throws(StoreError) {
    // POSIX sync() flushes every file system (syncfs is a GNU extension Swift does not import).
    sync()
    try writer.syncDirectory(casesDirectory, file: "cases/")
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
