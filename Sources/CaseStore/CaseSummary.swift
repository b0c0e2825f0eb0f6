import Foundation

/// What the case list shows of one case, kept in the index so listing needs no document parse.
///
/// Numbers, dates and codes are stored as values; the text fields live in `SummaryText` (slices
/// of the index as read) and become strings only when asked for.
public struct CaseSummary: Equatable, Sendable {
  public var id: CaseID
  public var revision: Int
  public var schemaVersion: Int
  public var gender: Gender
  public var dateOfBirth: LocalDate?
  public var procedureStatus: ProcedureStatus?
  public var closedOn: LocalDate?
  /// Mentoring pairs in the case, open or closed (reports read only cases that have some).
  public var pairCount: Int = 0
  /// The stages as bits in chain order (a set of four needs no array per case).
  var stageBits: UInt8 = 0
  var text: SummaryText

  /// Active stages in chain order.
  public var stages: [ChainStage] {
    get { ChainStage.allCases.enumerated().filter { stageBits & (1 << $0.offset) != 0 }.map(\.element) }
    set {
      stageBits = 0
      for stage in newValue { stageBits |= 1 << ChainStage.allCases.firstIndex(of: stage)! }
    }
  }

  /// True when the case is active in `stage` (no array made).
  public func isIn(_ stage: ChainStage) -> Bool { stageBits & (1 << ChainStage.allCases.firstIndex(of: stage)!) != 0 }

  public var fullName: String {
    get { text.string(.fullName) }
    set { text = text.replacing(.fullName, with: newValue) }
  }
  public var preferredName: String {
    get { text.string(.preferredName) }
    set { text = text.replacing(.preferredName, with: newValue) }
  }
  public var nationality: String {
    get { text.string(.nationality) }
    set { text = text.replacing(.nationality, with: newValue) }
  }
  public var centre: String {
    get { text.string(.centre) }
    set { text = text.replacing(.centre, with: newValue) }
  }
  public var caseWorker: String {
    get { text.string(.caseWorker) }
    set { text = text.replacing(.caseWorker, with: newValue) }
  }
  /// Every dated item of the case, sorted by date (see `nextDue(today:)`).
  public var dueItems: [DueItem] {
    get { CaseSummary.decodeDue(text.raw(.dueItems)) }
    set { text = text.replacing(.dueItems, with: newValue.map { "\($0.date) \($0.kind.rawValue) \($0.what)" }.joined(separator: ";")) }
  }
  public var updatedAt: String {
    get { text.string(.updatedAt) }
    set { text = text.replacing(.updatedAt, with: newValue) }
  }
  public var updatedBy: String {
    get { text.string(.updatedBy) }
    set { text = text.replacing(.updatedBy, with: newValue) }
  }
  /// Folded name, preferred name, id, nationality, phone and note texts, for search.
  public var searchKey: String {
    get { text.string(.searchKey) }
    set { text = text.replacing(.searchKey, with: newValue) }
  }
  /// The record id of the mentor of the open mentoring pair, or empty.
  public var mentor: String {
    get { text.string(.mentor) }
    set { text = text.replacing(.mentor, with: newValue) }
  }
  /// What reports count (`CaseRules.facts`), e.g. `isced=3`, `hire=2026-03-02|employed-same`.
  public var facts: [String] {
    get { text.raw(.facts).split(separator: UInt8(ascii: ";")).map { LineScanner.Line.text(UnsafeBufferPointer(rebasing: $0)) } }
    set { text = text.replacing(.facts, with: newValue.joined(separator: ";")) }
  }

