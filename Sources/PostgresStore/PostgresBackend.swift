import CaseStore
import Foundation
import Synchronization

/// The PostgreSQL store: one row per case (its document, revision and summary), one per record
/// and per user, and the journal as a table written in the same transaction as each change.
/// Row-level security (`PostgresSchema`) decides what each connected login sees and changes;
/// `Store` applies Keten's rules on top, as on a folder.
public final class PostgresBackend: TransactionalBackend, @unchecked Sendable {
  /// Serialises the connection: libpq's connections are not thread-safe. Recursive, for the
  /// steps of an `allAtOnce`.
  private let lock = NSRecursiveLock()
  /// How deep in transactions the connection is: only the outermost begins and ends one.
  private var depth = 0
  private let connection: PGConnection
  public let location: String
  /// The login the database authenticated this connection as: the Keten user it acts for.
  public let login: String
  /// Set for a trainer or mentor: their cases come cut down to their sections through
  /// `keten.partial_cases()` (the table shows them no row), and a mentor saves through
  /// `keten.save_check_ins`, which writes only the check-ins they add.
  private let seesPart: Bool
  private let decodes = Atomic<Int>(0)

  /// The store's own content (`keten.content`), written out once into a private folder
  /// (0700, files 0600) laid out as a folder store's, which the content loaders read and check
  /// as they read a folder's; nil when the store has none (it uses the content Keten ships).
  public var contentRoot: String? {
    materialized.withLock { cached in
      if let cached { return cached }
      let root = (try? transferContent()).flatMap { $0.isEmpty ? nil : Self.materialize($0) }
      cached = .some(root)
      return root
    }
  }
  private let materialized = Mutex<String??>(nil)

  /// Writes content files into a new private folder; nil when that cannot be done.
  static func materialize(_ files: [ContentFile]) -> String? {
    let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp")
    var template = Array((base + "/keten-content-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { return nil }
    let root = String(cString: made)
    do {
      try ContentFile.write(files, into: root, directoryMode: 0o700, fileMode: 0o600)
    } catch {
      try? FileManager.default.removeItem(atPath: root)
      return nil
    }
    return root
  }

  deinit {
    if case let root?? = materialized.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: root) }
  }
  public var journal: any JournalStore { PostgresJournal(backend: self) }

  /// Whether `store` names a database rather than a folder: a `postgresql://` or `postgres://`
  /// URI, or libpq `key=value` settings (`service=keten`, `host=… dbname=…`).
  public static func names(_ store: String) -> Bool {
    if store.hasPrefix("postgresql://") || store.hasPrefix("postgres://") { return true }
    let first = store.split(separator: " ").first ?? ""
    return ["service=", "host=", "dbname=", "hostaddr=", "user="].contains { first.hasPrefix($0) }
  }

  /// The settings this backend connected with (a watcher connects again with them).
  private let conninfo: String

  /// Connects and checks that the database holds a Keten store.
  public init(conninfo: String) throws(StoreError) {
    self.conninfo = conninfo
    connection = try PGConnection(conninfo)
    location = connection.described
    login = connection.user
    do {
      _ = try connection.query("SELECT value FROM keten.meta WHERE key = 'schema'")
      let role = try connection.query("SELECT keten.my_role()").string(0, 0)
      seesPart = role == Role.trainer.rawValue || role == Role.mentor.rawValue
    } catch {
      if error.sqlState == PGFailure.undefinedTable || error.sqlState == "3F000" {
        throw .notAStore(
          path: location,
          problem: "it holds no Keten store; its owner sets one up with `keten db-init --store …`")
      }
      throw Self.storeError(error, "open the store")
    }
  }

  /// Sets up (or brings up to date) the schema, its row-level security and grants, as the
  /// connected login, which becomes their owner; with `coordinator`, adds that login as the
  /// store's first coordinator when it has no users yet.
  public static func initialise(conninfo: String, coordinator: String?) throws(StoreError) {
    let connection = try PGConnection(conninfo)
    do {
      try connection.run("BEGIN")
      try connection.run(PostgresSchema.install)
      if let coordinator {
        let none = try connection.query("SELECT count(*) FROM keten.users").int(0, 0) == 0
        if none {
          let user = StaffUser(login: coordinator, role: .coordinator, centre: nil, addedOn: .today(), addedBy: connection.user)
          try upsertUser(user, position: 0, on: connection)
          try insert(
            JournalEntry(
              at: Timestamp.now(), user: connection.user, action: .users,
              detail: "created the users table with \(coordinator) as coordinator"),
            on: connection)
        }
      }
      try connection.run("COMMIT")
    } catch let failure as PGFailure {
      try? connection.run("ROLLBACK")
      throw storeError(failure, "set up the store")
    } catch let error as StoreError {
      try? connection.run("ROLLBACK")
      throw error
    } catch {
      try? connection.run("ROLLBACK")
      throw .database(operation: "set up the store", problem: "\(error)")
    }
  }

