import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A case as a store keeps it, for moving a whole store: its stored bytes, untouched (unknown
/// keys and all), and whether it is in the trash.
public struct TransferredCase: Sendable {
  public var id: CaseID
  public var bytes: Data
  /// The day it went to the trash, or nil for a case in use.
  public var trashedOn: LocalDate?

  public init(id: CaseID, bytes: Data, trashedOn: LocalDate?) {
    self.id = id
    self.bytes = bytes
    self.trashedOn = trashedOn
  }
}

/// A backend a whole store can be moved out of and into (`keten migrate`), losing nothing: cases
/// with their unknown keys, every record kind, the users, the journal line by line, the id
/// counters.
public protocol TransferableBackend: StoreBackend {
  /// Every case, live and trashed, in id order, handed to `body` a few at a time.
  func transferCases(_ body: ([TransferredCase]) throws -> Void) throws
  /// Every record of a kind, as stored, in id order.
  func transferRecords(_ kind: RecordKind) throws(StoreError) -> [(id: String, bytes: Data)]
  /// The journal as written: intents and outcomes apart, oldest first; and how many lines
  /// could not be read (a folder's torn lines).
  func transferJournal() throws(StoreError) -> (entries: [JournalEntry], unreadable: Int)
  /// The last number of every id counter, keyed as a folder's sequence (`2026`, `G-2026`).
  func transferCounters() throws(StoreError) -> [String: Int]
  /// What the store holds, for refusing a destination that is not empty: a description of it,
  /// or nil when it holds nothing.
  func transferContents() throws(StoreError) -> String?
  /// The store's own content (a folder's `settings.json` and `content/…`), by path, in order.
  func transferContent() throws(StoreError) -> [ContentFile]
  /// Takes in a whole store (its own content too, with `content`), all of it or (on any
  /// failure) none of it.
  func receive(_ source: any TransferableBackend, rules: CaseRules, content: Bool, progress: ((Int) -> Void)?) throws
}

/// One file of a store's own content: its path as a folder store keeps it, and its bytes.
public struct ContentFile: Equatable, Sendable {
  public var path: String
  public var bytes: Data

  public init(path: String, bytes: Data) {
    self.path = path
    self.bytes = bytes
  }

  /// Whether a path is one a store's content may have: `settings.json`, or `content/` and
  /// names of letters, digits, `.`, `_` and `-` that do not start with a dot (so never `..`).
  public static func isValidPath(_ path: String) -> Bool {
    if path == "settings.json" { return true }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 2, parts[0] == "content" else { return false }
    return parts.dropFirst().allSatisfy { part in
      guard let first = part.first, first != "." else { return false }
      return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
  }

  /// A folder's own content: `settings.json` and every file under `content/`, in path order.
  /// A link, a device or a name a store's content may not have is refused by name, never
  /// skipped, so that nothing of it is silently left behind.
  public static func read(root: String) throws(StoreError) -> [ContentFile] {
    var files: [ContentFile] = []
    var st = stat()
    if lstat(root + "/settings.json", &st) == 0 {
      files.append(ContentFile(path: "settings.json", bytes: try readWholeFile(root + "/settings.json")))
    }
    func walk(_ relative: String) throws(StoreError) {
      for name in FolderBackend.directoryEntries(root + "/" + relative).sorted() {
        let path = relative + "/" + name
        guard isValidPath(path) else {
          throw .notAStore(path: root + "/" + path, problem: "a store's content has names of letters, digits, '.', '_' and '-' only; rename or remove it")
        }
        var st = stat()
        guard lstat(root + "/" + path, &st) == 0 else { throw .io(operation: "inspect", file: path, errno: errno) }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: try walk(path)
        case S_IFREG: files.append(ContentFile(path: path, bytes: try readWholeFile(root + "/" + path)))
        case S_IFLNK: throw .symlink(path: root + "/" + path)
        default: throw .damaged(file: path, problem: "it is not a regular file")
        }
      }
    }
    if lstat(root + "/content", &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .damaged(file: "content", problem: "it is not a folder") }
      try walk("content")
    }
    return files.sorted { $0.path < $1.path }
  }

  /// Writes content files into `root`, laid out as a folder store's: each new (never over a
  /// file or through a link), whole, with the given modes. Refuses a path content may not have.
  public static func write(_ files: [ContentFile], into root: String, directoryMode: mode_t, fileMode: mode_t)
    throws(StoreError)
  {
    for file in files {
      guard isValidPath(file.path) else { throw .damaged(file: file.path, problem: "it is not a path a store's content may have") }
      var directory = root
      for part in file.path.split(separator: "/").dropLast() {
        directory += "/" + part
        guard mkdir(directory, directoryMode) == 0 || errno == EEXIST else {
          throw .io(operation: "create", file: String(part), errno: errno)
        }
      }
      try FolderBackend.writeNew(file.bytes, to: root + "/" + file.path, mode: fileMode)
    }
  }
}

