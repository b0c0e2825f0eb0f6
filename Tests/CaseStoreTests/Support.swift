import Foundation
import TestSupport
import Testing

@testable import CaseStore

/// A fresh store in its own temporary folder, removed when the test ends.
final class TempStore {
  let path: String
  let store: Store

  init(ops: FileOps = .system, rules: CaseRules = NoRules()) throws {
    path = NSTemporaryDirectory() + "keten-test-\(UUID().uuidString)/store"
    store = try Store(root: path, rules: rules, ops: ops)
  }

  deinit { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

  func casePath(_ id: CaseID) -> String { path + "/cases/" + id.fileName }

  func bytes(_ id: CaseID) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: casePath(id))) }

  func write(_ text: String, to name: String) throws {
    let path = self.path + "/cases/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
  }

  /// Creates a case with the given name (and every other field filled).
  @discardableResult
  func create(_ name: String = "Layla Al-Hassan") throws -> StoredCase {
    try store.create(sampleDocument(name: name), by: "an.peeters")
  }

  func mode(_ path: String) -> mode_t {
    var st = stat()
    lstat(path, &st)
    return st.st_mode & 0o777
  }
}

/// A document with every field set.
func sampleDocument(name: String) -> CaseDocument {
  var procedure = Procedure(status: .asylumSeeker, applicationDate: LocalDate("2025-10-31"))
  procedure.overrideWorkPermitDate(nil)
  var doc = CaseDocument(
    id: CaseID(year: 2000, number: 0),
    person: Person(
      fullName: name, preferredName: "Lay", dateOfBirth: LocalDate("1991-02-28"),
      gender: .female, nationality: "Syria", languages: ["ar", "en"], phone: "+32 470 12 34 56",
      centre: "Gent-Centrum", caseWorker: "an.peeters"),
    procedure: procedure, stages: [.screening, .bridging], createdBy: "an.peeters")
  doc.addNote(text: "Eerste gesprek 🙂", author: "an.peeters")
  return doc
}

let today = LocalDate("2026-11-22")!

/// The StoreError `body` throws, or nil (recording an issue) when it throws none.
func storeError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
  thrown(StoreError.self, sourceLocation: sourceLocation, body)
}