  /// What the database says of a login a coordinator adds as a Keten user: nil when all is
  /// ready, else what its DBA still has to do (the login is theirs to create).
  public func loginAdvice(_ login: String) -> String? {
    let quoted = "\"" + login.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    let state = try? withConnection("look up the login") { c throws(PGFailure) -> (Bool, Bool) in
      let rows = try c.query(
        "SELECT count(*) > 0, coalesce(bool_or(pg_has_role(oid, 'keten_staff', 'MEMBER')), false) FROM pg_roles WHERE rolname = $1",
        [login])
      return (rows.string(0, 0) == "t", rows.string(0, 1) == "t")
    }
    switch state {
    case (false, _)?:
      return "the database has no login \(login) yet; its DBA creates it: CREATE ROLE \(quoted) LOGIN PASSWORD '…' IN ROLE \(PostgresSchema.staffRole);"
    case (true, false)?:
      return "the database login \(login) is not in \(PostgresSchema.staffRole) and cannot reach the store; its DBA runs: GRANT \(PostgresSchema.staffRole) TO \(quoted);"
    default:
      return nil
    }
  }

  // MARK: Connection

  /// Runs `body` on the connection, alone; a refusal becomes a `StoreError` naming `operation`.
  func withConnection<T>(_ operation: String, _ body: (PGConnection) throws(PGFailure) -> T) throws(StoreError) -> T {
    lock.lock()
    defer { lock.unlock() }
    if !connection.isOK { connection.reset() }
    do {
      return try body(connection)
    } catch {
      throw Self.storeError(error, operation)
    }
  }

  /// Runs `body` in one transaction: everything it wrote lands, or nothing. A `StoreError` it
  /// throws (a conflict) rolls back as a refusal does.
  func transaction<T>(_ operation: String, _ body: (PGConnection) throws -> T) throws(StoreError) -> T {
    lock.lock()
    defer { lock.unlock() }
    let outermost = depth == 0
    if outermost && !connection.isOK { connection.reset() }
    depth += 1
    defer { depth -= 1 }
    do {
      if outermost { try connection.run("BEGIN") }
      let result = try body(connection)
      if outermost { try connection.run("COMMIT") }
      return result
    } catch let error as StoreError {
      if outermost { try? connection.run("ROLLBACK") }
      throw error
    } catch let failure as PGFailure {
      if outermost { try? connection.run("ROLLBACK") }
      throw Self.storeError(failure, operation)
    } catch {
      if outermost { try? connection.run("ROLLBACK") }
      throw .database(operation: operation, problem: "\(error)")
    }
  }

  public func allAtOnce<T>(_ body: () throws -> T) throws -> T {
    // The caller's own errors pass through as they are; a refusal by the database rolls all back.
    var thrown: (any Error)?
    do {
      return try transaction("make the changes at once") { _ -> T in
        do {
          return try body()
        } catch let error as StoreError {
          throw error
        } catch {
          thrown = error
          throw StoreError.database(operation: "make the changes at once", problem: "stopped by an error")
        }
      }
    } catch {
      throw thrown ?? error
    }
  }

  static func storeError(_ failure: PGFailure, _ operation: String) -> StoreError {
    if failure.sqlState == PGFailure.insufficientPrivilege {
      return .database(
        operation: operation,
        problem: "the database refused it for this login (\(failure.message))")
    }
    if failure.sqlState == PGFailure.lockNotAvailable {
      return .database(
        operation: operation,
        problem:
          "another session has held a lock on Keten's tables for over \(PGConnection.lockTimeout); nothing was changed. Try again; a DBA finds the session in pg_locks")
    }
    return .database(operation: operation, problem: "\(failure.message) (SQLSTATE \(failure.sqlState))")
  }

  /// The journal entry's row, added in the transaction of its change.
  static func insert(_ entry: JournalEntry, on c: PGConnection) throws {
    let line = String(decoding: try Journal.encode(entry), as: UTF8.self)
    try c.query(
      "INSERT INTO keten.journal (case_id, record_id, entry) VALUES ($1, $2, $3::jsonb)",
      [entry.caseID?.rawValue, entry.record, line])
  }

  // MARK: Cases

  /// The columns row-level security decides on, and the summary, for a document.
  static func caseColumns(_ document: CaseDocument, rules: CaseRules) -> [String?] {
    let summary = CaseSummary(document: document, rules: rules)
    return [
      SummaryLine.text(summary), rules.version, SearchText.fold(document.person.centre ?? ""),
      document.person.caseWorker ?? "", document.isClosed ? "" : (document.openPair?.mentor ?? ""),
    ]
  }

