import Foundation

/// A record that holds one entry per case (a training group's participants, a job fair's
/// registrations): what erasure removes and a subject-access export gathers.
public protocol HoldsCaseEntries: StoreRecord {
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