  /// The search key's UTF-8 bytes, read in place unless the stored field holds an escape (a
  /// note with a tab or a line break).
  public func withSearchKeyBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    withFieldBytes(.searchKey, decoded: { searchKey }, body)
  }

  /// The report facts' UTF-8 bytes (`key=value` joined by `;`), read in place unless the stored
  /// field holds an escape: a report parses 100,000 of these without making a string of each.
  public func withFactsBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    withFieldBytes(.facts, decoded: { facts.joined(separator: ";") }, body)
  }

  /// A text field's stored bytes, in place (the buffer kept alive for `body`), or, when the field
  /// holds an escape (`\`), the bytes of `decoded`.
  private func withFieldBytes<R>(
    _ field: SummaryText.Field, decoded: () -> String, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    withExtendedLifetime(text) {
      let raw = text.raw(field)
      if !raw.contains(92) { return body(raw) }
      return Array(decoded().utf8).withUnsafeBufferPointer(body)
    }
  }

  init(id: CaseID, text: SummaryText) {
    self.id = id
    self.revision = 0
    self.schemaVersion = CaseDocument.currentSchemaVersion
    self.gender = .unspecified
    self.text = text
  }

  public init(document d: CaseDocument, rules: CaseRules) {
    id = d.id
    revision = d.revision
    schemaVersion = d.schemaVersion
    gender = d.person.gender
    dateOfBirth = d.person.dateOfBirth
    procedureStatus = d.procedure.status
    closedOn = d.closure?.on
    pairCount = d.mentoring.count
    var parts = [d.person.fullName, d.person.preferredName ?? "", d.id.rawValue]
    parts.append(d.person.nationality ?? "")
    parts.append(d.person.phone ?? "")
    parts.append(contentsOf: d.notes.map(\.text))
    let (allDue, facts) = rules.dueItemsAndFacts(for: d)
    let due = d.isClosed ? [] : allDue.sorted { $0.date < $1.date }
    var values = [String](repeating: "", count: SummaryText.Field.allCases.count)
    values[SummaryText.Field.fullName.rawValue] = d.person.fullName
    values[SummaryText.Field.preferredName.rawValue] = d.person.preferredName ?? ""
    values[SummaryText.Field.nationality.rawValue] = d.person.nationality ?? ""
    values[SummaryText.Field.centre.rawValue] = d.person.centre ?? ""
    values[SummaryText.Field.caseWorker.rawValue] = d.person.caseWorker ?? ""
    values[SummaryText.Field.dueItems.rawValue] = due.map { "\($0.date) \($0.kind.rawValue) \($0.what)" }.joined(separator: ";")
    values[SummaryText.Field.updatedAt.rawValue] = Timestamp.format(d.updatedAt)
    values[SummaryText.Field.updatedBy.rawValue] = d.updatedBy
    values[SummaryText.Field.searchKey.rawValue] = SearchText.fold(parts.joined(separator: "\u{1F}"))
    values[SummaryText.Field.mentor.rawValue] = d.isClosed ? "" : d.openPair?.mentor ?? ""
    values[SummaryText.Field.facts.rawValue] = facts.joined(separator: ";")
    text = SummaryText(values)
    stages = d.orderedStages
  }

  static func decodeDue(_ raw: UnsafeBufferPointer<UInt8>) -> [DueItem] {
    raw.split(separator: UInt8(ascii: ";")).compactMap { item in
      let parts = item.split(separator: UInt8(ascii: " "), maxSplits: 2)
      guard parts.count == 3, let date = LocalDate(utf8: parts[0]),
        let kind = DueItem.Kind(rawValue: String(decoding: parts[1], as: UTF8.self))
      else { return nil }
      return DueItem(date: date, what: LineScanner.Line.text(UnsafeBufferPointer(rebasing: parts[2])), kind: kind)
    }
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

  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }
}

/// The result of listing the store.
public struct Listing: Sendable {
  public var cases: [CaseSummary]
  public var damaged: [DamagedFile]
  /// Summaries that had to be re-read because the index was missing or stale.
  public var reread: Int
  /// Damaged files a trainer or mentor is not told of by name (a file's name is a case id, and
  /// the case may not be theirs): only how many there are, so that a missing one is explained.
  public var unnamedDamaged = 0

  public init(cases: [CaseSummary], damaged: [DamagedFile], reread: Int) {
    self.cases = cases
    self.damaged = damaged
    self.reread = reread
  }
}