/// What `keten migrate` moved.
public struct MigrationReport: Sendable {
  public var cases = 0
  public var trashed = 0
  public var records = 0
  public var users = 0
  public var journalEntries = 0
  /// Journal lines of the source that could not be read (torn by a crash): not moved.
  public var unreadableJournalLines = 0
  /// Files of the store's own content moved (0 when left behind).
  public var contentFiles = 0
  public var counters: [String: Int] = [:]
}

public enum StoreMigration {
  /// Checks that `source` holds nothing damaged and `destination` nothing at all.
  public static func check(from source: any TransferableBackend, to destination: any TransferableBackend, rules: CaseRules)
    throws(StoreError)
  {
    if let held = try destination.transferContents() {
      throw .notAStore(
        path: destination.location,
        problem: "it already holds \(held); a store is moved only into an empty one (was it migrated already?)")
    }
    let listing = try source.listCases(rules: rules, progress: nil)
    var damaged = listing.damaged.map(\.file)
    for kind in Store.recordKinds {
      for (id, bytes) in try source.transferRecords(kind) where !recordDecodes(kind, id: id, bytes: bytes) {
        damaged.append(kind.folder + "/" + id)
      }
    }
    if !damaged.isEmpty {
      throw .notAStore(
        path: source.location,
        problem:
          "\(damaged.count) of its files are damaged (\(damaged.prefix(5).joined(separator: ", "))\(damaged.count > 5 ? ", …" : "")); nothing was moved — `keten check` says what is wrong, and a store is moved once they are repaired")
    }
  }

  static func recordDecodes(_ kind: RecordKind, id: String, bytes: Data) -> Bool {
    guard let name = try? Store.recordFileName(id), let type = Store.recordType(prefix: kind.prefix) else { return false }
    func decodes<R: StoreRecord>(_ type: R.Type) -> Bool { (try? StoredRecord<R>.decode(bytes, fileName: name)) != nil }
    return decodes(type)
  }

  /// Moves everything; the destination gets all of it or none of it.
  public static func run(
    from source: any TransferableBackend, to destination: any TransferableBackend, rules: CaseRules,
    content: Bool = true, progress: ((Int) -> Void)? = nil
  ) throws -> MigrationReport {
    try check(from: source, to: destination, rules: rules)
    try destination.receive(source, rules: rules, content: content, progress: progress)
    var report = MigrationReport()
    report.contentFiles = content ? try source.transferContent().count : 0
    try source.transferCases { batch in
      report.cases += batch.count
      report.trashed += batch.filter { $0.trashedOn != nil }.count
    }
    report.records = try Store.recordKinds.reduce(0) { $0 + (try source.transferRecords($1).count) }
    report.users = try source.usersData().map(UserRegistry.decode)?.users.count ?? 0
    let journal = try source.transferJournal()
    report.journalEntries = journal.entries.count
    report.unreadableJournalLines = journal.unreadable
    report.counters = try source.transferCounters()
    return report
  }
}

// MARK: The folder

extension FolderBackend: TransferableBackend {
  /// A new file written whole, not synced (a bulk write syncs the file system once, before the
  /// folder it fills is renamed into place).
  func writeUnsynced(_ data: Data, to path: String) throws(StoreError) {
    try Self.writeNew(data, to: path, mode: sharing.fileMode)
  }

