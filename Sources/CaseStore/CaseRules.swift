/// Domain rules the store needs when it summarises a case for the list (what is due).
///
/// The rules themselves live in the `Casework` module; the store only calls them, and keeps
/// `version` in the index so that a change of rules rebuilds the cached summaries. Summaries keep
/// every due item, not just the next one, so that the cached index never depends on today's date.
public protocol CaseRules: Sendable {
  var version: String { get }
  /// Every dated item of this case: tasks still to do and milestones to come or past.
  func dueItems(for document: CaseDocument) -> [DueItem]
  /// What reports count of this case, as `key=value` strings that never depend on today's date
  /// (kept in the index, so a report over every case reads no case file).
  func facts(for document: CaseDocument) -> [String]
  /// `dueItems(for:)` and `facts(for:)` together.
  func dueItemsAndFacts(for document: CaseDocument) -> (due: [DueItem], facts: [String])
}

extension CaseRules {
  public func facts(for document: CaseDocument) -> [String] { [] }

  /// Both at once, for rules that share work between them (a summary needs both).
  public func dueItemsAndFacts(for document: CaseDocument) -> (due: [DueItem], facts: [String]) {
    (dueItems(for: document), facts(for: document))
  }
}

/// Something on a date, with a key naming what (`work-permit`, `rescreening`, …).
public struct DueItem: Equatable, Sendable {
  public enum Kind: String, Sendable {
    /// Work to do: stays due, and becomes overdue, until the case records it done.
    case task = "t"
    /// An event such as the work-permit date: relevant until it has passed.
    case milestone = "m"
  }

  public var date: LocalDate
  public var what: String
  public var kind: Kind

  /// `what` up to the first `/`: the kind of item (`post-hire`, `rescreening`, …).
  public var key: Substring {
    guard let slash = slash else { return what[...] }
    return what[..<slash]
  }
  /// `what` after the first `/`: which hire, internship or meeting (`h1/manager@2w`), or empty.
  public var ref: Substring {
    guard let slash = slash else { return "" }
    return what[what.utf8.index(after: slash)...]
  }
  /// Found in the UTF-8 view: walking characters cost a quarter of building a 100,000-case
  /// calendar. An ASCII `/` is always a character boundary.
  private var slash: String.Index? { what.utf8.firstIndex(of: UInt8(ascii: "/")) }

  public init(date: LocalDate, what: String, kind: Kind) {
    self.date = date
    self.what = what
    self.kind = kind
  }
}

/// Rules that never have anything due; for tools that do not need due dates.
public struct NoRules: CaseRules {
  public init() {}
  public var version: String { "none" }
  public func dueItems(for document: CaseDocument) -> [DueItem] { [] }
}
