import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `<store>/sequence.json`: the last number used per id kind and year (`"2026"` for case ids
/// `K-2026-…`, `"G-2026"` for training groups, `"M-2026"` mentors, `"E-…"` employers, `"O-…"`
/// openings, `"F-…"` job fairs). Ids are never reused: an id moves the sequence before its file
/// is written, and a sequence that is missing or damaged is rebuilt from everything that ever
/// used an id — the case and record files, the trash, and the journal's creates and erasure
/// tombstones — never reset. A damaged file is kept aside as `sequence.json.damaged` for
/// `keten check` to name.
extension Store {
  /// Every record kind the store keeps besides cases.
  public static let recordKinds: [RecordKind] = [
    TrainingGroup.kind, Mentor.kind, Employer.kind, Opening.kind, JobFair.kind, Service.kind,
  ]
  /// The type of the records kept under a kind's id prefix (`G` → `TrainingGroup`), or nil.
  public static func recordType(prefix: String) -> (any StoreRecord.Type)? {
    let types: [any StoreRecord.Type] = [
      TrainingGroup.self, Mentor.self, Employer.self, Opening.self, JobFair.self, Service.self,
    ]
    return types.first { $0.kind.prefix == prefix }
  }

  static let damagedSequenceName = "sequence.json.damaged"
  typealias StoredSequence = FolderBackend.StoredSequence

  var sequencePath: String { fb.sequencePath }
  func readSequence() throws(StoreError) -> [String: Int] { try fb.readSequence() }
  func storedSequence() -> StoredSequence { fb.storedSequence() }
  func writeSequence(_ sequence: [String: Int]) throws(StoreError) { try fb.writeSequence(sequence) }
  func sequenceLag(against used: [String: Int], stored: [String: Int]) -> [String] {
    used.keys.sorted().filter { (stored[$0] ?? 0) < used[$0]! }
  }

  /// The highest number every id kind and year has used (`FolderBackend.rebuiltSequence`).
  public func rebuiltSequence(journalEntries: [JournalEntry]? = nil) throws(StoreError) -> [String: Int] {
    try requireFolder("rebuild the id counters").rebuiltSequence(journalEntries: journalEntries)
  }

  /// `2026` for `K-2026-0042`, `G-2026` for `G-2026-0001`, with the number.
  static func sequenceKey(ofID id: String) -> (String, Int)? {
    let parts = id.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 1, let first = parts[0].first, first.isASCII, first.isUppercase,
      parts[1].count == 4, let year = Int(parts[1]), let number = Int(parts[2]), number >= 0
    else { return nil }
    return (first == "K" ? String(year) : "\(first)-\(year)", number)
  }

  /// Whether a stored key is one the store writes.
  static func sequenceKey(_ key: String) -> String? {
    if key.count == 4, Int(key) != nil { return key }
    let parts = key.split(separator: "-")
    guard parts.count == 2, parts[0].count == 1, parts[1].count == 4, Int(parts[1]) != nil else { return nil }
    return key
  }
}

extension FolderBackend {
  var sequencePath: String { root + "/sequence.json" }

  /// The sequence as stored, or rebuilt when missing or damaged (under the store lock).
  func readSequence() throws(StoreError) -> [String: Int] {
    switch storedSequence() {
    case .valid(let sequence): return sequence
    case .missing:
      return try rebuiltSequence()
    case .damaged:
      // Kept aside (never deleted) for `keten check` to name; the rebuilt one replaces it.
      let aside = root + "/" + Store.damagedSequenceName
      if access(aside, F_OK) != 0 { _ = Glibc.rename(sequencePath, aside) }
      let rebuilt = try rebuiltSequence()
      try writeSequence(rebuilt)
      return rebuilt
    }
  }

  enum StoredSequence {
    case valid([String: Int])
    case missing
    case damaged(String)
  }

  func storedSequence() -> StoredSequence {
    let data: Data
    do {
      data = try readWholeFile(sequencePath)
    } catch .io(_, _, let code) where code == ENOENT {
      return .missing
    } catch {
      return .damaged(error.description)
    }
    // A year given twice would be read as one of the two and rewritten so: damage, with its place.
    if let problem = DocumentCodec.textProblem(data) { return .damaged(problem) }
    do {
      let decoded = try JSONDecoder().decode([String: Int].self, from: data)
      if let bad = decoded.first(where: { $0.value < 0 || Store.sequenceKey($0.key) == nil }) {
        return .damaged("it holds '\(FieldProblem.shown(bad.key))': \(bad.value), not a year or kind-year with a count")
      }
      return .valid(decoded)
    } catch {
      return .damaged(DocumentCodec.describe(error))
    }
  }

  /// The highest number every id kind and year has used: files, trash copies, journal entries.
  /// `journalEntries`, when the caller has read the journal already.
  public func rebuiltSequence(journalEntries: [JournalEntry]? = nil) throws(StoreError) -> [String: Int] {
    var used: [String: Int] = [:]
    func note(_ id: String) {
      guard let (key, number) = Store.sequenceKey(ofID: id) else { return }
      used[key] = max(used[key] ?? 0, number)
    }
    for directory in [casesDirectory, trashDirectory] {
      for name in FolderBackend.directoryEntries(directory) where !name.hasPrefix(".") {
        note(String(name.prefix { $0 != "." }))
      }
    }
    for kind in Store.recordKinds {
      for name in FolderBackend.directoryEntries(root + "/" + kind.folder) where !name.hasPrefix(".") {
        note(String(name.prefix { $0 != "." }))
      }
    }
    let entries: [JournalEntry]
    if let journalEntries { entries = journalEntries } else { entries = try folderJournal.read().entries }
    for entry in entries {
      if let id = entry.caseID { note(id.rawValue) }
      if let record = entry.record { note(record) }
    }
    return used
  }

  /// Whether the journal has ever named this id (a create, an erasure): a sequence edited back
  /// by hand must not hand out an erased case's id. One pass over the journal's bytes, read once
  /// per create and kept in `journalBytes`.
  func journalNames(_ id: String, key: String, journalBytes: inout Data?) -> Bool {
    if journalBytes == nil {
      journalBytes = (try? readWholeFile(root + "/" + Journal.fileName)) ?? Data()
    }
    return journalBytes!.firstRange(of: Data("\"\(key)\":\"\(id)\"".utf8)) != nil
  }

  func writeSequence(_ sequence: [String: Int]) throws(StoreError) {
    let data: Data
    do {
      data = try CaseJSON.encoder.encode(sequence)
    } catch {
      throw .io(operation: "encode", file: "sequence.json", errno: EINVAL)
    }
    try writer.write(data, directory: root, name: "sequence.json")
  }
}
