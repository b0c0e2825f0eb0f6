import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One line of the audit journal: who did what to which case or record, and when. Never a value
/// from a case: changes name the field paths only.
///
/// A change is journalled in two lines: its *intent*, written (and fsynced) ahead of the file,
/// and its *outcome* (`done` or `failed`, the same `ref`), written once the file landed or the
/// write failed. `Journal.read` pairs them: an entry reads as completed only when its outcome
/// says so, so `keten audit` never shows a change that did not happen as one that did. An intent
/// whose outcome is missing (a kill, a crash, a disk too full for the outcome line) reads as
/// unconfirmed. Reads (an open, a bulk listing handed to a person) are one line, written after
/// the read.
public struct JournalEntry: Codable, Equatable, Sendable {
  public enum Action: String, StoredCode, CaseIterable, Sendable {
    case create, open, change, export, share, delete, restore, erase, users
    /// Personal data of several cases handed to a person in one go (a list with names, an
    /// iCalendar with names, candidates for an opening, a mentor's mentees).
    case read
  }

  /// Where an entry stands: `intent` as written ahead, `done`/`failed` once its outcome is read.
  public enum State: String, StoredCode, CaseIterable, Sendable {
    case intent, done, failed
  }

  public var at: Date
  public var user: String
  public var action: Action
  public var caseID: CaseID?
  /// A record's id (training group, mentor, employer, opening, job fair) for changes to records.
  public var record: String?
  /// The revision written (create, change, and the disclosure an export or share adds) or read
  /// (open).
  public var revision: Int?
  /// The field paths that changed, e.g. `person.phone`, `notes[3]`.
  public var paths: [String]?
  /// What was exported or shared (format, recipient / purpose), the erasure reason, or what
  /// changed in the users file.
  public var detail: String?
  /// Pairs an intent with its outcome line.
  public var ref: String?
  /// nil for a one-line entry (a read, or a line from before outcomes were journalled).
  public var state: State?

  enum CodingKeys: String, CodingKey {
    case at, user, action, caseID = "case", record, revision, paths, detail, ref, state
  }

  public init(
    at: Date, user: String, action: Action, caseID: CaseID? = nil, record: String? = nil, revision: Int? = nil,
    paths: [String]? = nil, detail: String? = nil
  ) {
    self.at = at
    self.user = user
    self.action = action
    self.caseID = caseID
    self.record = record
    self.revision = revision
    self.paths = paths
    self.detail = detail
  }

  /// Whether the action is known to have happened.
  public var isCompleted: Bool { state == nil || state == .done }

  /// How `audit` and the History tab mark an entry that did not complete, or nil.
  public var incompleteMark: String? {
    switch state {
    case .failed: action == .export || action == .share ? "FAILED, nothing was sent" : "FAILED, nothing was changed"
    case .intent: "NOT CONFIRMED: no outcome recorded (stopped part-way, or not finished yet)"
    default: nil
    }
  }
}

/// An intent written ahead of a change: `Journal.finish` records its outcome.
public struct JournalIntent: Sendable {
  public let entry: JournalEntry

  public init(entry: JournalEntry) { self.entry = entry }
}

/// What reading the journal found besides its entries.
public struct JournalDamage: Sendable, Equatable {
  /// Lines cut short (an append stopped by a kill, a crash or a full disk): a partial entry,
  /// left as it is.
  public var torn: [Int] = []
  /// Lines that are not the start of an entry at all (NUL bytes, binary, other text): damage
  /// from outside Keten. 1-based line numbers.
  public var garbage: [Int] = []

  public var unreadable: Int { torn.count + garbage.count }

  public init(torn: [Int] = [], garbage: [Int] = []) {
    self.torn = torn
    self.garbage = garbage
  }
}

/// `<store>/journal.jsonl`: the append-only audit journal, one JSON object per line.
///
/// Intents are written ahead of what they record (before a case file is replaced, moved or
/// removed, before export bytes are written), so nothing happens unjournalled, and each is
/// followed by its outcome, so nothing that failed reads as done.
///
/// Each line is one `write` to a file opened with `O_APPEND | O_NOFOLLOW`, followed by `fsync`,
/// so lines never interleave and a crash or a full disk can at worst leave the line being
/// written torn; the next append starts on a fresh line, and the reader skips (and counts) torn
/// lines without rewriting the file. Keten never truncates or edits it.
public struct Journal: JournalStore {
  public static let fileName = "journal.jsonl"
  let path: String
  let ops: FileOps
  var mode: mode_t = 0o600

