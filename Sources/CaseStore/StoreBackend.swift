import Foundation

/// Where a store keeps what it holds: a folder (`FolderBackend`) or a PostgreSQL database
/// (`PostgresBackend`, in the PostgresStore module). `Store` puts the case documents' rules
/// (validation, revisions, roles, what a viewer may see) on top of either; a backend only keeps
/// documents and makes each change land whole with its journal entry.
///
/// The contract every backend keeps (and `StoreContractTests` checks on both):
/// - A replace lands only on the revision it was based on; anything else is a conflict (`.conflict`
///   for cases, `.recordConflict` for records and the users table), and nothing is written.
/// - Ids come from a counter per kind and year that never hands a number out twice, whatever
///   fails, and never an id the store ever used (an erased case's included).
/// - A change and its journal entry land together: an entry that reads as done exists exactly
///   when the change does.
/// - Unknown keys in a stored document are kept by a replace (the caller lays them back in the
///   bytes it hands over; a backend keeps every key of them: a folder the bytes themselves, a
///   database the same JSON as `jsonb`).
public protocol StoreBackend: AnyObject, Sendable {
  /// Where the store is, for messages: a folder path, or a database named without its password.
  var location: String { get }
  /// The folder of the store's own content (catalogs, programmes, settings), or nil when it has
  /// none (a database store uses the content Keten ships).
  var contentRoot: String? { get }
  /// The audit journal.
  var journal: any JournalStore { get }

  // MARK: Cases

  /// Every case's summary and every unreadable case, unscoped, in any order.
  func listCases(rules: CaseRules, progress: Store.ListProgress?) throws(StoreError) -> Listing
  /// The listing as last recorded (the folder's index), without reading documents; nil when
  /// there is none.
  func cachedListing(rules: CaseRules) -> Listing?
  /// Whether `cachedListing` may be behind the documents (a folder's index may be: the app then
  /// checks every file in the background) or hold only the first cases (a database's first
  /// page: the app then reads the rest in the background).
  var cachedListingMayBeStale: Bool { get }
  /// Whether `cachedListing` is the first cases by id rather than a recorded whole.
  var cachedListingIsFirstPage: Bool { get }
  /// Open mentoring pairs per mentor id over the whole store (whoever asks: places are the
  /// chain's), or nil when the store must work it out from a listing (a folder).
  func openPairsPerMentor() throws(StoreError) -> [String: Int]?
  /// One case, whole; `.notFound` when there is none.
  func readCase(_ id: CaseID) throws(StoreError) -> StoredCase
  /// Replaces `base` by `new` (bytes as they are to be stored; `rules` make its summary), with
  /// `entry` in the journal in the same step (none when the caller journalled the change
  /// itself). `.conflict` when the stored case is no longer `base`; `.notFound` when it is gone.
  func replaceCase(with new: StoredCase, rules: CaseRules, basedOn base: StoredCase, entry: JournalEntry?)
    throws(StoreError)
  /// Stores new cases, each given the next free id of its creation year and a `create` entry.
  /// With `durable: false` (demo data, imports) a backend may make the whole batch durable at
  /// once at the end.
  func createCases(_ documents: [CaseDocument], rules: CaseRules, by user: String, now: Date, durable: Bool)
    throws(StoreError) -> [StoredCase]
  /// Moves a case to the trash; `.notFound` when there is none.
  func trashCase(_ id: CaseID, entry: JournalEntry) throws(StoreError)
  /// Moves a case back from the trash; `.notInTrash`, or `.alreadyExists` when the id is in use.
  func restoreCase(_ id: CaseID, entry: JournalEntry) throws(StoreError)
  /// The cases in the trash with the day each went there, sorted by id.
  func trashedCases() -> [(id: CaseID, since: LocalDate)]
  /// A case in the trash; `.notInTrash` when there is none.
  func readTrashedCase(_ id: CaseID) throws(StoreError) -> StoredCase

  // MARK: Records

  /// Every record of a kind, sorted by id, and those that could not be read.
  func records<R: StoreRecord>(_ type: R.Type) throws(StoreError) -> (records: [StoredRecord<R>], damaged: [DamagedFile])
  /// One record; `.recordNotFound` when there is none.
  func record<R: StoreRecord>(_ type: R.Type, _ id: String) throws(StoreError) -> StoredRecord<R>
  /// Stores a new record with the next free id of `now`'s year and a `create` entry.
  func createRecord<R: StoreRecord>(_ record: R, by user: String, now: Date) throws(StoreError) -> StoredRecord<R>
  /// Replaces `base` by `bytes`, with `entry`; `.recordConflict` when the stored one is no longer
  /// `base`.
  func replaceRecord<R: StoreRecord>(_ record: R, bytes: Data, basedOn base: StoredRecord<R>, entry: JournalEntry)
    throws(StoreError)
  /// How many stored records were read rather than taken from what was kept (tests).
  var recordsRead: Int { get }

  // MARK: Users