  public func listCases(rules: CaseRules, progress: Store.ListProgress?) throws(StoreError) -> Listing {
    try listCases(rules: rules, progress: progress, first: nil)
  }

  /// The whole listing, or its first `first` cases by id (what fills the app's first screens).
  private func listCases(rules: CaseRules, progress: Store.ListProgress?, first: Int?) throws(StoreError) -> Listing {
    if seesPart { return try listPartCases(rules: rules, progress: progress) }
    return try withConnection("list the cases") { c throws(PGFailure) -> Listing in
      let rows = try c.query(
        "SELECT summary, rules_version = $1, id FROM keten.cases WHERE trashed_on IS NULL ORDER BY id"
          + (first.map { " LIMIT \($0)" } ?? ""), [rules.version])
      var total = 0
      var fresh: [Int] = []
      var stale: [Int] = []
      fresh.reserveCapacity(rows.count)
      for i in 0..<rows.count {
        if rows.bytes(i, 1).first == UInt8(ascii: "t") {
          fresh.append(i)
          total += rows.bytes(i, 0).count + 1
        } else {
          stale.append(i)
        }
      }
      var cases =
        SummaryLine.summaries(count: total) { buffer in
          var at = 0
          for i in fresh {
            let b = rows.bytes(i, 0)
            if b.count > 0 {
              UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[at..<at + b.count]))
                .copyMemory(from: UnsafeRawBufferPointer(b))
            }
            buffer[at + b.count] = 10
            at += b.count + 1
          }
        } ?? []
      var damaged: [DamagedFile] = []
      // Summaries made under other rules (an upgrade) or not made at all (a mentor's check-in
      // leaves its case's to whoever sees it whole): made again from the documents, read in one
      // query, and kept, so that the next listing finds them made.
      if !stale.isEmpty {
        let docs = try c.query(
          "SELECT id, doc::text, revision FROM keten.cases WHERE id = ANY ($1::text[])",
          [Self.array(stale.map { rows.string($0, 2) ?? "" })])
        for i in 0..<docs.count {
          guard let caseID = try? CaseID(docs.string(i, 0) ?? "") else { continue }
          do {
            let stored = try StoredCase.decoded(from: docs.data(i, 1), id: caseID)
            let summary = CaseSummary(document: stored.document, rules: rules)
            cases.append(summary)
            _ = try? c.query(
              "UPDATE keten.cases SET summary = $1, rules_version = $2 WHERE id = $3 AND revision = $4 AND rules_version <> $2",
              [SummaryLine.text(summary), rules.version, caseID.rawValue, docs.string(i, 2)])
          } catch {
            damaged.append(DamagedFile(file: caseID.fileName, problem: (error as? StoreError)?.description ?? "it could not be read"))
          }
        }
      }
      progress?.add(rows.count)
      return Listing(cases: cases, damaged: damaged, reread: stale.count)
    }
  }

  /// A trainer's or mentor's cases, as they see them, summarised here (a few dozen: the
  /// summaries kept in the table are made from whole cases).
  private func listPartCases(rules: CaseRules, progress: Store.ListProgress?) throws(StoreError) -> Listing {
    try withConnection("list the cases") { c throws(PGFailure) -> Listing in
      let rows = try c.query("SELECT id, doc::text FROM keten.partial_cases() WHERE trashed_on IS NULL")
      var cases: [CaseSummary] = []
      var damaged: [DamagedFile] = []
      for i in 0..<rows.count {
        guard let caseID = try? CaseID(rows.string(i, 0) ?? "") else { continue }
        do {
          cases.append(CaseSummary(document: try StoredCase.decoded(from: rows.data(i, 1), id: caseID).document, rules: rules))
        } catch {
          damaged.append(DamagedFile(file: caseID.fileName, problem: (error as? StoreError)?.description ?? "it could not be read"))
        }
      }
      progress?.add(rows.count)
      return Listing(cases: cases, damaged: damaged, reread: rows.count)
    }
  }

  /// The first cases by id, at once: at 100,000 cases the whole listing takes most of a second,
  /// and the app fetches the rest in the background (`cachedListingMayBeStale`).
  public func cachedListing(rules: CaseRules) -> Listing? {
    try? listCases(rules: rules, progress: nil, first: Self.firstPage)
  }

  public func openPairsPerMentor() throws(StoreError) -> [String: Int]? {
    try withConnection("count the mentors' open pairs") { c throws(PGFailure) -> [String: Int] in
      let rows = try c.query("SELECT mentor, pairs FROM keten.open_pairs_per_mentor()")
      var counts: [String: Int] = [:]
      for i in 0..<rows.count { counts[rows.string(i, 0) ?? ""] = rows.int(i, 1) ?? 0 }
      return counts
    }
  }

  /// How many cases the app's first frame reads before the rest.
  static let firstPage = 2_000

  public var cachedListingMayBeStale: Bool { true }
  public var cachedListingIsFirstPage: Bool { true }

  public func readCase(_ id: CaseID) throws(StoreError) -> StoredCase {
    guard let data = try caseDocument(id, inTrash: false) else { throw .notFound(id) }
    return try StoredCase.decoded(from: data, id: id)
  }

  /// A case's stored document, in use or in the trash; nil when there is none.
  private func caseDocument(_ id: CaseID, inTrash: Bool) throws(StoreError) -> Data? {
    try withConnection("read \(id)") { c throws(PGFailure) -> Data? in
      let rows = try c.query(
        seesPart
          ? "SELECT doc::text FROM keten.partial_cases($1) WHERE (trashed_on IS NOT NULL) = $2"
          : "SELECT doc::text FROM keten.cases WHERE id = $1 AND (trashed_on IS NOT NULL) = $2",
        [id.rawValue, inTrash ? "t" : "f"])
      return rows.count == 1 ? rows.data(0, 0) : nil
    }
  }

  public func replaceCase(with new: StoredCase, rules: CaseRules, basedOn base: StoredCase, entry: JournalEntry?)
    throws(StoreError)
  {
    if seesPart {
      try saveCheckIns(new, basedOn: base, entry: entry)
      return
    }
    let columns = Self.caseColumns(new.document, rules: rules)
    let doc = String(decoding: new.bytes, as: UTF8.self)
    // A save the caller journals itself (an export's disclosure, after its intent) still gets
    // its change entry here: the database takes no change without one in its transaction.
    let entry = entry ?? JournalEntry(
      at: new.document.updatedAt, user: new.document.updatedBy, action: .change, caseID: base.id, revision: new.revision,
      paths: ["disclosures[\(max(0, new.document.disclosures.count - 1))]"])
    try transaction("save \(base.id)") { c in
      let updated = try c.query(
        """
        UPDATE keten.cases SET doc = $1::jsonb, revision = $2, summary = $3, rules_version = $4, centre_key = $5,
          case_worker = $6, mentor = $7
        WHERE id = $8 AND revision = $9 AND trashed_on IS NULL
        """,
        [doc, String(new.revision)] + columns + [base.id.rawValue, String(base.revision)])
      guard updated.affected == 1 else { throw try Self.caseConflict(base, on: c) }
      try Self.insert(entry, on: c)
    }
  }

  /// A mentor's save: the database writes the check-ins it adds to their own open pairs, and
  /// nothing else (a trainer's is refused there).
  private func saveCheckIns(_ new: StoredCase, basedOn base: StoredCase, entry: JournalEntry?) throws(StoreError) {
    guard let entry else { throw .notPermitted(what: "change case files", role: .mentor) }
    let line = String(decoding: try Journal.encode(entry), as: UTF8.self)
    let revision = try transaction("save \(base.id)") { c in
      try c.query(
        "SELECT keten.save_check_ins($1, $2, $3::jsonb, $4::jsonb)",
        [base.id.rawValue, String(base.revision), String(decoding: new.bytes, as: UTF8.self), line]
      ).int(0, 0) ?? -1
    }
    switch revision {
    case -1: throw .notFound(base.id)
    case 0: throw .conflict(base.id, basedOn: base.revision, stored: base.revision + 1, by: "someone else", at: Date())
    default: return
    }
  }

  /// Why an update matched no row: the case changed (a conflict naming who and when) or is gone.
  private static func caseConflict(_ base: StoredCase, on c: PGConnection) throws -> StoreError {
    let rows = try c.query(
      "SELECT revision, doc->>'updatedBy', doc->>'updatedAt' FROM keten.cases WHERE id = $1 AND trashed_on IS NULL",
      [base.id.rawValue])
    guard rows.count == 1 else { return .notFound(base.id) }
    return .conflict(
      base.id, basedOn: base.revision, stored: rows.int(0, 0) ?? base.revision, by: rows.string(0, 1) ?? "someone",
      at: rows.string(0, 2).flatMap(Timestamp.parse) ?? Date())
  }

  public func createCases(_ documents: [CaseDocument], rules: CaseRules, by user: String, now: Date, durable: Bool)
    throws(StoreError) -> [StoredCase]
  {
    // One transaction for a batch: every case lands with its entry, or none.
    try transaction("create cases") { c in
      var created: [StoredCase] = []
      created.reserveCapacity(documents.count)
      for var document in documents {
        let year = LocalDate.today(document.createdAt).year
        while true {
          let number = try c.query("SELECT keten.next_id('K', $1)", [String(year)]).int(0, 0) ?? 0
          document.id = CaseID(year: year, number: number)
          let stored = try StoredCase.new(document)
          let inserted = try c.query(
            """
            INSERT INTO keten.cases (id, revision, doc, summary, rules_version, centre_key, case_worker, mentor)
            VALUES ($1, 1, $2::jsonb, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING
            """,
            [document.id.rawValue, String(decoding: stored.bytes, as: UTF8.self)] + Self.caseColumns(document, rules: rules))
          // An id already taken (a store migrated in with its counters behind): the next one.
          guard inserted.affected == 1 else { continue }
          try Self.insert(JournalEntry(at: now, user: user, action: .create, caseID: document.id, revision: 1), on: c)
          created.append(stored)
          break
        }
      }
      return created
    }
  }

  public func trashCase(_ id: CaseID, entry: JournalEntry) throws(StoreError) {
    try transaction("move \(id) to the trash") { c in
      let moved = try c.query(
        "UPDATE keten.cases SET trashed_on = $2::date WHERE id = $1 AND trashed_on IS NULL",
        [id.rawValue, LocalDate.today(entry.at).description])
      guard moved.affected == 1 else { throw StoreError.notFound(id) }
      try Self.insert(entry, on: c)
    }
  }

  public func restoreCase(_ id: CaseID, entry: JournalEntry) throws(StoreError) {
    try transaction("restore \(id)") { c in
      let moved = try c.query(
        "UPDATE keten.cases SET trashed_on = NULL WHERE id = $1 AND trashed_on IS NOT NULL", [id.rawValue])
      // One row per id: a case in the trash is never also in use, so only "not in the trash" is left.
      guard moved.affected == 1 else { throw StoreError.notInTrash(id) }
      try Self.insert(entry, on: c)
    }
  }

  public func deleteCase(_ id: CaseID, entry: JournalEntry) throws(StoreError) {
    try transaction("erase \(id)") { c in
      // Through the schema's function: staff hold no DELETE on the table (see `updatableColumns`).
      let deleted = try c.query("SELECT keten.erase_case($1)", [id.rawValue])
      guard deleted.int(0, 0) == 1 else { throw StoreError.notFound(id) }
      try Self.insert(entry, on: c)
    }
  }

  public func trashedCases() -> [(id: CaseID, since: LocalDate)] {
    (try? withConnection("list the trash") { c throws(PGFailure) -> [(id: CaseID, since: LocalDate)] in
      let rows = try c.query("SELECT id, trashed_on::text FROM keten.cases WHERE trashed_on IS NOT NULL ORDER BY id")
      return (0..<rows.count).compactMap { i in
        guard let id = rows.string(i, 0).flatMap({ try? CaseID($0) }),
          let since = rows.string(i, 1).flatMap(LocalDate.init)
        else { return nil }
        return (id, since)
      }.sorted { $0.id < $1.id }
    }) ?? []
  }

  public func readTrashedCase(_ id: CaseID) throws(StoreError) -> StoredCase {
    guard let data = try caseDocument(id, inTrash: true) else { throw .notInTrash(id) }
    return try StoredCase.decoded(from: data, id: id)
  }

  // MARK: Records

  public func records<R: StoreRecord>(_ type: R.Type) throws(StoreError) -> (
    records: [StoredRecord<R>], damaged: [DamagedFile]
  ) {
    let rows = try transferRecords(R.kind)
    var records: [StoredRecord<R>] = []
    var damaged: [DamagedFile] = []
    for (id, data) in rows {
      decodes.add(1, ordering: .relaxed)
      do {
        records.append(try StoredRecord<R>.decode(data, fileName: try Store.recordFileName(id)))
      } catch {
        damaged.append(DamagedFile(file: R.kind.folder + "/" + id, problem: error.description))
      }
    }
    return (records, damaged)
  }

  public var recordsRead: Int { decodes.load(ordering: .relaxed) }

  public func record<R: StoreRecord>(_ type: R.Type, _ id: String) throws(StoreError) -> StoredRecord<R> {
    let name = try Store.recordFileName(id)
    let data = try withConnection("read \(id)") { c throws(PGFailure) -> Data? in
      let rows = try c.query("SELECT doc::text FROM keten.records WHERE kind = $1 AND id = $2", [R.kind.prefix, id])
      return rows.count == 1 ? rows.data(0, 0) : nil
    }
    guard let data else { throw .recordNotFound(noun: R.kind.noun, id: id) }
    decodes.add(1, ordering: .relaxed)
    return try StoredRecord<R>.decode(data, fileName: name)
  }

  public func createRecord<R: StoreRecord>(_ draft: R, by user: String, now: Date) throws(StoreError) -> StoredRecord<R> {
    let year = LocalDate.today(now).year
    return try transaction("create a \(R.kind.noun)") { c in
      var record = draft
      while true {
        let number = try c.query("SELECT keten.next_id($1, $2)", [R.kind.prefix, String(year)]).int(0, 0) ?? 0
        record.id = R.kind.id(year: year, number: number)
        let bytes = try Store.recordBytes(record, name: try Store.recordFileName(record.id))
        let inserted = try c.query(
          "INSERT INTO keten.records (id, kind, revision, doc) VALUES ($1, $2, 1, $3::jsonb) ON CONFLICT (id) DO NOTHING",
          [record.id, R.kind.prefix, String(decoding: bytes, as: UTF8.self)])
        guard inserted.affected == 1 else { continue }
        try Self.insert(JournalEntry(at: now, user: user, action: .create, record: record.id, revision: 1), on: c)
        return try StoredRecord<R>.decode(bytes, fileName: try Store.recordFileName(record.id))
      }
    }
  }

  public func replaceRecord<R: StoreRecord>(_ record: R, bytes: Data, basedOn base: StoredRecord<R>, entry: JournalEntry)
    throws(StoreError)
  {
    try transaction("save \(base.id)") { c in
      let updated = try c.query(
        "UPDATE keten.records SET doc = $1::jsonb, revision = $2 WHERE kind = $3 AND id = $4 AND revision = $5",
        [String(decoding: bytes, as: UTF8.self), String(record.revision), R.kind.prefix, base.id, String(base.revision)])
      guard updated.affected == 1 else {
        let rows = try c.query("SELECT doc::text FROM keten.records WHERE kind = $1 AND id = $2", [R.kind.prefix, base.id])
        guard rows.count == 1 else { throw StoreError.recordNotFound(noun: R.kind.noun, id: base.id) }
        let current = try? StoredRecord<R>.decode(rows.data(0, 0), fileName: try Store.recordFileName(base.id)).record
        throw StoreError.recordConflict(
          noun: R.kind.noun, id: base.id, basedOn: base.revision, stored: current?.revision ?? base.revision,
          by: current?.updatedBy ?? "someone", at: current?.updatedAt ?? Date())
      }
      try Self.insert(entry, on: c)
    }
  }

  // MARK: Users

  public func usersData() throws(StoreError) -> Data? {
    try withConnection("read the users") { c throws(PGFailure) -> Data? in try Self.usersTable(on: c) }
  }

  /// The users table as the folder's users file holds it (nil when it has no rows).
  private static func usersTable(on c: PGConnection) throws(PGFailure) -> Data? {
    let rows = try c.query("SELECT doc::text FROM keten.users ORDER BY position, login")
    guard rows.count > 0 else { return nil }
    var joined = Data("{\"version\":1,\"users\":[".utf8)
    for i in 0..<rows.count {
      if i > 0 { joined.append(UInt8(ascii: ",")) }
      joined.append(rows.data(i, 0))
    }
    joined.append(contentsOf: "]}".utf8)
    return joined
  }

  /// Adds a user, or replaces the one of that login.
  static func upsertUser(_ user: StaffUser, position: Int, on c: PGConnection) throws {
    try c.query(
      """
      INSERT INTO keten.users (login, role, centre_key, position, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
      ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role, centre_key = EXCLUDED.centre_key,
        position = EXCLUDED.position, doc = EXCLUDED.doc
      """,
      [user.login, user.role.rawValue, SearchText.fold(user.centre ?? ""), String(position),
       String(decoding: try user.encoded(), as: UTF8.self)])
  }

  public func writeUsers(_ registry: UserRegistry, expected: UserRegistry?, entry: JournalEntry) throws(StoreError) {
    try transaction("change the users") { c in
      // One change to the users at a time: a row lock the function takes (staff may not LOCK the table).
      try c.run("SELECT keten.lock_users()")
      let current = try Self.usersTable(on: c).map(UserRegistry.decode)
      var comparable = expected
      comparable?.group = nil
      guard current == comparable else {
        throw StoreError.recordConflict(
          noun: "users table", id: "keten.users", basedOn: 0, stored: 0, by: "someone", at: Date())
      }
      try c.query("SELECT keten.keep_users($1::text[])", [Self.array(registry.users.map(\.login))])
      for (position, user) in registry.users.enumerated() { try Self.upsertUser(user, position: position, on: c) }
      try Self.insert(entry, on: c)
    }
  }

  /// A text array literal for `$n::text[]`.
  static func array(_ values: [String]) -> String {
    "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
      .joined(separator: ",") + "}"
  }

  // MARK: Upkeep

  public func contentCounts() -> (cases: Int, records: Int) {
    (try? withConnection("count the store") { c throws(PGFailure) -> (Int, Int) in
      let rows = try c.query("SELECT (SELECT count(*) FROM keten.cases), (SELECT count(*) FROM keten.records)")
      return (rows.int(0, 0) ?? 0, rows.int(0, 1) ?? 0)
    }) ?? (0, 0)
  }

  public func check(rules: CaseRules, today: LocalDate, progress: ((Int) -> Void)?) -> CheckReport {
    PostgresCheck(backend: self).run(rules: rules, today: today, progress: progress)
  }

  public func watchChanges() -> (any ChangeWatcher)? { PostgresChangeWatcher(conninfo: conninfo) }
}