  /// Appends entries (one write, one fsync). Throws `.io` naming the journal.
  public func append(_ entries: [JournalEntry], sync: Bool) throws(StoreError) {
    guard !entries.isEmpty else { return }
    var data = Data()
    for entry in entries {
      data.append(try Journal.encode(entry))
      data.append(0x0A)
    }
    let fd = ops.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw .io(operation: "open", file: Journal.fileName, errno: errno == ELOOP ? EMLINK : errno) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
      _ = ops.close(fd)
      throw .io(operation: "append to", file: Journal.fileName, errno: EINVAL)
    }
    // The umask may have taken the group's bits off a new journal; only its owner can set them.
    if st.st_uid == geteuid(), st.st_mode & 0o777 != mode { fchmod(fd, mode) }
    // A line torn by a crash has no newline: start on a fresh line so it stays alone and this
    // entry stays whole.
    var last: UInt8 = 0x0A
    if st.st_size > 0, pread(fd, &last, 1, off_t(st.st_size - 1)) == 1, last != 0x0A { data.insert(0x0A, at: 0) }
    var failure = data.withUnsafeBytes { ops.writeAll(fd, $0) }
    if failure == nil, sync, ops.fsync(fd) != 0 { failure = errno }
    _ = ops.close(fd)
    if let failure { throw .io(operation: "append to", file: Journal.fileName, errno: failure) }
  }

  public static func newRef() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 36)
  }

  /// `read`, with which lines were torn and which were damaged.
  public func readAll() throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage) {
    try readAll(where: nil)
  }

  /// Entries whose line contains `needle` (all when nil).
  func read(where needle: Data?) throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let r = try readAll(where: needle)
    return (r.entries, r.damage.unreadable)
  }

  func readAll(where needle: Data?) throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage) {
    let (entries, damage) = try lines(where: needle)
    return (Journal.resolved(entries), damage)
  }

  /// Entries as written (intents and outcomes apart), oldest first, with each intent given its
  /// outcome and the outcome lines taken out.
  public static func resolved(_ lines: [JournalEntry]) -> [JournalEntry] {
    var entries = lines
    var outcomes: [String: JournalEntry.State] = [:]
    for e in entries {
      if let ref = e.ref, let state = e.state, state != .intent { outcomes[ref] = state }
    }
    entries.removeAll { $0.ref != nil && $0.state != nil && $0.state != .intent }
    for i in entries.indices where entries[i].state == .intent {
      if let ref = entries[i].ref, let outcome = outcomes[ref] { entries[i].state = outcome }
    }
    return entries
  }

  /// One entry as a journal line holds it (no newline).
  /// Written through the tree (keys sorted, dates as ISO 8601 UTC seconds), as `JSONEncoder`
  /// with `.iso8601` and `.sortedKeys` wrote them, at a fraction of its cost in a save.
  public static func encode(_ entry: JournalEntry) throws(StoreError) -> Data {
    guard let tree = try? CaseJSON.tree(entry) else {
      throw .io(operation: "encode an entry of", file: Journal.fileName, errno: EINVAL)
    }
    return tree.compactSerialized()
  }

  /// An entry from a journal line; nil when it is not one.
  public static func decode(_ line: Data) -> JournalEntry? {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try? decoder.decode(JournalEntry.self, from: line)
  }

  /// Every line as written, intents and outcomes apart (not paired), oldest first, and the
  /// lines that could not be read.
  func lines(where needle: Data? = nil) throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage) {
    let data: Data
    do {
      data = try readWholeFile(path)
    } catch .io(_, _, let code) where code == ENOENT {
      return ([], JournalDamage())
    }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    var entries: [JournalEntry] = []
    var damage = JournalDamage()
    var number = 0
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
      number += 1
      if line.isEmpty { continue }
      if let needle, line.firstRange(of: needle) == nil { continue }
      if let entry = try? decoder.decode(JournalEntry.self, from: Data(line)) {
        entries.append(entry)
      } else if Journal.looksTorn(line) {
        damage.torn.append(number)
      } else {
        damage.garbage.append(number)
      }
    }
    return (entries, damage)
  }

  /// A line cut short: the start of an entry as Keten writes them (sorted keys, so
  /// `{"action":"`, then printable UTF-8), not closed. Anything else (NUL bytes, binary, other
  /// JSON, stray text) is damage from outside.
  static func looksTorn(_ line: Data.SubSequence) -> Bool {
    let start = Data("{\"action\":\"".utf8)
    guard line.last != UInt8(ascii: "}"),
      line.count < start.count ? start.starts(with: line) : line.starts(with: start)
    else { return false }
    guard String(data: Data(line), encoding: .utf8) != nil else { return false }
    return !line.contains { $0 < 0x20 || $0 == 0x7F }
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
      // Both hold their keys in order: one merge walk names each key once, in order.
      var i = 0, j = 0
      while i < x.count || j < y.count {
        let key: String, old: JSONValue?, new: JSONValue?
        if j == y.count || (i < x.count && x.keys[i] < y.keys[j]) {
          (key, old, new) = (x.keys[i], x.values[i], nil)
          i += 1
        } else if i == x.count || y.keys[j] < x.keys[i] {
          (key, old, new) = (y.keys[j], nil, y.values[j])
          j += 1
        } else {
          (key, old, new) = (x.keys[i], x.values[i], y.values[j])
          i += 1
          j += 1
        }
        if path.isEmpty && ignored.contains(key) { continue }
        walk(old, new, path: path.isEmpty ? key : path + "." + key, depth: depth - 1, into: &out)
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

/// An export whose bytes could not be written after its disclosure was recorded: nothing was
/// sent; the journal marks the export failed and the disclosure log marks it not sent.
public struct ExportNotWritten: Error {
  public let underlying: any Error
}

extension Store {
  /// Data of a case leaving the app: the journal's intent (export, or share when under a
  /// consent; it stands for the disclosure added to the case) and the disclosure in the case,
  /// both before `write` writes a byte; then the outcome. When `write` fails, the export reads
  /// as failed and the disclosure as not sent, and `ExportNotWritten` is thrown.
  @discardableResult
  public func disclose(
    _ disclosure: Disclosure, of base: StoredCase, now: Date = Timestamp.now(), writing write: () throws -> Void
  ) throws -> StoredCase {
    try require(.export, "export case data")
    if base.isPartial, let viewer { throw StoreError.notPermitted(what: "export case data", role: viewer.role) }
    let shared = disclosure.consent != nil
    let intent = try journal.intend(
      JournalEntry(
        at: now, user: disclosure.by, action: shared ? .share : .export, caseID: base.id, revision: base.revision + 1,
        detail: shared ? "\(disclosure.what) to \(disclosure.recipient) for \(disclosure.purpose)" : disclosure.what))
    var document = base.document
    document.disclosures.append(disclosure)
    let stored: StoredCase
    do {
      stored = try self.write(document, basedOn: base, by: disclosure.by, now: now, journalled: false)
    } catch {
      journal.finish([intent], ok: false)
      throw error
    }
    do {
      try write()
    } catch {
      markNotSent(intent, stored: stored, by: disclosure.by)
      throw ExportNotWritten(underlying: error)
    }
    // Landed: an outcome line that cannot be written leaves it unconfirmed, not failed.
    journal.finish([intent], ok: true)
    return stored
  }

  /// The export's intent marked failed in the journal and its disclosure in the case as not
  /// sent (best effort: on a full disk the case may stay as it is; the journal's outcome, or its
  /// absence, still says the export did not complete).
  private func markNotSent(_ intent: JournalIntent, stored: StoredCase, by user: String) {
    journal.finish([intent], ok: false)
    guard let current = try? scopedOut.loadWhole(stored.id) else { return }
    var document = current.document
    // The disclosure just recorded: the last one of this export (times lose their fraction of a
    // second on disk, so they are not compared).
    guard let recorded = stored.document.disclosures.last,
      let i = document.disclosures.lastIndex(where: {
        $0.by == recorded.by && $0.recipient == recorded.recipient && $0.what == recorded.what && $0.notSent == nil
      })
    else { return }
    document.disclosures[i].notSent = true
    _ = try? scopedOut.write(document, basedOn: current, by: user, now: Timestamp.now())
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
