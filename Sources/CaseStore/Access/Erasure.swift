import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What an erasure removed, for the coordinator's confirmation.
public struct Erasure: Sendable, Equatable {
  public var caseID: CaseID
  /// Files removed, relative to the store.
  public var files: [String]
  /// Training groups and job fairs the person was taken out of.
  public var records: [String]
  /// Recipients the case's data was disclosed to, who are to be told of the erasure (art. 19).
  public var recipients: [String]
  /// What could not be removed, each with why and what to do (empty when the erasure is
  /// complete). An incomplete erasure is finished at the next opening of the store, or by
  /// running `keten erase` again once the cause is fixed.
  public var remaining: [String] = []

  public var isComplete: Bool { remaining.isEmpty }
}

/// `<store>/.erase-<id>`: an erasure under way. Written (durably) after the journal's tombstone
/// and before the first file is removed; removed once every trace is gone. Opening a store that
/// holds one finishes the erasure. It holds the id and the journal reference, no personal data.
struct ErasureMarker: Codable {
  var caseID: CaseID
  var ref: String
  var user: String
  var at: Date

  static let prefix = ".erase-"
}

extension Store {
  /// Erases a case for good (GDPR art. 17): its file, every trash copy, its index entry, and its
  /// place in training groups and job fairs. The journal keeps its earlier entries (they hold no
  /// personal data) and gets a tombstone with the reason, written before anything is removed,
  /// and its outcome once everything is.
  ///
  /// The reason must not hold the person's name: it stays in the journal.
  public func erase(_ id: CaseID, reason: String, by user: String, now: Date = Timestamp.now()) throws(StoreError)
    -> Erasure
  {
    try require(.erase, "erase cases")
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw .invalid([ValidationIssue(path: "reason", problem: .required)]) }
    guard reason.count >= 5 else { throw .invalid([ValidationIssue(path: "reason", problem: .tooShort(min: 5))]) }
    if let database = backend as? any TransactionalBackend {
      return try erase(id, in: database, reason: reason, by: user, now: now)
    }
    let marker = root + "/" + ErasureMarker.prefix + id.rawValue
    let (intent, recipients) = try startErasure(of: id, reason: reason, by: user, now: now, marker: marker)
    var erasure = scopedOut.finishErasure(of: id, by: user)
    erasure.recipients = recipients
    if erasure.isComplete {
      journal.finish([intent], ok: true)
      unlink(marker)
      try? writer.syncDirectory(root, file: ErasureMarker.prefix + id.rawValue)
    }
    return erasure
  }

  /// The names in a case (to keep out of an erasure's reason) and whom its data went to.
  private static func namesAndRecipients(_ documents: [CaseDocument]) -> (Set<String>, [String]) {
    var names: Set<String> = []
    var recipients: [String] = []
    for document in documents {
      let p = document.person
      for part in ([p.fullName, p.preferredName ?? ""]).flatMap({ $0.split(whereSeparator: \.isWhitespace) })
      where part.count >= 3 {
        names.insert(SearchText.fold(String(part)))
      }
      for d in document.disclosures where d.recipient != Disclosure.toThePerson && !recipients.contains(d.recipient) {
        recipients.append(d.recipient)
      }
    }
    return (names, recipients)
  }

  /// On a database: in one transaction, the case's row goes, its entries in groups and fairs
  /// go, and the tombstone is written; all of it or nothing.
  private func erase(
    _ id: CaseID, in database: any TransactionalBackend, reason: String, by user: String, now: Date
  ) throws(StoreError) -> Erasure {
    let copies = [try? backend.readCase(id), try? backend.readTrashedCase(id)].compactMap { $0?.document }
    guard !copies.isEmpty else { throw .notFound(id) }
    let (names, recipients) = Store.namesAndRecipients(copies)
    if names.contains(where: { Store.containsWord($0, in: SearchText.fold(reason)) }) {
      throw .invalid([ValidationIssue(path: "reason", problem: .holdsName)])
    }
    var erasure = Erasure(caseID: id, files: ["keten.cases " + id.rawValue], records: [], recipients: recipients)
    let unscoped = scopedOut
    do {
      try database.allAtOnce {
        for record in try unscoped.removeEntries(of: id, from: TrainingGroup.self, by: user, now: now) {
          erasure.records.append(record)
        }
        for record in try unscoped.removeEntries(of: id, from: JobFair.self, by: user, now: now) {
          erasure.records.append(record)
        }
        try database.deleteCase(id, entry: JournalEntry(at: now, user: user, action: .erase, caseID: id, detail: reason))
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw .database(operation: "erase \(id)", problem: "\(error)")
    }
    return erasure
  }

  /// Under the lock: checks, the tombstone, the marker. Nothing is removed yet.
  private func startErasure(of id: CaseID, reason: String, by user: String, now: Date, marker: String)
    throws(StoreError) -> (JournalIntent, [String])
  {
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    let paths = filePaths(of: id)
    let pending = access(marker, F_OK) == 0
    guard !paths.isEmpty || pending else { throw .notFound(id) }
    // Read every copy that still parses: the names to keep out of the reason, the recipients.
    let (names, recipients) = Store.namesAndRecipients(
      paths.compactMap { try? read(path: root + "/" + $0, fileName: id.fileName).document })
    let folded = SearchText.fold(reason)
    if names.contains(where: { Store.containsWord($0, in: folded) }) {
      throw .invalid([ValidationIssue(path: "reason", problem: .holdsName)])
    }
    let intent = try journal.intend(JournalEntry(at: now, user: user, action: .erase, caseID: id, detail: reason))
    do {
      let data = try CaseJSON.encoder.encode(ErasureMarker(caseID: id, ref: intent.entry.ref ?? "", user: user, at: now))
      try writer.write(data, directory: root, name: ErasureMarker.prefix + id.rawValue)
    } catch {
      journal.finish([intent], ok: false)
      if let error = error as? StoreError { throw error }
      throw .io(operation: "write", file: ErasureMarker.prefix + id.rawValue, errno: EINVAL)
    }
    return (intent, recipients)
  }

  /// The case's files in the store, relative to it: the case file and every trash copy.
  ///
  /// Every name that starts with the id counts, not only the ones Keten writes: an editor's
  /// backup (`K-2026-0042.json~`), a copy kept by hand (`K-2026-0042.json.bak`) hold the person
  /// as much as the file itself.
  private func filePaths(of id: CaseID) -> [String] {
    var paths: [String] = []
    for (directory, label) in [(casesDirectory, "cases/"), (trashDirectory, "trash/")] {
      for name in Store.directoryEntries(directory).sorted() where name.hasPrefix(id.rawValue + ".") {
        paths.append(label + name)
      }
    }
    return paths
  }

  /// Removes every trace of the case that is left (its files, its entries in groups and fairs,
  /// its index line) and says what could not be removed. Safe to run again.
  func finishErasure(of id: CaseID, by user: String) -> Erasure {
    var erasure = Erasure(caseID: id, files: [], records: [], recipients: [])
    do {
      let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
      for path in filePaths(of: id) {
        if unlink(root + "/" + path) == 0 || errno == ENOENT {
          erasure.files.append(path)
        } else {
          erasure.remaining.append("\(path): \(String(cString: strerror(errno))); remove it by hand")
        }
      }
      do {
        try writer.syncDirectory(casesDirectory, file: id.fileName)
        try writer.syncDirectory(trashDirectory, file: id.fileName)
      } catch {
        erasure.remaining.append("\(error.description)")
      }
      withExtendedLifetime(lock) {}
    } catch {
      erasure.remaining.append(error.description)
      return erasure
    }
    removeEntries(of: id, from: TrainingGroup.self, by: user, into: &erasure)
    removeEntries(of: id, from: JobFair.self, by: user, into: &erasure)
    // The index is rebuilt without the case (its summary held the name); if it cannot be
    // written (a full disk), it is removed: it is only a cache.
    _ = try? list()
    let indexPath = root + "/" + CaseIndex.fileName
    if let index = try? readWholeFile(indexPath), index.firstRange(of: Data(id.rawValue.utf8)) != nil {
      if unlink(indexPath) != 0 && errno != ENOENT {
        erasure.remaining.append("\(CaseIndex.fileName): \(String(cString: strerror(errno))); delete it by hand (it is rebuilt)")
      }
    }
    return erasure
  }

  private func removeEntries<Record: HoldsCaseEntries>(
    of id: CaseID, from type: Record.Type, by user: String, into erasure: inout Erasure
  ) {
    let found: (records: [StoredRecord<Record>], damaged: [DamagedFile])
    do {
      found = try records(type)
    } catch {
      erasure.remaining.append("\(Record.kind.folder)/: \(error.description)")
      return
    }
    for damaged in found.damaged {
      // A damaged record may still name the case: it cannot be read, so it cannot be cleaned.
      let raw = (try? readWholeFile(root + "/" + damaged.file)) ?? Data()
      if raw.isEmpty || raw.firstRange(of: Data(id.rawValue.utf8)) != nil {
        erasure.remaining.append(
          "\(damaged.file) is damaged (\(damaged.problem)) and may hold the case; repair it (`keten check`), then run the erase again")
      }
    }
    for stored in found.records where stored.record.entry(for: id) != nil {
      var record = stored.record
      record.caseEntries.removeAll { Record.caseID(of: $0) == id.rawValue }
      do {
        try save(record, basedOn: stored, by: user, now: Timestamp.now())
        erasure.records.append(record.id)
      } catch {
        erasure.remaining.append("\(record.id): \(error.description)")
      }
    }
  }

  /// Finishes erasures a crash or a full disk interrupted (at opening). A marker is honoured
  /// only when the journal holds its erasure's intent — the same case, the same ref, not yet
  /// done, by a user who is a coordinator now — so a planted file can never erase a case.
  func finishInterruptedErasures() {
    for name in Store.directoryEntries(root, hidden: true) where name.hasPrefix(ErasureMarker.prefix) {
      let path = root + "/" + name
      guard let marker = honouredErasure(path) else { continue }
      let erasure = scopedOut.finishErasure(of: marker.caseID, by: marker.user)
      guard erasure.isComplete else { continue }
      var entry = JournalEntry(at: marker.at, user: marker.user, action: .erase, caseID: marker.caseID)
      entry.ref = marker.ref
      journal.finish([JournalIntent(entry: entry)], ok: true)
      unlink(path)
    }
  }

  /// The marker at `path` if it belongs to a real, unfinished erasure (see above), else nil.
  func honouredErasure(_ path: String) -> ErasureMarker? {
    var st = stat()
    guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, sharing.problem(st, path: path, root: root) == nil,
      let data = try? readWholeFile(path), let marker = try? CaseJSON.decoder.decode(ErasureMarker.self, from: data),
      (path as NSString).lastPathComponent == ErasureMarker.prefix + marker.caseID.rawValue,
      let entries = try? journal.read(caseID: marker.caseID).entries,
      let intent = entries.first(where: { $0.action == .erase && $0.ref == marker.ref && $0.user == marker.user }),
      (try? users())?.user(marker.user)?.role == .coordinator
    else { return nil }
    if intent.state == .done {
      // Finished, then stopped before the marker went: it is only left over.
      unlink(path)
      return nil
    }
    return marker
  }

  /// Whether `word` stands in `text` as a whole word (not inside another: "Ali" is not in
  /// "quality"). Both are folded; letters and digits make words.
  static func containsWord(_ word: String, in text: String) -> Bool {
    let t = Array(text.unicodeScalars)
    let w = Array(word.unicodeScalars)
    guard !w.isEmpty, w.count <= t.count else { return false }
    func isWordChar(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil }
    for start in 0...(t.count - w.count) where Array(t[start..<start + w.count]) == w {
      let before = start == 0 || !isWordChar(t[start - 1])
      let after = start + w.count == t.count || !isWordChar(t[start + w.count])
      if before && after { return true }
    }
    return false
  }

  /// The same store without a signed-in user, for the store's own upkeep.
  var scopedOut: Store { viewer == nil ? self : Store(copying: self, viewer: nil) }
}
