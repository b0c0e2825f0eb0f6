import Foundation
import Testing

@testable import CaseStore

/// A hand-edited case file that Keten cannot read with certainty is named damaged, with where
/// and what is wrong and what is valid, and never repeats what was stored.
@Suite struct DamageMessageTests {
  /// The message the store gives for `base` with `from` replaced by `to`, or nil when it reads.
  static func problem(_ t: TempStore, _ base: String, _ from: String, _ to: String) throws -> String? {
    #expect(base.contains(from), "\(from)")
    let data = Data(base.replacingOccurrences(of: from, with: to).utf8)
    do {
      _ = try DocumentCodec.decode(data, fileName: "x.json")
      return nil
    } catch .damaged(_, let problem) {
      return problem
    } catch {
      Issue.record("\(error)")
      return nil
    }
  }

  @Test func eachDamageIsNamedWithItsPlaceAndWithoutTheStoredValue() throws {
    let t = try TempStore()
    let created = try t.create("Zoë Ndiaye")
    let base = String(decoding: try t.bytes(created.document.id), as: UTF8.self)
    let gender = "\"gender\": \"female\""
    let cases: [(String, String, String, [String])] = [
      ("a key twice", gender, gender + ", \"gender\": \"RobotQX\"", ["a key is given twice in one object at line"]),
      ("a key twice, the second escaped", gender, gender + ", \"g\\u0065nder\": \"male\"", ["a key is given twice"]),
      ("a whole object twice", "\"person\": {", "\"person\": {\"fullName\": \"GhostQX\"}, \"person\": {", ["a key is given twice"]),
      ("a key twice that no field has", gender, gender + ", \"Dr QX Name\": 1, \"Dr QX Name\": 2", ["a key is given twice"]),
      ("a key twice named like a person", gender, gender + ", \"KhalilQX\": 1, \"KhalilQX\": 2", ["a key is given twice"]),
      ("a key twice inside a field Keten does not know", gender, gender + ", \"x-extra\": {\"aQX\": 1, \"aQX\": 2}", ["a key is given twice in one object at line"]),
      // The only object out of order: the tape decoder must not read it as it stands.
      ("a key twice in an unknown field, all else in order", "\"revision\": 1,", "\"revision\": 1, \"revisionX\": {\"aQX\": 1, \"aQX\": 2},", ["a key is given twice"]),
      ("a key twice in a list inside a field Keten does not know", gender, gender + ", \"x-extra\": [{\"b\": {\"aQX\": 1, \"aQX\": 2}}]", ["a key is given twice"]),
      ("one key spelt composed and decomposed", gender, gender + ", \"xQX\\u00e9\": 1, \"xQXe\\u0301\": 2", ["a key is given twice"]),
      ("a Kelvin sign beside a K", gender, gender + ", \"\\u212aeyQX\": 1, \"KeyQX\": 2", ["a key is given twice"]),
      ("a lone high surrogate", "\"fullName\": \"Zoë", "\"fullName\": \"\\ud83dZoë", ["lone surrogate", "at line"]),
      ("a lone low surrogate", "\"fullName\": \"Zoë", "\"fullName\": \"\\ude00Zoë", ["lone surrogate", "at line"]),
      ("two high surrogates", "\"fullName\": \"Zoë", "\"fullName\": \"\\ud83d\\ud83dZoë", ["lone surrogate"]),
      ("a short \\u escape", "\"fullName\": \"Zoë", "\"fullName\": \"\\u12Zoë", ["four hexadecimal digits", "at line"]),
      ("a \\u escape with letters past f", "\"fullName\": \"Zoë", "\"fullName\": \"\\u00zzZoë", ["four hexadecimal digits"]),
      ("a leading zero", "\"revision\": 1,", "\"revision\": 01,", ["malformed number at line"]),
      ("a bare point", "\"revision\": 1,", "\"revision\": 1.,", ["malformed number at line"]),
      // Foundation names no field here (its words: "the given data was not valid JSON").
      ("a fraction where a whole number is due", "\"revision\": 1,", "\"revision\": 1.5,", ["not valid JSON"]),
      ("a code Keten does not know", gender, "\"gender\": \"RobotQX\"", ["person.gender", "not one of the values this field allows (female, male, x, unspecified)"]),
      ("a schema version as text", "\"schemaVersion\": \(CaseDocument.currentSchemaVersion)", "\"schemaVersion\": \"QX\"", ["at schemaVersion: expected a whole number"]),
      ("no schema version", "\"schemaVersion\": \(CaseDocument.currentSchemaVersion),", "", ["schemaVersion is missing"]),
      ("an older schema version on a current document", "\"schemaVersion\": \(CaseDocument.currentSchemaVersion)", "\"schemaVersion\": 0", ["schema 0"]),
      ("a negative schema version", "\"schemaVersion\": \(CaseDocument.currentSchemaVersion)", "\"schemaVersion\": -5", ["at schemaVersion: expected a whole number"]),
    ]
    for (label, from, to, expected) in cases {
      let problem = try Self.problem(t, base, from, to)
      guard let problem else {
        Issue.record("\(label): read as if sound")
        continue
      }
      for part in expected { #expect(problem.contains(part), "\(label): \(problem)") }
      #expect(!problem.contains("QX") && !problem.contains("Zoë") && !problem.contains("1.5"), "\(label): \(problem)")
    }
    // Sound escapes still read: a surrogate pair, an escaped key, an escaped code.
    #expect(try Self.problem(t, base, "\"fullName\": \"Zoë", "\"fullName\": \"\\ud83d\\ude00 Zo\\u00eb") == nil)
    #expect(try Self.problem(t, base, gender, "\"g\\u0065nder\": \"f\\u0065male\"") == nil)
  }

  /// A record (a group, an employer…) with a key twice is damage too, in the listing and on opening.
  @Test func aRecordWithAKeyTwiceIsDamaged() throws {
    let record = """
      {"id": "G-2026-0001", "id": "G-2026-0002", "revision": 1}
      """
    let error = storeError { try StoredRecord<TrainingGroup>.decode(Data(record.utf8), fileName: "G-2026-0001.json") }
    #expect("\(error.map { "\($0)" } ?? "")".contains("a key is given twice in one object at line 1, column 23"), "\(String(describing: error))")
  }

  /// The users table and the id sequence: a login, a role or a year given twice is damage (the
  /// first would have been read and the next save would have dropped the other).
  @Test func aUsersFileOrSequenceWithAKeyTwiceIsDamaged() throws {
    let users = #"{"users": [{"addedBy": "root", "addedOn": "2026-11-01", "login": "root", "login": "nobody", "role": "coordinator"}]}"#
    let error = storeError { try UserRegistry.decode(Data(users.utf8)) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("a key is given twice in one object at line 1"), "\(String(describing: error))")
    let t = try TempStore()
    try t.create()
    try Data(#"{"2026": 27, "2026": 1}"#.utf8).write(to: URL(fileURLWithPath: t.store.sequencePath))
    guard case .damaged(let problem) = t.store.storedSequence() else {
      Issue.record("a year twice was read")
      return
    }
    #expect(problem.contains("a key is given twice in one object at line 1, column 14"), "\(problem)")
  }

  /// A date of birth in the future or before 1900 is named by its field, never repeated (`check`
  /// prints these for stored files).
  @Test func aWrongDateIsNamedNotRepeated() {
    for problem in [FieldProblem.dateInFuture(LocalDate("2030-08-28")!), .dateBefore1900(LocalDate("1800-08-28")!)] {
      #expect(!problem.message.contains("08-28") && problem.message.contains("the date is"), "\(problem.message)")
    }
  }

  /// The id rule's own words survive the message's scrubbing of quoted text.
  @Test func theIdRuleIsSaidInWords() {
    #expect(throws: (any Error).self) { try CaseID("Ahmad Rahimi") }
    do {
      _ = try CaseID("Ahmad Rahimi")
    } catch {
      let text = DocumentCodec.valueFree("\(error)")
      #expect(text.contains("hyphens and underscores") && !text.contains("Ahmad"), "\(text)")
    }
  }
}
