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
}

extension Store {
  /// Erases a case for good (GDPR art. 17): its file, every trash copy, its index entry, and its
  /// place in training groups and job fairs. The journal keeps its earlier entries (they hold no
  /// personal data) and gets a tombstone with the reason, written before anything is removed.
  ///
  /// The reason must not hold the person's name: it stays in the journal.
  public func erase(_ id: CaseID, reason: String, by user: String, now: Date = Timestamp.now()) throws(StoreError)
    -> Erasure
  {
    try require(.erase, "erase cases")
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard reason.count >= 5 else {
      throw .invalid([ValidationIssue(path: "reason", problem: .required)])
    }
    let (paths, recipients) = try removeFiles(of: id, reason: reason, by: user, now: now)
    let store = scopedOut
    let records =
      try store.removeEntries(of: id, from: TrainingGroup.self, by: user, now: now)
      + store.removeEntries(of: id, from: JobFair.self, by: user, now: now)
    // The index is rebuilt without the case (its summary held the name).
    _ = try store.list()
    return Erasure(caseID: id, files: paths, records: records, recipients: recipients)
  }

  /// Under the lock: the tombstone, then every file of the case.
  private func removeFiles(of id: CaseID, reason: String, by user: String, now: Date) throws(StoreError)
    -> (paths: [String], recipients: [String])
  {
    let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
    defer { withExtendedLifetime(lock) {} }
    var paths: [String] = []
    if access(casesDirectory + "/" + id.fileName, F_OK) == 0 { paths.append("cases/" + id.fileName) }
    for name in Store.directoryEntries(trashDirectory).sorted()
    where name == id.fileName || (name.hasPrefix(id.rawValue + ".") && name.hasSuffix(".json.old")) {
      paths.append("trash/" + name)
    }
    guard !paths.isEmpty else { throw .notFound(id) }
    // Read every copy that still parses: the names to keep out of the reason, the recipients.
    var names: Set<String> = []
    var recipients: [String] = []
    for path in paths {
      guard let stored = try? read(path: root + "/" + path, fileName: id.fileName) else { continue }
      let p = stored.document.person
      for part in ([p.fullName, p.preferredName ?? ""]).flatMap({ $0.split(whereSeparator: \.isWhitespace) })
      where part.count >= 3 {
        names.insert(SearchText.fold(String(part)))
      }
      for d in stored.document.disclosures where d.recipient != Disclosure.toThePerson && !recipients.contains(d.recipient) {
        recipients.append(d.recipient)
      }
    }
    let folded = SearchText.fold(reason)
    if names.contains(where: { SearchText.contains(folded: folded, folded: $0) }) {
      throw .invalid([ValidationIssue(path: "reason", problem: .holdsName)])
    }
    try journal.append(JournalEntry(at: now, user: user, action: .erase, caseID: id, detail: reason))
    for path in paths {
      guard unlink(root + "/" + path) == 0 || errno == ENOENT else {
        throw .io(operation: "erase", file: path, errno: errno)
      }
    }
    try writer.syncDirectory(casesDirectory, file: id.fileName)
    try writer.syncDirectory(trashDirectory, file: id.fileName)
    return (paths, recipients)
  }

  /// The same store without a signed-in user, for the store's own upkeep.
  var scopedOut: Store { viewer == nil ? self : Store(copying: self, viewer: nil) }
}
