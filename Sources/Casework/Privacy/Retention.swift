import CaseStore
import Foundation

/// How long closed cases and deleted ones are kept before they come up for review (GDPR art. 5
/// storage limitation). `Resources/privacy/retention.json`; a store may replace it with
/// `<store>/content/privacy/retention.json`.
public struct RetentionPolicy: Codable, Sendable, Equatable {
  public var format: Int
  /// Months after closure after which a closed case is listed for review.
  public var closedCaseMonths: Int
  /// Months after deletion after which a case in the trash is listed for review.
  public var trashMonths: Int

  static let relativePath = "privacy/retention.json"

  public static func load(storeRoot: String?) throws(ContentError) -> RetentionPolicy {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    let policy = try ContentFiles.decode(RetentionPolicy.self, from: url, name: name)
    if policy.format != 1 {
      throw ContentError(file: name, entry: "format", problem: "format \(policy.format) is not known; this version reads format 1.")
    }
    for (entry, months) in [("closedCaseMonths", policy.closedCaseMonths), ("trashMonths", policy.trashMonths)]
    where !(1...240).contains(months) {
      throw ContentError(file: name, entry: entry, problem: "\(months) is not a number of months from 1 to 240.")
    }
    return policy
  }
}

/// A case that has been kept longer than the policy says: to review, then erase or keep.
public struct RetentionItem: Sendable, Equatable {
  public enum Reason: String, Sendable { case closed, inTrash = "in-trash" }
  public var id: CaseID
  public var reason: Reason
  /// The day closed, or the day the file went to the trash.
  public var since: LocalDate
  public var months: Int
}

extension RetentionPolicy {
  /// Closed cases past `closedCaseMonths` and trash entries past `trashMonths`, oldest first.
  public func due(cases: [CaseSummary], trash: [(CaseID, LocalDate)], today: LocalDate) -> [RetentionItem] {
    var items: [RetentionItem] = []
    for s in cases {
      guard let closed = s.closedOn else { continue }
      let months = closed.months(until: today)
      if closed.adding(months: closedCaseMonths) <= today {
        items.append(RetentionItem(id: s.id, reason: .closed, since: closed, months: months))
      }
    }
    for (id, deleted) in trash where deleted.adding(months: trashMonths) <= today {
      items.append(RetentionItem(id: id, reason: .inTrash, since: deleted, months: deleted.months(until: today)))
    }
    return items.sorted { ($0.since, $0.id) < ($1.since, $1.id) }
  }
}
