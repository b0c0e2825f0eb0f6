import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The folder store: one folder holding one JSON file per case and per record.
///
/// ```
/// <store>/cases/K-2026-0042.json   one document per case (0600)
/// <store>/trash/K-2026-0042.json   deleted cases, restorable
/// <store>/groups/G-2026-0001.json  records, one folder per kind (groups, mentors, …)
/// <store>/sequence.json            last id number used per kind and year
/// <store>/index.tsv                cache of case summaries (safe to delete)
/// <store>/users.json               who may open the store, and as what
/// <store>/journal.jsonl            the append-only audit journal
/// <store>/.lock                    writers' lock (flock)
/// ```
/// Writers serialise on `.lock`; readers never lock and never see a partial file, because
/// every file is replaced by rename. A change is journalled as an intent ahead of the file and
/// its outcome after, so an entry reads as done exactly when the file landed.
public final class FolderBackend: StoreBackend {
  public let root: String
  let writer: DurableWriter
  let folderJournal: Journal
  /// Owner only, or shared with the OS group the users file names.
  public let sharing: Sharing
  /// Record files as last read (see `records(_:)`).
  let recordReads: RecordReadCache

  public var location: String { root }
  public var contentRoot: String? { root }
  public var journal: any JournalStore { folderJournal }

  var casesDirectory: String { root + "/cases" }
  var trashDirectory: String { root + "/trash" }
  var lockPath: String { root + "/.lock" }

  /// Opens the folder at `root`, creating it (mode 0700) when missing.
  ///
  /// Refuses a folder or file other users can read or write (group access counts only for the
  /// group the users file names), and sweeps temp files left by a crashed save when no other
  /// writer is active.
  public init(root: String, ops: FileOps = .system) throws(StoreError) {
    let root = Store.absolute(root)
    self.root = root
    sharing = try FolderBackend.sharing(of: root)
    self.writer = DurableWriter(ops: ops, fileMode: sharing.fileMode)
    self.folderJournal = Journal(path: root + "/" + Journal.fileName, ops: ops, mode: sharing.fileMode)
    recordReads = RecordReadCache()
    try prepareDirectory(self.root, createParents: true)
    try prepareDirectory(casesDirectory, createParents: false)
    try prepareDirectory(trashDirectory, createParents: false)
    try checkPrivate(
      [UserRegistry.fileName, Journal.fileName, CaseIndex.fileName, "sequence.json", ".lock"].map { self.root + "/" + $0 })
    if let link = FolderBackend.linkInside(root) { throw link }
    sweepTemporaryFiles()
  }

