import Foundation

/// What the case list shows of one case, kept in the index so listing needs no document parse.
public struct CaseSummary: Equatable, Sendable {
  public var id: CaseID
  public var revision: Int
  public var schemaVersion: Int
  public var fullName: String
  public var preferredName: String
  public var gender: Gender
  public var dateOfBirth: LocalDate?
  public var nationality: String
  public var centre: String
  public var caseWorker: String
  public var procedureStatus: ProcedureStatus?
  public var stages: [ChainStage]
  /// Every dated item of the case, sorted by date (see `nextDue(today:)`).
  public var dueItems: [DueItem]
  public var closedOn: LocalDate?
  public var updatedAt: String
  public var updatedBy: String
  /// Folded name, preferred name, id, nationality, phone and note texts, for search.
  public var searchKey: String
  /// The record id of the mentor of the open mentoring pair, or empty.
  public var mentor: String = ""
  /// Mentoring pairs in the case, open or closed (reports read only cases that have some).
  public var pairCount: Int = 0
  /// What reports count (`CaseRules.facts`), e.g. `isced=3`, `hire=2026-03-02|employed-same`.
  public var facts: [String] = []

  init(
    id: CaseID, revision: Int, schemaVersion: Int, fullName: String, preferredName: String,
    gender: Gender, dateOfBirth: LocalDate?, nationality: String, centre: String,
    caseWorker: String, procedureStatus: ProcedureStatus?, stages: [ChainStage],
    dueItems: [DueItem], closedOn: LocalDate?, updatedAt: String, updatedBy: String,
    searchKey: String
  ) {
    self.id = id
    self.revision = revision
    self.schemaVersion = schemaVersion
    self.fullName = fullName
    self.preferredName = preferredName
    self.gender = gender
    self.dateOfBirth = dateOfBirth
    self.nationality = nationality
    self.centre = centre
    self.caseWorker = caseWorker
    self.procedureStatus = procedureStatus
    self.stages = stages
    self.dueItems = dueItems
    self.closedOn = closedOn
    self.updatedAt = updatedAt
    self.updatedBy = updatedBy
    self.searchKey = searchKey
  }

  public init(document d: CaseDocument, rules: CaseRules) {
    id = d.id
    revision = d.revision
    schemaVersion = d.schemaVersion
    fullName = d.person.fullName
    preferredName = d.person.preferredName ?? ""
    gender = d.person.gender
    dateOfBirth = d.person.dateOfBirth
    nationality = d.person.nationality ?? ""
    centre = d.person.centre ?? ""
    caseWorker = d.person.caseWorker ?? ""
    procedureStatus = d.procedure.status
    stages = d.orderedStages
    dueItems = d.isClosed ? [] : rules.dueItems(for: d).sorted { $0.date < $1.date }
    closedOn = d.closure?.on
    updatedAt = Timestamp.format(d.updatedAt)
    updatedBy = d.updatedBy
    var parts = [d.person.fullName, d.person.preferredName ?? "", d.id.rawValue]
    parts.append(d.person.nationality ?? "")
    parts.append(d.person.phone ?? "")
    parts.append(contentsOf: d.notes.map(\.text))
    searchKey = SearchText.fold(parts.joined(separator: "\u{1F}"))
    mentor = d.isClosed ? "" : d.openPair?.mentor ?? ""
    pairCount = d.mentoring.count
    facts = rules.facts(for: d)
  }

  /// The name to show: preferred name when set, else the full name.
  public var displayName: String { preferredName.isEmpty ? fullName : preferredName }

  public var isClosed: Bool { closedOn != nil }

  /// The first open task (even if overdue) or upcoming milestone, whichever is earlier.
  public func nextDue(today: LocalDate) -> DueItem? {
    dueItems.first { $0.kind == .task || $0.date >= today }
  }

  /// True when a task's date has passed.
  public func isOverdue(today: LocalDate) -> Bool {
    dueItems.contains { $0.kind == .task && $0.date < today }
  }

  /// True when the folded query occurs in the case's searchable text.
  public func matches(foldedQuery: String) -> Bool {
    SearchText.contains(folded: searchKey, folded: foldedQuery)
  }
}

/// A file in the store that could not be read as a case.
public struct DamagedFile: Equatable, Sendable, CustomStringConvertible {
  /// File name within the store's `cases/` folder.
  public var file: String
  /// The parser's or validator's message, with the position where it has one.
  public var problem: String

  public var description: String { "\(file): \(problem)" }
}

/// The result of listing the store.
public struct Listing: Sendable {
  public var cases: [CaseSummary]
  public var damaged: [DamagedFile]
  /// Summaries that had to be re-read because the index was missing or stale.
  public var reread: Int
}
