import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One line of the audit journal: who did what to which case, and when. Never a value from a
/// case: changes name the field paths only.
public struct JournalEntry: Codable, Equatable, Sendable {
  public enum Action: String, Codable, CaseIterable, Sendable {
    case create, open, change, export, share, delete, restore, erase, users
  }

  public var at: Date
  public var user: String
  public var action: Action
  public var caseID: CaseID?
  /// The revision written (create, change) or read (open).
  public var revision: Int?
  /// The field paths that changed, e.g. `person.phone`, `notes[3]`.
  public var paths: [String]?
  /// What was exported or shared (format, recipient / purpose), the erasure reason, or what
  /// changed in the users file.
  public var detail: String?

  enum CodingKeys: String, CodingKey {
    case at, user, action, caseID = "case", revision, paths, detail
  }

  public init(
    at: Date, user: String, action: Action, caseID: CaseID? = nil, revision: Int? = nil, paths: [String]? = nil,
    detail: String? = nil
  ) {
    self.at = at
    self.user = user
    self.action = action
    self.caseID = caseID
    self.revision = revision
    self.paths = paths
    self.detail = detail
  }
}

/// `<store>/journal.jsonl`: the append-only audit journal, one JSON object per line.
///
/// Entries are written ahead of what they record (before a case file is replaced, moved or
/// removed, before export bytes are written), so nothing happens unjournalled; an entry whose
/// revision never reached the case file is a save that failed or was cut off by a crash.
///
/// Each entry is one `write` to a file opened with `O_APPEND`, followed by `fsync`, so entries
/// never interleave and a crash can at worst leave the line being written torn; the next append
/// starts on a fresh line, and the reader skips (and counts) torn lines without rewriting the
/// file. Keten never truncates or edits it.
public struct Journal: Sendable {
  public static let fileName = "journal.jsonl"
  let path: String
  let ops: FileOps
  var mode: mode_t = 0o600

  /// Appends entries (one write, one fsync). Throws `.io` naming the journal.
  public func append(_ entries: [JournalEntry], sync: Bool = true) throws(StoreError) {
    guard !entries.isEmpty else { return }
    var data = Data()
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for entry in entries {
      guard let line = try? encoder.encode(entry) else {
        throw .io(operation: "encode an entry of", file: Journal.fileName, errno: EINVAL)
      }
      data.append(line)
      data.append(0x0A)
    }
    let fd = ops.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw .io(operation: "open", file: Journal.fileName, errno: errno) }
    // The umask may have taken the group's bits off a new journal; only its owner can set them.
    var st = stat()
    if fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o777 != mode { fchmod(fd, mode) }
    // A line torn by a crash has no newline: start on a fresh line so it stays alone and this
    // entry stays whole.
    var last: UInt8 = 0x0A
    if st.st_size > 0, pread(fd, &last, 1, off_t(st.st_size - 1)) == 1, last != 0x0A { data.insert(0x0A, at: 0) }
    var failure = data.withUnsafeBytes { ops.writeAll(fd, $0) }
    if failure == nil, sync, ops.fsync(fd) != 0 { failure = errno }
    _ = ops.close(fd)
    if let failure { throw .io(operation: "append to", file: Journal.fileName, errno: failure) }
  }

  public func append(_ entry: JournalEntry) throws(StoreError) { try append([entry]) }

  /// Every readable entry, oldest first, and the number of lines that could not be read.
  public func read() throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    try read(where: nil)
  }

  /// Entries whose line contains `needle` (all when nil).
  func read(where needle: Data?) throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let data: Data
    do {
      data = try readWholeFile(path)
    } catch .io(_, _, let code) where code == ENOENT {
      return ([], 0)
    }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    var entries: [JournalEntry] = []
    var unreadable = 0
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
      if let needle, line.firstRange(of: needle) == nil { continue }
      if let entry = try? decoder.decode(JournalEntry.self, from: Data(line)) {
        entries.append(entry)
      } else {
        unreadable += 1
      }
    }
    return (entries, unreadable)
  }
}

/// The field paths in which two JSON trees differ, down to `depth` levels (array elements count
/// as a level and are named by index). Values never appear in the result.
public enum ChangedPaths {
  static let ignored: Set<String> = ["revision", "updatedAt", "updatedBy", "schemaVersion"]

  public static func between(_ old: JSONValue, _ new: JSONValue, depth: Int = 3) -> [String] {
    var out: [String] = []
    walk(old, new, path: "", depth: depth, into: &out)
    return out
  }

  private static func walk(_ a: JSONValue?, _ b: JSONValue?, path: String, depth: Int, into out: inout [String]) {
    if a == b { return }
    guard depth > 0, let a, let b else {
      out.append(path)
      return
    }
    switch (a, b) {
    case (.object(let x), .object(let y)):
      let keys = Set(x.keys).union(y.keys)
      for key in keys.sorted() where !(path.isEmpty && ignored.contains(key)) {
        let child = path.isEmpty ? key : path + "." + key
        walk(x[key], y[key], path: child, depth: depth - 1, into: &out)
      }
    case (.array(let x), .array(let y)):
      for i in 0..<max(x.count, y.count) {
        walk(i < x.count ? x[i] : nil, i < y.count ? y[i] : nil, path: path + "[\(i)]", depth: depth - 1, into: &out)
      }
    default:
      out.append(path)
    }
  }
}

extension Store {
  /// Records that data of a case leaves the app: the journal entry (export, or share when under
  /// a consent; it stands for the disclosure added to the case) and the disclosure in the case,
  /// both before the caller writes a byte.
  @discardableResult
  public func disclose(_ disclosure: Disclosure, of base: StoredCase, now: Date = Timestamp.now()) throws(StoreError)
    -> StoredCase
  {
    try require(.export, "export case data")
    if base.isPartial, let viewer { throw .notPermitted(what: "export case data", role: viewer.role) }
    let shared = disclosure.consent != nil
    try journal.append(
      JournalEntry(
        at: now, user: disclosure.by, action: shared ? .share : .export, caseID: base.id, revision: base.revision,
        detail: shared ? "\(disclosure.what) to \(disclosure.recipient) for \(disclosure.purpose)" : disclosure.what))
    var document = base.document
    document.disclosures.append(disclosure)
    return try write(document, basedOn: base, by: disclosure.by, now: now, journalled: false)
  }
}

extension Store {
  /// The journal's entries about one case, oldest first, for a user who may read the journal
  /// and see the case.
  public func history(of id: CaseID) throws(StoreError) -> [JournalEntry] {
    try require(.readJournal, "read the journal")
    if viewer != nil, !(trash().contains(id)) { _ = try load(id) }
    return try journal.read(caseID: id).entries
  }
}

extension Journal {
  /// Entries about one case; lines not mentioning its id are skipped without decoding.
  public func read(caseID: CaseID) throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    try read(where: Data("\"case\":\"\(caseID.rawValue)\"".utf8))
  }
}