/// The journal table.
struct PostgresJournal: JournalStore {
  let backend: PostgresBackend

  func append(_ entries: [JournalEntry], sync: Bool) throws(StoreError) {
    guard !entries.isEmpty else { return }
    try backend.transaction("write the journal") { c in
      for entry in entries { try PostgresBackend.insert(entry, on: c) }
    }
  }

  func readAll() throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage) {
    try read(where: nil)
  }

  func read(caseID: CaseID) throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let r = try read(where: caseID.rawValue)
    return (r.entries, r.damage.unreadable)
  }

  private func read(where caseID: String?) throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage) {
    let lines = try backend.journalLines(caseID: caseID)
    var entries: [JournalEntry] = []
    var damage = JournalDamage()
    for (i, line) in lines.enumerated() {
      if let entry = Journal.decode(line) { entries.append(entry) } else { damage.garbage.append(i + 1) }
    }
    return (Journal.resolved(entries), damage)
  }
}

// MARK: Moving a whole store

extension PostgresBackend: TransferableBackend {
  public func transferCases(_ body: ([TransferredCase]) throws -> Void) throws {
    var after = ""
    while true {
      let batch = try withConnection("read the cases") { c throws(PGFailure) -> [TransferredCase] in
        let rows = try c.query(
          """
          SELECT id, doc::text, trashed_on::text FROM keten.cases WHERE id COLLATE "C" > $1
          ORDER BY id COLLATE "C" LIMIT 500
          """, [after])
        return (0..<rows.count).compactMap { i in
          guard let id = rows.string(i, 0).flatMap({ try? CaseID($0) }) else { return nil }
          return TransferredCase(id: id, bytes: rows.data(i, 1), trashedOn: rows.string(i, 2).flatMap(LocalDate.init))
        }
      }
      guard let last = batch.last else { return }
      try body(batch)
      after = last.id.rawValue
    }
  }

