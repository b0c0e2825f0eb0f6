import CaseStore
import Foundation

/// Everything the store holds about one person (GDPR art. 15 access, art. 20 portability):
/// the case file exactly as stored — unknown fields included — their part of training groups
/// and job fairs, consents, disclosures and the journal's entries about the case.
public struct SubjectAccess: Sendable {
  /// The export as one JSON document.
  public var json: Data
  /// The same as readable text: one `path: value` line per field, by section.
  public var text: String
  /// The disclosure that records this export in the case (to the person themselves).
  public var disclosure: Disclosure

  public static let purpose = "subject-access"

  /// Gathers the export from a store signed in as someone who may see the whole case.
  public init(store: Store, id: CaseID, by user: String, now: Date) throws {
    try store.require(.export, "export case data")
    let stored = try store.load(id)
    guard !stored.isPartial else { throw StoreError.notPermitted(what: "export case data", role: store.viewer!.role) }
    disclosure = Disclosure(
      at: now, by: user, recipient: Disclosure.toThePerson, purpose: Self.purpose, what: "subject-access (json+text)",
      consent: nil)
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    func tree<T: Encodable>(_ value: T) throws -> JSONValue { try JSONValue.parse(encoder.encode(value)) }

    // Each record that holds the person, with their entry only (nobody else's).
    func parts<Record: HoldsCaseEntries>(_ type: Record.Type) throws -> [JSONValue] {
      try store.records(type).records.compactMap { stored in
        guard let entry = stored.record.entry(for: id) else { return nil }
        var value = try tree(stored.record)
        value[Record.entriesKey] = nil
        value[Record.entryKey] = try tree(entry)
        return value
      }
    }
    let training = try parts(TrainingGroup.self)
    let fairs = try parts(JobFair.self)
    let journal = try store.history(of: id)
    let root: JSONValue = .object([
      "format": .string("keten-subject-access"),
      "version": .int(1),
      "case": try JSONValue.parse(stored.bytes),
      "generatedAt": .string(Timestamp.format(now)),
      "generatedBy": .string(user),
      "trainingGroups": .array(training),
      "jobFairs": .array(fairs),
      "consents": try tree(stored.document.consents),
      "disclosures": try tree(stored.document.disclosures + [disclosure]),
      "journal": try tree(journal),
    ])
    json = try root.serialized()
    var out = "Everything Keten holds about case \(id), as of \(Timestamp.format(now)) (by \(user)).\n"
    out += "Each line is a field of the record as stored; [n] numbers the items of a list.\n"
    let sections: [(String, JSONValue)] = [
      ("Case file", try JSONValue.parse(stored.bytes)), ("Training groups", .array(training)),
      ("Job fairs", .array(fairs)), ("Consents", try tree(stored.document.consents)),
      ("Disclosures (data that left Keten)", try tree(stored.document.disclosures + [disclosure])),
      ("Journal (who opened or changed the case, and when)", try tree(journal)),
    ]
    for (title, value) in sections {
      out += "\n" + title + "\n" + String(repeating: "=", count: title.count) + "\n"
      var lines: [String] = []
      Self.flatten(value, path: "", into: &lines)
      out += lines.isEmpty ? "(none)\n" : lines.joined(separator: "\n") + "\n"
    }
    // Read by people, in a terminal too: controls and direction overrides shown visibly.
    text = TerminalText.visible(out, multiline: true)
  }

  static func flatten(_ value: JSONValue, path: String, into lines: inout [String]) {
    switch value {
    case .object(let members) where members.isEmpty && !path.isEmpty: lines.append(path + ": (empty)")
    case .array(let items) where items.isEmpty && !path.isEmpty: lines.append(path + ": (none)")
    case .object(let members):
      for (key, member) in members {
        flatten(member, path: path.isEmpty ? key : path + "." + key, into: &lines)
      }
    case .array(let items):
      for (i, item) in items.enumerated() { flatten(item, path: path + "[\(i + 1)]", into: &lines) }
    case .null: lines.append(path + ": —")
    case .bool(let b): lines.append(path + ": " + (b ? "yes" : "no"))
    case .int(let i): lines.append(path + ": \(i)")
    case .double(let d): lines.append(path + ": \(d)")
    case .string(let s): lines.append(path + ": " + s.replacingOccurrences(of: "\n", with: "\n    "))
    }
  }
}
