import Foundation

/// A record whose entries belong to cases: a signed-in user sees and changes only the entries
/// of cases in their scope (`Store.records`, `Store.save`).
public protocol CaseEntryScoping {
  /// The case ids the entries name, in order.
  var entryCaseIDs: [String] { get }
  /// The record with only the entries `visible` accepts, and how many were left out.
  func keepingEntries(_ visible: (String) -> Bool) -> (any CaseEntryScoping, hidden: Int)
  /// `self`'s entries of visible cases laid into `whole` (the record as stored): entries of
  /// other cases stay as stored; adding, changing or removing one of them is refused.
  func merging(into whole: any StoreRecord, visible: (String) -> Bool) throws(StoreError) -> any StoreRecord
}

/// A record that holds one entry per case (a training group's participants, a job fair's
/// registrations): what erasure removes and a subject-access export gathers.
public protocol HoldsCaseEntries: StoreRecord, CaseEntryScoping {
  associatedtype Entry: Codable & Sendable
  /// The JSON key of the entries, e.g. `participants`, and of one entry, e.g. `participant`.
  static var entriesKey: String { get }
  static var entryKey: String { get }
  var caseEntries: [Entry] { get set }
  static func caseID(of entry: Entry) -> String
}

extension HoldsCaseEntries {
  /// The entry for a case, if the record holds one.
  public func entry(for id: CaseID) -> Entry? { caseEntries.first { Self.caseID(of: $0) == id.rawValue } }

  public var entryCaseIDs: [String] { caseEntries.map(Self.caseID(of:)) }

  public func keepingEntries(_ visible: (String) -> Bool) -> (any CaseEntryScoping, hidden: Int) {
    var copy = self
    copy.caseEntries = caseEntries.filter { visible(Self.caseID(of: $0)) }
    return (copy, caseEntries.count - copy.caseEntries.count)
  }

  public func merging(into whole: any StoreRecord, visible: (String) -> Bool) throws(StoreError) -> any StoreRecord {
    guard let whole = whole as? Self else { return self }
    let mine = Dictionary(caseEntries.map { (Self.caseID(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
    for entry in caseEntries where !visible(Self.caseID(of: entry)) {
      // Not in the user's scope: refused as if the case did not exist.
      throw .notFound((try? CaseID(Self.caseID(of: entry))) ?? CaseID(year: 0, number: 0))
    }
    var out: [Entry] = []
    var placed: Set<String> = []
    for entry in whole.caseEntries {
      let id = Self.caseID(of: entry)
      if !visible(id) {
        out.append(entry)
      } else if let edited = mine[id] {
        out.append(edited)
      }
      placed.insert(id)
    }
    for entry in caseEntries where !placed.contains(Self.caseID(of: entry)) { out.append(entry) }
    var result = self
    result.caseEntries = out
    return result
  }
}

extension TrainingGroup: HoldsCaseEntries {
  public static var entriesKey: String { "participants" }
  public static var entryKey: String { "participant" }
  public var caseEntries: [Participant] {
    get { participants }
    set { participants = newValue }
  }
  public static func caseID(of entry: Participant) -> String { entry.caseID }
}

extension JobFair: HoldsCaseEntries {
  public static var entriesKey: String { "registrations" }
  public static var entryKey: String { "registration" }
  public var caseEntries: [FairRegistration] {
    get { registrations }
    set { registrations = newValue }
  }
  public static func caseID(of entry: FairRegistration) -> String { entry.caseID }
}

extension Store {
  /// Takes a case out of every record of a type that holds it; returns the record ids.
  func removeEntries<Record: HoldsCaseEntries>(of id: CaseID, from type: Record.Type, by user: String, now: Date)
    throws(StoreError) -> [String]
  {
    var changed: [String] = []
    for stored in try records(type).records where stored.record.entry(for: id) != nil {
      var record = stored.record
      record.caseEntries.removeAll { Record.caseID(of: $0) == id.rawValue }
      try save(record, basedOn: stored, by: user, now: now)
      changed.append(record.id)
    }
    return changed
  }
}