  public func transferRecords(_ kind: RecordKind) throws(StoreError) -> [(id: String, bytes: Data)] {
    try withConnection("read the \(kind.noun)s") { c throws(PGFailure) -> [(id: String, bytes: Data)] in
      let rows = try c.query("SELECT id, doc::text FROM keten.records WHERE kind = $1 ORDER BY id", [kind.prefix])
      return (0..<rows.count).map { (rows.string($0, 0) ?? "", rows.data($0, 1)) }
    }
  }

  /// The journal's rows as written, oldest first (those about one case, when given).
  func journalLines(caseID: String? = nil) throws(StoreError) -> [Data] {
    try withConnection("read the journal") { c throws(PGFailure) -> [Data] in
      let rows =
        if let caseID {
          try c.query("SELECT entry::text FROM keten.journal WHERE case_id = $1 ORDER BY seq", [caseID])
        } else {
          try c.query("SELECT entry::text FROM keten.journal ORDER BY seq")
        }
      return (0..<rows.count).map { rows.data($0, 0) }
    }
  }

  public func transferJournal() throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let lines = try journalLines()
    let entries = lines.compactMap(Journal.decode)
    return (entries, lines.count - entries.count)
  }

  public func transferCounters() throws(StoreError) -> [String: Int] {
    try withConnection("read the id counters") { c throws(PGFailure) -> [String: Int] in
      let rows = try c.query("SELECT prefix, year, last FROM keten.id_counters()")
      var out: [String: Int] = [:]
      for i in 0..<rows.count {
        let prefix = rows.string(i, 0) ?? "", year = rows.string(i, 1) ?? ""
        out[prefix == "K" ? year : prefix + "-" + year] = rows.int(i, 2) ?? 0
      }
      return out
    }
  }

  public func transferContents() throws(StoreError) -> String? {
    try withConnection("look into the store") { c throws(PGFailure) -> String? in
      let rows = try c.query(
        """
        SELECT (SELECT count(*) FROM keten.cases), (SELECT count(*) FROM keten.records),
          (SELECT count(*) FROM keten.users), (SELECT count(*) FROM keten.journal), (SELECT count(*) FROM keten.content)
        """)
      let names = ["case(s)", "record(s)", "user(s)", "journal entries", "content file(s)"]
      let held = (0..<5).compactMap { i in (rows.int(0, i) ?? 0) > 0 ? "\(rows.int(0, i)!) \(names[i])" : nil }
      return held.isEmpty ? nil : held.joined(separator: ", ")
    }
  }

  /// In one transaction, as the database's owner (only it may set id counters, and row-level
  /// security does not bind it).
  public func transferContent() throws(StoreError) -> [ContentFile] {
    try withConnection("read the store's content") { c throws(PGFailure) -> [ContentFile] in
      let rows = try c.query("SELECT path, encode(body, 'base64') FROM keten.content ORDER BY path")
      return (0..<rows.count).compactMap { i in
        // PostgreSQL breaks base64 into lines of 76.
        guard let path = rows.string(i, 0), let text = rows.string(i, 1),
          let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters)
        else { return nil }
        return ContentFile(path: path, bytes: bytes)
      }
    }
  }

  /// Replaces the store's own content with `files` (as the owner: `keten db-init --content`).
  public static func replaceContent(conninfo: String, with files: [ContentFile]) throws(StoreError) {
    let backend = try PostgresBackend(conninfo: conninfo)
    try backend.transaction("replace the store's content") { c in
      try c.run("DELETE FROM keten.content")
      try insertContent(files, on: c)
    }
  }

  static func insertContent(_ files: [ContentFile], on c: PGConnection) throws {
    for file in files {
      try c.query(
        "INSERT INTO keten.content (path, body) VALUES ($1, decode($2, 'base64'))",
        [file.path, file.bytes.base64EncodedString()])
    }
  }

  public func receive(_ source: any TransferableBackend, rules: CaseRules, content: Bool, progress: ((Int) -> Void)?) throws {
    let files = content ? try source.transferContent() : []
    let counters = try source.transferCounters()
    let users = try source.usersData().map(UserRegistry.decode)
    let journal = try source.transferJournal().entries
    try transaction("take in the store") { c in
      for (key, last) in counters {
        guard let (prefix, year) = Self.counterKey(key) else { continue }
        try c.query("SELECT keten.raise_counter($1, $2, $3)", [prefix, String(year), String(last)])
      }
      for (position, user) in (users?.users ?? []).enumerated() { try Self.upsertUser(user, position: position, on: c) }
      try Self.insertContent(files, on: c)
      for kind in Store.recordKinds {
        for (id, bytes) in try source.transferRecords(kind) {
          let revision = (try? JSONValue.parse(bytes))?["revision"].flatMap { if case .int(let n) = $0 { Int(n) } else { nil } } ?? 1
          try c.query(
            "INSERT INTO keten.records (id, kind, revision, doc) VALUES ($1, $2, $3, $4::jsonb)",
            [id, kind.prefix, String(revision), String(decoding: bytes, as: UTF8.self)])
        }
      }
      var moved = 0
      try source.transferCases { batch in
        for item in batch {
          let stored = try StoredCase.decoded(from: item.bytes, id: item.id)
          try c.query(
            """
            INSERT INTO keten.cases (id, revision, doc, summary, rules_version, centre_key, case_worker, mentor, trashed_on)
            VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9::date)
            """,
            [item.id.rawValue, String(stored.revision), String(decoding: item.bytes, as: UTF8.self)]
              + Self.caseColumns(stored.document, rules: rules) + [item.trashedOn?.description])
        }
        moved += batch.count
        progress?(moved)
      }
      for entry in journal {
        let line = String(decoding: try Journal.encode(entry), as: UTF8.self)
        try c.query(
          "INSERT INTO keten.journal (login, case_id, record_id, entry) VALUES ($1, $2, $3, $4::jsonb)",
          [entry.user, entry.caseID?.rawValue, entry.record, line])
      }
    }
  }

  /// `("K", 2026)` for a folder sequence's `2026`, `("G", 2026)` for `G-2026`.
  static func counterKey(_ key: String) -> (String, Int)? {
    if key.count == 4, let year = Int(key) { return ("K", year) }
    let parts = key.split(separator: "-")
    guard parts.count == 2, parts[0].count == 1, let year = Int(parts[1]) else { return nil }
    return (String(parts[0]), year)
  }
}
