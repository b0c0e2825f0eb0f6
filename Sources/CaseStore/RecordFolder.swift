import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A kind of record the store keeps besides cases (training groups, mentors): one JSON file per
/// record in its own folder, with the same guarantees as case files — durable writes, 0600,
/// revisions with conflict detection, unknown keys kept.
public struct RecordKind: Sendable, Equatable {
  /// The folder under the store, e.g. `groups`.
  public var folder: String
  /// The id prefix, e.g. `G` for `G-2026-0001`.
  public var prefix: String
  /// What one record is called in messages, e.g. `training group`.
  public var noun: String

  public init(folder: String, prefix: String, noun: String) {
    self.folder = folder
    self.prefix = prefix
    self.noun = noun
  }

  /// `PREFIX-YEAR-NNNN`.
  public func id(year: Int, number: Int) -> String {
    let digits = String(number)
    return "\(prefix)-\(year)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}

/// A record type the store can keep.
public protocol StoreRecord: Codable, Equatable, Sendable {
  static var kind: RecordKind { get }
  /// `PREFIX-YEAR-NNNN`, given by the store on create; never reused.
  var id: String { get set }
  /// Incremented by one on every save; the basis of conflict detection.
  var revision: Int { get set }
  var updatedAt: Date { get set }
  var updatedBy: String { get set }
  /// Problems that stop a save, each naming a field path.
  func validationIssues(today: LocalDate) -> [ValidationIssue]
}

/// Which cases a signed-in user may see, by id (see `Store.visibleCaseIDs`).
final class CaseVisibility {
  private var known: Set<String>
  private var checked: [String: Bool] = [:]
  private let store: Store?

  init(known: Set<String>, store: Store?) {
    self.known = known
    self.store = store
  }

  func contains(_ id: String) -> Bool {
    if known.contains(id) { return true }
    guard let store, let viewer = store.viewer else { return false }
    if let answer = checked[id] { return answer }
    let answer = (try? CaseID(id)).flatMap { try? store.loadWhole($0) }.map { viewer.maySee($0.document) } ?? false
    checked[id] = answer
    return answer
  }
}

/// A record as read from or written to the store, with the bytes a later save compares against.
public struct StoredRecord<Record: StoreRecord>: Sendable {
  public let record: Record
  let bytes: Data
  /// Entries of cases the signed-in user may not see (a group's participants, a fair's
  /// registrations): left out of `record`, counted here, kept as they are by a save.
  public var hiddenEntries: Int = 0

  public var id: String { record.id }
  public var revision: Int { record.revision }

  /// A record decoded from its stored bytes; `.damaged` (with position) when they do not hold
  /// one, or hold another id than `fileName` names.
  public static func decode(_ data: Data, fileName: String) throws(StoreError) -> StoredRecord {
    let record: Record
    // A key given twice, a lone surrogate or a malformed number is damage, said with its place
    // (Foundation would take the first of two keys and a save would drop the other).
    if let problem = DocumentCodec.textProblem(data) { throw .damaged(file: fileName, problem: problem) }
    do {
      record = try CaseJSON.decoder.decode(Record.self, from: data)
    } catch {
      throw .damaged(file: fileName, problem: DocumentCodec.describe(error))
    }
    guard (try? Store.recordFileName(record.id)) == fileName else {
      throw .damaged(file: fileName, problem: "it holds \(record.id), which does not match its file name")
    }
    return StoredRecord(record: record, bytes: data)
  }
}

extension Store {
  public static func recordFileName(_ id: String) throws(StoreError) -> String {
    // Record ids follow the rules of case ids: no path separators, no leading dot, bounded.
    do {
      return try CaseID(id).fileName
    } catch {
      throw .invalidID(error)
    }
  }

  /// Every record of a type, sorted by id; damaged files are reported and skipped.
  public func records<Record: StoreRecord>(_ type: Record.Type) throws(StoreError) -> (
    records: [StoredRecord<Record>], damaged: [DamagedFile]
  ) {
    if let viewer, !viewer.mayRead(kind: Record.kind) {
      throw .notPermitted(what: "see \(Record.kind.noun)s (they are not visible for your role)", role: viewer.role)
    }
    let all = try backend.records(Record.self)
    let visible = Record.self is any CaseEntryScoping.Type ? visibleCaseIDs() : nil
    let records = all.records.filter { viewer?.mayRead($0.record) ?? true }.map { scoped($0, to: visible) }
    let damaged = all.damaged
    return (records, damaged)
  }

  /// How many record files `records(_:)` has read from disk (not from what it kept), for tests.
  public var recordFilesRead: Int { backend.recordsRead }

  /// One record by id; `.recordNotFound` names the kind and the id.
  public func record<Record: StoreRecord>(_ type: Record.Type, _ id: String) throws(StoreError)
    -> StoredRecord<Record>
  {
    let stored = try backend.record(Record.self, id)
    guard viewer?.mayRead(stored.record) ?? true else { throw .recordNotFound(noun: Record.kind.noun, id: id) }
    return scoped(stored, to: Record.self is any CaseEntryScoping.Type ? visibleCaseIDs() : nil)
  }

  /// Whether the signed-in user may see a case, by id, or nil when they see every case. The
  /// index answers for most ids; an id it does not know (a case created since it was written)
  /// is answered from the case file itself.
  func visibleCaseIDs() -> CaseVisibility? {
    guard let viewer, viewer.role != .coordinator else { return nil }
    if viewer.role == .trainer { return CaseVisibility(known: viewer.participants, store: nil) }
    let cases = listFromIndex()?.cases ?? (try? list().cases) ?? []
    return CaseVisibility(known: Set(cases.map(\.id.rawValue)), store: self)
  }

  /// The record with the entries of cases outside `visible` left out (and counted).
  func scoped<Record: StoreRecord>(_ stored: StoredRecord<Record>, to visible: CaseVisibility?) -> StoredRecord<Record> {
    guard let visible, let scoping = stored.record as? any CaseEntryScoping else { return stored }
    let (kept, hidden) = scoping.keepingEntries { visible.contains($0) }
    guard hidden > 0, let record = kept as? Record else { return stored }
    return StoredRecord(record: record, bytes: stored.bytes, hiddenEntries: hidden)
  }

  /// Creates a record with the next free id of `now`'s year.
  @discardableResult
  public func create<Record: StoreRecord>(_ draft: Record, by user: String, now: Date = Timestamp.now())
    throws(StoreError) -> StoredRecord<Record>
  {
    if let viewer, !viewer.mayWrite(draft) {
      throw .notPermitted(what: "create a \(Record.kind.noun)", role: viewer.role)
    }
    var record = draft
    record.revision = 1
    record.updatedAt = now
    record.updatedBy = user
    let year = LocalDate.today(now).year
    record.id = "\(Record.kind.prefix)-\(year)-0000"
    let issues = record.validationIssues(today: LocalDate.today(now)) + Self.controlIssues(in: record)
    guard issues.isEmpty else { throw .invalid(issues) }
    return try backend.createRecord(record, by: user, now: now)
  }

  /// Saves an edited record on top of the revision it was read as; `.recordConflict` when the
  /// file changed since. Keys this version does not know are carried over from the file.
  @discardableResult
  public func save<Record: StoreRecord>(
    _ edited: Record, basedOn base: StoredRecord<Record>, by user: String, now: Date = Timestamp.now()
  ) throws(StoreError) -> StoredRecord<Record> {
    if let viewer, !viewer.mayWrite(base.record) || !viewer.mayWrite(edited) {
      throw .notPermitted(what: "change this \(Record.kind.noun)", role: viewer.role)
    }
    // Whose mentees a registration shows (its login) is a coordinator's to change: a case
    // worker could otherwise hand another centre's mentees to a login of their choosing.
    if let viewer, viewer.role == .caseWorker, let old = base.record as? Mentor, let new = edited as? Mentor, old.login != new.login {
      throw .notPermitted(what: "change a mentor's login", role: viewer.role)
    }
    // Nothing changed: no new revision, no journal entry.
    if edited == base.record { return base }
    var record = edited
    // Worked out once: it reads the index (every case's summary) for a case worker.
    let visible = Record.self is any CaseEntryScoping.Type ? visibleCaseIDs() : nil
    if let scoping = record as? any CaseEntryScoping, let visible {
      // A scoped user changes only the entries of cases they may see; the others are laid back
      // exactly as stored, and capacity rules below count them all.
      let whole: Record
      do {
        whole = try CaseJSON.decoder.decode(Record.self, from: base.bytes)
      } catch {
        throw .damaged(file: base.id, problem: DocumentCodec.describe(error))
      }
      guard let merged = try scoping.merging(into: whole, visible: { visible.contains($0) }) as? Record else {
        throw .notPermitted(what: "change this \(Record.kind.noun)", role: viewer!.role)
      }
      record = merged
    }
    record.id = base.id
    record.revision = base.revision + 1
    record.updatedAt = now
    record.updatedBy = user
    let issues = record.validationIssues(today: LocalDate.today(now)) + Self.controlIssues(in: record)
    guard issues.isEmpty else { throw .invalid(issues) }
    let name = try Store.recordFileName(base.id)
    var bytes = try Self.recordBytes(record, name: name)
    do {
      let raw = try JSONValue.parse(base.bytes)
      if let residue = UnknownResidue.extract(raw: raw, known: try CaseJSON.tree(base.record)) {
        bytes = try residue.apply(to: try CaseJSON.tree(record)).serialized()
      }
    } catch {
      throw .damaged(file: name, problem: "it could not be re-encoded (\(error))")
    }
    let paths = (try? ChangedPaths.between(CaseJSON.tree(base.record), CaseJSON.tree(record))) ?? ["?"]
    try backend.replaceRecord(
      record, bytes: bytes, basedOn: base,
      entry: JournalEntry(at: now, user: user, action: .change, record: base.id, revision: record.revision, paths: paths))
    return scoped(StoredRecord(record: record, bytes: bytes), to: visible)
  }

  /// Text fields of a record that hold control characters: one-line fields refuse line breaks,
  /// tabs, escapes and direction overrides; free notes (under a key like `notes` or `review`)
  /// may hold line breaks only. Checked on every create and save, whatever path wrote the value.
  static func controlIssues<Record: StoreRecord>(in record: Record) -> [ValidationIssue] {
    guard let tree = try? CaseJSON.tree(record) else { return [] }
    let multiline: Set<String> = ["notes", "note", "review", "actions", "preferences", "tasks", "text"]
    var issues: [ValidationIssue] = []
    func walk(_ value: JSONValue, path: String, free: Bool) {
      switch value {
      case .string(let text):
        let bad = free ? TerminalText.holdsControlsBesidesLineBreaks(text) : TerminalText.holdsControls(text)
        if bad { issues.append(ValidationIssue(path: path, problem: .controlCharacter)) }
      case .array(let items):
        for (i, item) in items.enumerated() { walk(item, path: path + "[\(i)]", free: free) }
      case .object(let fields):
        for (key, item) in fields {
          walk(item, path: path.isEmpty ? key : path + "." + key, free: free || multiline.contains(key))
        }
      default: break
      }
    }
    walk(tree, path: "", free: false)
    return issues
  }

  public static func recordBytes<Record: StoreRecord>(_ record: Record, name: String) throws(StoreError) -> Data {
    do {
      return try CaseJSON.tree(record).serialized()
    } catch {
      throw .io(operation: "encode", file: name, errno: EINVAL)
    }
  }
}

/// Record files as last read, by path, with what the file's status said when they were.
final class RecordReadCache: Sendable {
  struct Key: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedNs: Int64
    var changedNs: Int64

    init(_ st: stat) {
      device = UInt64(st.st_dev)
      inode = UInt64(st.st_ino)
      size = Int64(st.st_size)
      modifiedNs = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
      changedNs = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }
  }

  private struct Entry: @unchecked Sendable {
    var key: Key
    var value: any Sendable
  }

  private let entries = Mutex<[String: Entry]>([:])
  let filesRead = Atomic<Int>(0)

  /// What was kept for `path` when the file is the one read then; nil otherwise.
  func value(path: String, stat st: stat) -> (any Sendable)? {
    entries.withLock { $0[path] }.flatMap { $0.key == Key(st) ? $0.value : nil }
  }

  /// Keeps a record read at `readAtNs`, unless the file changed within the clock's granularity
  /// of that moment (a change in the same tick could leave the same times: read it again next time).
  func keep(_ value: any Sendable, path: String, stat st: stat, readAtNs: Int64) {
    let key = Key(st)
    guard max(key.modifiedNs, key.changedNs) < readAtNs - 20_000_000 else {
      entries.withLock { $0[path] = nil }
      return
    }
    entries.withLock { $0[path] = Entry(key: key, value: value) }
  }
}