  /// A new file (never over one, never through a link) written whole with `mode`, not synced.
  static func writeNew(_ data: Data, to path: String, mode: mode_t) throws(StoreError) {
    let name = (path as NSString).lastPathComponent
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw .io(operation: "create", file: name, errno: errno) }
    let failure = data.withUnsafeBytes { FileOps.system.writeAll(fd, $0) }
    close(fd)
    if let failure { throw .io(operation: "write", file: name, errno: failure) }
  }

  public func transferCases(_ body: ([TransferredCase]) throws -> Void) throws {
    let trashed = Dictionary(trashedCases().map { ($0.id, $0.since) }, uniquingKeysWith: { a, _ in a })
    var ids = FolderBackend.directoryEntries(casesDirectory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
      .compactMap { try? CaseID(String($0.dropLast(5))) }
    ids += trashed.keys
    ids.sort()
    for start in stride(from: 0, to: ids.count, by: 500) {
      var batch: [TransferredCase] = []
      for id in ids[start..<min(start + 500, ids.count)] {
        let directory = trashed[id] != nil ? trashDirectory : casesDirectory
        batch.append(TransferredCase(id: id, bytes: try readWholeFile(directory + "/" + id.fileName), trashedOn: trashed[id]))
      }
      try body(batch)
    }
  }

  public func transferRecords(_ kind: RecordKind) throws(StoreError) -> [(id: String, bytes: Data)] {
    let directory = try recordsDirectory(kind)
    var out: [(id: String, bytes: Data)] = []
    for name in FolderBackend.directoryEntries(directory).sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
      out.append((String(name.dropLast(5)), try readWholeFile(directory + "/" + name)))
    }
    return out
  }

  public func transferJournal() throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let lines = try folderJournal.lines()
    return (lines.entries, lines.damage.unreadable)
  }

  public func transferCounters() throws(StoreError) -> [String: Int] {
    var counters = try readSequence()
    counters.merge(try rebuiltSequence()) { max($0, $1) }
    return counters
  }

  public func transferContents() throws(StoreError) -> String? {
    let counts = contentCounts()
    var held: [String] = []
    if counts.cases > 0 { held.append("\(counts.cases) case(s)") }
    if counts.records > 0 { held.append("\(counts.records) record(s)") }
    if try usersData() != nil { held.append("a users file") }
    if access(root + "/" + Journal.fileName, F_OK) == 0 { held.append("a journal") }
    if access(sequencePath, F_OK) == 0 { held.append("id counters (sequence.json)") }
    return held.isEmpty ? nil : held.joined(separator: ", ")
  }

  /// Written into a new folder beside this one and renamed into place at the end, so a failure
  /// or a kill part-way leaves no half store (only a `.NAME.migrating-PID` folder to remove).
  public func transferContent() throws(StoreError) -> [ContentFile] { try ContentFile.read(root: root) }

  public func receive(_ source: any TransferableBackend, rules: CaseRules, content: Bool, progress: ((Int) -> Void)?) throws {
    let parent = (root as NSString).deletingLastPathComponent
    let temp = parent + "/." + (root as NSString).lastPathComponent + ".migrating-\(getpid())"
    let staging = try FolderBackend(root: temp)
    do {
      try staging.writeSequence(try source.transferCounters())
      if let users = try source.usersData() {
        try staging.writer.write(try UserRegistry.decode(users).encoded(), directory: temp, name: UserRegistry.fileName)
      }
      for kind in Store.recordKinds {
        let directory = try staging.recordsDirectory(kind)
        for (id, bytes) in try source.transferRecords(kind) {
          try staging.writeUnsynced(bytes, to: directory + "/" + (try Store.recordFileName(id)))
        }
      }
      var moved = 0
      var trashDates: [(CaseID, LocalDate)] = []
      try source.transferCases { batch in
        for item in batch {
          let directory = item.trashedOn == nil ? staging.casesDirectory : staging.trashDirectory
          try staging.writeUnsynced(item.bytes, to: directory + "/" + item.id.fileName)
          if let on = item.trashedOn { trashDates.append((item.id, on)) }
        }
        moved += batch.count
        progress?(moved)
      }
      // The day each case went to the trash stays what the source kept (retention counts from
      // it), tied to its file's change time as just written.
      var carried: [String: FolderBackend.CarriedDate] = [:]
      for (id, on) in trashDates {
        var st = stat()
        guard stat(staging.trashDirectory + "/" + id.fileName, &st) == 0 else { continue }
        carried[id.rawValue] = .init(on: on, ctimeNs: FolderBackend.changeTimeNs(st))
      }
      if !carried.isEmpty {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try staging.writeUnsynced(
          try encoder.encode(carried), to: staging.trashDirectory + "/" + FolderBackend.carriedDatesFile)
      }
      if content {
        try ContentFile.write(
          try source.transferContent(), into: temp, directoryMode: staging.sharing.directoryMode,
          fileMode: staging.sharing.fileMode)
      }
      let journal = try source.transferJournal().entries
      for start in stride(from: 0, to: journal.count, by: 5_000) {
        try staging.folderJournal.append(Array(journal[start..<min(start + 5_000, journal.count)]), sync: false)
      }
      // Everything on disk before the folder takes the store's name.
      sync()
      // The empty store this one was opened as (its folders, lock and index) makes way.
      for name in FolderBackend.directoryEntries(root) {
        let path = root + "/" + name
        if name == ".lock" || name == CaseIndex.fileName { unlink(path) } else { rmdir(path) }
      }
      guard rmdir(root) == 0 || errno == ENOENT else {
        throw StoreError.notAStore(path: root, problem: "it is no longer empty; the moved store waits in \(temp)")
      }
      guard rename(temp, root) == 0 else { throw StoreError.io(operation: "rename into place", file: temp, errno: errno) }
      try writer.syncDirectory(parent, file: (root as NSString).lastPathComponent)
    } catch {
      if access(temp, F_OK) == 0 { try? FileManager.default.removeItem(atPath: temp) }
      throw error
    }
  }
}
