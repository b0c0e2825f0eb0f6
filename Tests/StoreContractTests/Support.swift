import Casework
import Foundation
import TestSupport
import Testing

@testable import CaseStore
@testable import PostgresStore

/// The two stores the contract holds for.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case folder, postgres
  var testDescription: String { rawValue }
}

/// A fresh store of one kind, with its first coordinator, and the means to reach it as another
/// login and to look at what it holds underneath Keten.
final class ContractStore {
  let kind: StoreKind
  /// Unique in the cluster: database logins are shared by every test database.
  let tag = "t" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
  let rules: CaseRules
  private(set) var store: Store!
  private var folderPath: String?
  private var dbname: String?

  var coordinator: String { tag + "_coord" }

  init(_ kind: StoreKind) throws {
    self.kind = kind
    rules = try CaseworkContent.chainRules(storeRoot: nil)
    switch kind {
    case .folder:
      let path = NSTemporaryDirectory() + "keten-contract-\(tag)/store"
      folderPath = path
      store = try Store(root: path, rules: rules)
      try store.saveUsers(
        UserRegistry(users: [StaffUser(login: coordinator, role: .coordinator, centre: nil, addedOn: .today(), addedBy: "test")]),
        basedOn: nil, by: "test", change: "first coordinator")
    case .postgres:
      dbname = try PGTestCluster.createDatabase()
      try PostgresBackend.initialise(conninfo: ownerInfo, coordinator: coordinator)
      try addLogin(coordinator)
      store = Store(backend: try PostgresBackend(conninfo: info(coordinator)), rules: rules)
    }
  }

  deinit {
    store = nil
    if let folderPath { try? FileManager.default.removeItem(atPath: (folderPath as NSString).deletingLastPathComponent) }
    if let dbname { try? PGTestCluster.admin("DROP DATABASE IF EXISTS \(dbname) WITH (FORCE)") }
  }

  var ownerInfo: String { info("keten_owner") }

  /// libpq settings reaching this test's database as `login`.
  func info(_ login: String) -> String { PGTestCluster.conninfo + " dbname=\(dbname ?? "") user=\(login)" }

  /// A database login in the staff group (nothing on a folder, where logins are OS logins).
  func addLogin(_ login: String) throws {
    guard kind == .postgres else { return }
    try PGTestCluster.addLogin(login)
  }

  /// Adds a Keten user (and, on a database, its login).
  func addUser(_ login: String, _ role: Role, centre: String? = nil) throws {
    try addLogin(login)
    let base = try store.users()
    var registry = base ?? UserRegistry(users: [])
    registry.users.append(StaffUser(login: login, role: role, centre: centre, addedOn: .today(), addedBy: coordinator))
    try store.saveUsers(registry, basedOn: base, by: coordinator, change: "added \(login)")
  }

  /// The store as `login` sees it: signed in, and on a database connected as that login.
  func signedIn(_ login: String) throws -> Store {
    switch kind {
    case .folder: return try store.signIn(login)
    case .postgres: return try Store(backend: try PostgresBackend(conninfo: info(login)), rules: rules).signIn(login)
    }
  }

  /// The case as stored, underneath Keten.
  func raw(_ id: CaseID) throws -> JSONValue {
    switch kind {
    case .folder:
      return try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: folderPath! + "/cases/" + id.fileName)))
    case .postgres:
      let rows = try PGConnection(ownerInfo).query("SELECT doc::text FROM keten.cases WHERE id = $1", [id.rawValue])
      return try JSONValue.parse(rows.data(0, 0))
    }
  }

  /// Replaces the stored case underneath Keten (a newer version's keys, a hand edit).
  func setRaw(_ id: CaseID, _ value: JSONValue) throws {
    let bytes = try value.serialized()
    switch kind {
    case .folder:
      try bytes.write(to: URL(fileURLWithPath: folderPath! + "/cases/" + id.fileName))
    case .postgres:
      try PGConnection(ownerInfo).query(
        "UPDATE keten.cases SET doc = $1::jsonb WHERE id = $2", [String(decoding: bytes, as: UTF8.self), id.rawValue])
    }
  }

  /// A case to create: a person of `centre`.
  static func draft(_ name: String, centre: String = "Gent", worker: String? = nil) -> CaseDocument {
    CaseDocument(
      id: CaseID(year: 2000, number: 0),
      person: Person(fullName: name, dateOfBirth: LocalDate("1991-02-28"), gender: .female, centre: centre, caseWorker: worker),
      procedure: Procedure(status: .asylumSeeker, applicationDate: LocalDate("2024-10-31")), stages: [.screening],
      createdBy: "")
  }
}

/// The StoreError `body` throws, or nil (recording an issue) when it throws none.
func storeError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
  thrown(StoreError.self, sourceLocation: sourceLocation, body)
}

enum CaseworkRulesForTests {
  static func rules() throws -> CaseRules { try CaseworkContent.chainRules(storeRoot: nil) }
}