  /// A symbolic link where the store keeps a folder or a settings file (record folders, store
  /// content, settings), which Keten would otherwise read or write through.
  public static func linkInside(_ root: String) -> StoreError? {
    let root = Store.absolute(root)
    for name in Store.recordKinds.map(\.folder) + ["content", "settings.json", "cases", "trash"] {
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
      for name in FolderBackend.directoryEntries(directory, hidden: true) where name.hasPrefix(DurableWriter.tempPrefix) {
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

  // MARK: Reading cases

  /// Every case's summary and every damaged file, from the index where it is still valid, in
  /// folder order. `progress`, if given, counts the files read (not found valid in the index) as they are read,
  /// for another thread to show.
  public func listCases(rules: CaseRules, progress: Store.ListProgress?) throws(StoreError) -> Listing {
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
    var summarised = summarise(toRead.map { seen[$0].name }, rules: rules, progress: progress)
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
    return Listing(cases: cases, damaged: damaged, reread: reread)
  }

  /// The next item for whichever worker asks first.
  private final class NextIndex: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
  }

  public var cachedListingMayBeStale: Bool { true }

  public func cachedListing(rules: CaseRules) -> Listing? {
    guard let read = CaseIndex.listing(from: root + "/" + CaseIndex.fileName, rulesVersion: rules.version) else {
      return nil
    }
    return Listing(cases: read.cases, damaged: read.damaged, reread: 0)
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
  private func summarise(_ names: [String], rules: CaseRules, progress: Store.ListProgress?) -> [ReadFile?] {
    let workers = names.count < 64 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let results = Slots<ReadFile>(count: names.count)
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let i = next.take()
        guard i < names.count else { return }
        results[i] = summarise(fileName: names[i], rules: rules)
        progress?.read.add(1, ordering: .relaxed)
      }
    }
    return results.takeAll()
  }

  private func summarise(fileName: String, rules: CaseRules) -> ReadFile {
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

  public func readCase(_ id: CaseID) throws(StoreError) -> StoredCase {
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

}

// MARK: Writing cases

extension FolderBackend {
  public func replaceCase(with new: StoredCase, rules: CaseRules, basedOn base: StoredCase, entry: JournalEntry?)
    throws(StoreError)
  {
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
    guard let entry else {
      try writer.write(new.bytes, directory: casesDirectory, name: base.id.fileName)
      return
    }
    // The intent is written ahead of the file and its outcome after: a crash between the two
    // leaves an unconfirmed intent, never a change without its entry, and a failed write reads
    // as failed.
    try journal.journalled(entry) { () throws(StoreError) in
      try writer.write(new.bytes, directory: casesDirectory, name: base.id.fileName)
    }
  }

  public func createCases(_ documents: [CaseDocument], rules: CaseRules, by user: String, now: Date, durable: Bool)
    throws(StoreError) -> [StoredCase]
  {
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    var sequence = try readSequence()
    var created: [StoredCase] = []
    created.reserveCapacity(documents.count)
    var entries: [JournalEntry] = []
    var batch: [(name: String, bytes: Data)] = []
    var journalBytes: Data?
    for var document in documents {
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

  public func trashCase(_ id: CaseID, entry: JournalEntry) throws(StoreError) {
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
    try journal.journalled(entry) { () throws(StoreError) in
      guard rename(from, to) == 0 else {
        throw .io(operation: "move to the trash", file: id.fileName, errno: errno)
      }
      try writer.syncDirectory(trashDirectory, file: id.fileName)
      try writer.syncDirectory(casesDirectory, file: id.fileName)
    }
  }

  public func restoreCase(_ id: CaseID, entry: JournalEntry) throws(StoreError) {
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
    try journal.journalled(entry) { () throws(StoreError) in
      guard link(from, to) == 0 else {
        throw .io(operation: "restore", file: id.fileName, errno: errno)
      }
      unlink(from)
      try writer.syncDirectory(casesDirectory, file: id.fileName)
      try writer.syncDirectory(trashDirectory, file: id.fileName)
    }
  }

  /// Ids of the cases in the trash, sorted.
  func trashIDs() -> [CaseID] {
    FolderBackend.directoryEntries(trashDirectory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
      .compactMap { try? CaseID(String($0.dropLast(5))) }.sorted()
  }

  /// The day each went to the trash is the file's change time, which the move sets; for a case
  /// moved in from another store (`keten migrate`), the day that store kept, as long as the file
  /// has not changed since it was written (a restore and a new delete change its change time).
  public func trashedCases() -> [(id: CaseID, since: LocalDate)] {
    let carried = carriedTrashDates()
    return trashIDs().compactMap { id -> (id: CaseID, since: LocalDate)? in
      var st = stat()
      guard stat(trashDirectory + "/" + id.fileName, &st) == 0 else { return nil }
      if let kept = carried[id.rawValue], kept.ctimeNs == FolderBackend.changeTimeNs(st) { return (id, kept.on) }
      return (id, LocalDate.today(Date(timeIntervalSince1970: TimeInterval(st.st_ctim.tv_sec))))
    }
  }

  /// `trash/.carried-dates.json`: the days a migration brought along, each with the change time
  /// its trash file had when written.
  static let carriedDatesFile = ".carried-dates.json"

  struct CarriedDate: Codable {
    var on: LocalDate
    var ctimeNs: Int64
  }

  /// A file's change time in nanoseconds, as a carried date records it.
  static func changeTimeNs(_ st: stat) -> Int64 { Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec) }

  func carriedTrashDates() -> [String: CarriedDate] {
    guard let data = try? readWholeFile(trashDirectory + "/" + FolderBackend.carriedDatesFile) else { return [:] }
    return (try? JSONDecoder().decode([String: CarriedDate].self, from: data)) ?? [:]
  }

  public func readTrashedCase(_ id: CaseID) throws(StoreError) -> StoredCase {
    do {
      return try read(path: trashDirectory + "/" + id.fileName, fileName: id.fileName)
    } catch .io(_, _, let code) where code == ENOENT {
      throw .notInTrash(id)
    }
  }

  private func syncFileSystem() throws(StoreError) {
    // POSIX sync() flushes every file system (syncfs is a GNU extension Swift does not import).
    sync()
    try writer.syncDirectory(casesDirectory, file: "cases/")
  }
}

// MARK: Records

extension FolderBackend {
  func recordsDirectory(_ kind: RecordKind) throws(StoreError) -> String {
    let path = root + "/" + kind.folder
    if mkdir(path, sharing.directoryMode) == 0 {
      chmod(path, sharing.directoryMode)
    } else if errno != EEXIST {
      throw .io(operation: "create the folder", file: kind.folder, errno: errno)
    }
    // Never through a link: a `groups -> elsewhere` would read and write files outside the store.
    var st = stat()
    guard lstat(path, &st) == 0 else { throw .io(operation: "open the folder", file: kind.folder, errno: errno) }
    if (st.st_mode & S_IFMT) == S_IFLNK { throw .symlink(path: path) }
    guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notAStore(path: path, problem: "it is not a folder") }
    return path
  }

  public func records<R: StoreRecord>(_ type: R.Type) throws(StoreError) -> (
    records: [StoredRecord<R>], damaged: [DamagedFile]
  ) {
    let directory = try recordsDirectory(R.kind)
    var records: [StoredRecord<R>] = []
    var damaged: [DamagedFile] = []
    for name in FolderBackend.directoryEntries(directory).sorted()
    where name.hasSuffix(".json") && !name.hasPrefix(".") {
      do {
        records.append(try cachedRecord(R.self, path: directory + "/" + name, fileName: name))
      } catch .damaged(let file, let problem) {
        damaged.append(DamagedFile(file: R.kind.folder + "/" + file, problem: problem))
      } catch {
        damaged.append(DamagedFile(file: R.kind.folder + "/" + name, problem: error.description))
      }
    }
    return (records, damaged)
  }

  /// A record file as last read when it has not changed since (the same file, size, modification
  /// and change times, and modified well before it was read), else read now. Opening the
  /// calendar or the report again reads no record file that has not changed.
  func cachedRecord<R: StoreRecord>(_ type: R.Type, path: String, fileName: String) throws(StoreError)
    -> StoredRecord<R>
  {
    var st = stat()
    if lstat(path, &st) == 0, let cached = recordReads.value(path: path, stat: st) as? StoredRecord<R> { return cached }
    let readAt = Store.nowNs()
    let stored = try readRecord(R.self, path: path, fileName: fileName)
    recordReads.filesRead.add(1, ordering: .relaxed)
    if lstat(path, &st) == 0 { recordReads.keep(stored, path: path, stat: st, readAtNs: readAt) }
    return stored
  }

  public var recordsRead: Int { recordReads.filesRead.load(ordering: .relaxed) }

  public func record<R: StoreRecord>(_ type: R.Type, _ id: String) throws(StoreError) -> StoredRecord<R> {
    let name = try Store.recordFileName(id)
    let directory = try recordsDirectory(R.kind)
    do {
      return try readRecord(R.self, path: directory + "/" + name, fileName: name)
    } catch .io(_, _, let code) where code == ENOENT {
      throw .recordNotFound(noun: R.kind.noun, id: id)
    }
  }

  func readRecord<R: StoreRecord>(_ type: R.Type, path: String, fileName: String) throws(StoreError) -> StoredRecord<R> {
    try StoredRecord<R>.decode(try readWholeFile(path), fileName: fileName)
  }

  public func createRecord<R: StoreRecord>(_ draft: R, by user: String, now: Date) throws(StoreError) -> StoredRecord<R> {
    var record = draft
    let year = LocalDate.today(now).year
    let directory = try recordsDirectory(R.kind)
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    var sequence = try readSequence()
    let key = "\(R.kind.prefix)-\(year)"
    var number = sequence[key] ?? 0
    var name: String
    var journalBytes: Data?
    repeat {
      number += 1
      record.id = R.kind.id(year: year, number: number)
      name = try Store.recordFileName(record.id)
    } while FileManager.default.fileExists(atPath: directory + "/" + name)
      || journalNames(record.id, key: "record", journalBytes: &journalBytes)
    let bytes = try Store.recordBytes(record, name: name)
    // The sequence moves past the id first, so a failure later never hands it out again.
    sequence[key] = number
    try writeSequence(sequence)
    try journal.journalled(
      JournalEntry(at: now, user: user, action: .create, record: record.id, revision: 1)
    ) { () throws(StoreError) in
      try writer.write(bytes, directory: directory, name: name, publish: .createNew)
    }
    return StoredRecord(record: record, bytes: bytes)
  }

  public func replaceRecord<R: StoreRecord>(_ record: R, bytes: Data, basedOn base: StoredRecord<R>, entry: JournalEntry)
    throws(StoreError)
  {
    let name = try Store.recordFileName(base.id)
    let directory = try recordsDirectory(R.kind)
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    let onDisk: Data
    do {
      onDisk = try readWholeFile(directory + "/" + name)
    } catch .io(_, _, let code) where code == ENOENT {
      throw .recordNotFound(noun: R.kind.noun, id: base.id)
    }
    if onDisk != base.bytes {
      let current = try? CaseJSON.decoder.decode(R.self, from: onDisk)
      throw .recordConflict(
        noun: R.kind.noun, id: base.id, basedOn: base.revision, stored: current?.revision ?? base.revision,
        by: current?.updatedBy ?? "someone", at: current?.updatedAt ?? Date())
    }
    try journal.journalled(entry) { () throws(StoreError) in
      try writer.write(bytes, directory: directory, name: name)
    }
  }
}

// MARK: Users

extension FolderBackend {
  var usersPath: String { root + "/" + UserRegistry.fileName }

  public func usersData() throws(StoreError) -> Data? {
    do {
      return try readWholeFile(usersPath)
    } catch .io(_, _, let code) where code == ENOENT {
      return nil
    }
  }

  public func writeUsers(_ registry: UserRegistry, expected: UserRegistry?, entry: JournalEntry) throws(StoreError) {
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    guard try usersData().map(UserRegistry.decode) == expected else {
      throw .recordConflict(noun: "users file", id: UserRegistry.fileName, basedOn: 0, stored: 0, by: "someone", at: Date())
    }
    let data = try registry.encoded()
    try journal.journalled(entry) { () throws(StoreError) in
      try writer.write(data, directory: root, name: UserRegistry.fileName)
    }
  }
}

// MARK: Upkeep

extension FolderBackend {
  /// How many cases (trash included) and records the store holds.
  public func contentCounts() -> (cases: Int, records: Int) {
    let cases = ["cases", "trash"].reduce(0) { n, folder in
      n + FolderBackend.directoryEntries(root + "/" + folder).filter { !$0.hasPrefix(".") }.count
    }
    let records = Store.recordKinds.reduce(0) { n, kind in
      n + FolderBackend.directoryEntries(root + "/" + kind.folder).filter { !$0.hasPrefix(".") }.count
    }
    return (cases, records)
  }

  /// The folder's own check (`Store.check`): modes, links, every file, the index, the journal
  /// and the sequence.
  public func check(rules: CaseRules, today: LocalDate, progress: ((Int) -> Void)?) -> CheckReport {
    Store(backend: self, rules: rules).check(today: today, progress: progress)
  }
}