  /// The users table as stored, or nil when the store has none yet.
  func usersData() throws(StoreError) -> Data?
  /// Replaces the users table, when it still is `expected` (nil: none yet), with `entry`.
  func writeUsers(_ registry: UserRegistry, expected: UserRegistry?, entry: JournalEntry) throws(StoreError)

  // MARK: Upkeep

  /// How many cases (trash included) and records the store holds.
  func contentCounts() -> (cases: Int, records: Int)
  /// What `keten check` finds: every document read and validated, and the backend's own
  /// guarantees (a folder's modes and links; a database's row-level security and grants).
  /// `progress` hears how many documents were checked now and then.
  func check(rules: CaseRules, today: LocalDate, progress: ((Int) -> Void)?) -> CheckReport

  // MARK: Live

  /// Starts hearing of changes other sessions commit (nil when the backend cannot tell).
  func watchChanges() -> (any ChangeWatcher)?
}

extension StoreBackend {
  public var cachedListingIsFirstPage: Bool { false }
  public func openPairsPerMentor() throws(StoreError) -> [String: Int]? { nil }

  public func watchChanges() -> (any ChangeWatcher)? { nil }
}

/// What other sessions changed since last asked.
public struct StoreChanges: Sendable, Equatable {
  /// Cases saved, created, moved to or from the trash, or erased.
  public var cases: Set<CaseID> = []
  /// Whether any record (a group, a mentor, an opening, …) changed.
  public var records = false

  public init(cases: Set<CaseID> = [], records: Bool = false) {
    self.cases = cases
    self.records = records
  }

  public var isEmpty: Bool { cases.isEmpty && !records }
}

/// Hears of changes as they are committed, on a thread of its own; the app asks now and then.
public protocol ChangeWatcher: Sendable {
  /// The changes heard since the last call (empty when none).
  func take() -> StoreChanges
  /// Stops listening.
  func stop()
}

/// The append-only audit journal a backend keeps.
public protocol JournalStore: Sendable {
  /// Appends one-line entries (reads, or entries whose change already landed).
  func append(_ entries: [JournalEntry], sync: Bool) throws(StoreError)
  /// Every entry, oldest first, intents resolved by their outcomes, and what could not be read.
  func readAll() throws(StoreError) -> (entries: [JournalEntry], damage: JournalDamage)
  /// The entries about one case, as `readAll` gives them.
  func read(caseID: CaseID) throws(StoreError) -> (entries: [JournalEntry], unreadable: Int)
}

extension JournalStore {
  /// Writes entries as intents, ahead of the change they describe (many at once: a bulk create).
  public func intend(_ entries: [JournalEntry], sync: Bool) throws(StoreError) -> [JournalIntent] {
    let marked = entries.map { e -> JournalEntry in
      var e = e
      e.ref = Journal.newRef()
      e.state = .intent
      return e
    }
    try append(marked, sync: sync)
    return marked.map { JournalIntent(entry: $0) }
  }

  /// Records the outcome of intents, as far as the store allows. It never throws: when the
  /// change landed, an outcome line that cannot be written leaves the intent unconfirmed, never
  /// failed; when it failed, the intent alone already reads as unconfirmed.
  public func finish(_ intents: [JournalIntent], ok: Bool, sync: Bool) {
    let lines = intents.map { intent -> JournalEntry in
      var e = JournalEntry(
        at: Timestamp.now(), user: intent.entry.user, action: intent.entry.action, caseID: intent.entry.caseID,
        record: intent.entry.record)
      e.ref = intent.entry.ref
      e.state = ok ? .done : .failed
      return e
    }
    try? append(lines, sync: sync)
  }

  public func append(_ entry: JournalEntry) throws(StoreError) { try append([entry], sync: true) }
  public func append(_ entries: [JournalEntry]) throws(StoreError) { try append(entries, sync: true) }

  /// Writes `entry` as an intent, ahead of the change it describes.
  public func intend(_ entry: JournalEntry) throws(StoreError) -> JournalIntent {
    try intend([entry], sync: true)[0]
  }

  public func finish(_ intents: [JournalIntent], ok: Bool) { finish(intents, ok: ok, sync: true) }

  /// Every readable entry and the number of lines that could not be read.
  public func read() throws(StoreError) -> (entries: [JournalEntry], unreadable: Int) {
    let r = try readAll()
    return (r.entries, r.damage.unreadable)
  }

  /// Runs `body` between an intent and its outcome: `failed` when it throws, `done` when not.
  public func journalled<T>(_ entry: JournalEntry, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    let intent = try intend(entry)
    let result: T
    do {
      result = try body()
    } catch {
      finish([intent], ok: false)
      throw error
    }
    finish([intent], ok: true)
    return result
  }
}

/// A backend that can make many changes land as one (a database transaction): a staged fill
/// (`Store.staged`) on it runs inside one, where a folder store stages files instead.
public protocol TransactionalBackend: StoreBackend {
  /// Runs `body` so that every change it makes through this backend lands, or none does.
  func allAtOnce<T>(_ body: () throws -> T) throws -> T
  /// Removes a case for good, in use or in the trash, with `entry`; `.notFound` when there is none.
  func deleteCase(_ id: CaseID, entry: JournalEntry) throws(StoreError)
}
