import CaseStore
import DemoData
import Foundation
import Testing

@testable import CaseStore

/// The tree encoder must give exactly the tree that JSONEncoder's text parses to: the bytes of
/// every saved file, and the changed paths in the journal, depend on it.
@Suite struct TreeEncoderTests {
  func viaText<T: Encodable>(_ value: T) throws -> JSONValue {
    try JSONValue.parse(try CaseJSON.encoder.encode(value))
  }

  @Test func everyDemoStoreFileEncodesToTheTreeItsTextParsesTo() throws {
    let root = NSTemporaryDirectory() + "keten-tree-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let store = try Store(root: root).signIn("tester")
    _ = try DemoStoreFiller.fill(store, cases: 150, seed: 7, asOf: LocalDate("2026-11-01")!, user: "tester")
    var compared = 0
    for summary in try store.list().cases {
      let document = try store.load(summary.id).document
      #expect(try TreeEncoder.encode(document) == viaText(document), "\(summary.id)")
      compared += 1
    }
    for group in try store.records(TrainingGroup.self).records {
      #expect(try TreeEncoder.encode(group.record) == viaText(group.record))
      compared += 1
    }
    for mentor in try store.records(Mentor.self).records {
      #expect(try TreeEncoder.encode(mentor.record) == viaText(mentor.record))
      compared += 1
    }
    for fair in try store.records(JobFair.self).records {
      #expect(try TreeEncoder.encode(fair.record) == viaText(fair.record))
      compared += 1
    }
    #expect(compared > 150)
  }

  @Test func aSaveThatTakesUnchangedSectionsFromItsBaseMakesTheWholeTree() throws {
    // A save encodes only the sections that changed and takes the rest from its base's tree:
    // whatever changed, the result must be the tree a whole encoding gives.
    let root = NSTemporaryDirectory() + "keten-tree-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let store = try Store(root: root).signIn("tester")
    _ = try DemoStoreFiller.fill(store, cases: 60, seed: 11, asOf: LocalDate("2026-11-01")!, user: "tester")
    let documents = try store.list().cases.map { try store.load($0.id).document }
    let edits: [(String, (inout CaseDocument, CaseDocument) -> Void)] = [
      ("person", { $0.person = $1.person }), ("procedure", { $0.procedure = $1.procedure }),
      ("stages", { $0.stages = $1.stages }), ("stageHistory", { $0.stageHistory = $1.stageHistory }),
      ("closed", { $0.closure = $1.closure }), ("notes", { $0.notes = $1.notes }),
      ("screening", { $0.screening = $1.screening }), ("consents", { $0.consents = $1.consents }),
      ("disclosures", { $0.disclosures = $1.disclosures }), ("mentoring", { $0.mentoring = $1.mentoring }),
      ("placement", { $0.placement = $1.placement }), ("actionPlan", { $0.actionPlan = $1.actionPlan }),
      ("one phone number", { d, _ in d.person.phone = "+31 6 1234 5678" }),
      ("a note's text", { d, _ in if !d.notes.isEmpty { d.notes[0].text += " (edited)" } }),
    ]
    var differing = 0
    for (index, base) in documents.enumerated() {
      let other = documents[(index * 7 + 3) % documents.count]
      let baseTree = try TreeEncoder.encode(base)
      for (what, edit) in edits {
        var edited = base
        edit(&edited, other)
        let whole = try TreeEncoder.encode(edited)
        #expect(try CaseJSON.tree(edited, since: base, baseTree: baseTree) == whole, "\(base.id): \(what)")
        if whole != baseTree { differing += 1 }
      }
      // Nothing changed: every section comes from the base, and the tree is still the whole one.
      #expect(try CaseJSON.tree(base, since: base, baseTree: baseTree) == baseTree)
    }
    // The edits did change the documents (most of them), so the reuse was really put to the test.
    #expect(differing > documents.count * edits.count / 2)
  }

  @Test func optionalsNestedValuesAndOddIntegersEncodeAsJSONEncoderDoes() throws {
    struct Odd: Codable {
      var present: String? = "x"
      var absent: Int? = nil
      var small: UInt8 = 7
      var negative: Int16 = -3
      var nested: [String: [Int?]] = ["a": [1, nil, 3]]
      var when = Date(timeIntervalSince1970: 1_795_339_800)
      var flag = true
      var fraction = 0.5

      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(present, forKey: .present)
        try c.encode(absent, forKey: .absent)  // explicit null
        try c.encode(small, forKey: .small)
        try c.encode(negative, forKey: .negative)
        try c.encode(nested, forKey: .nested)
        try c.encode(when, forKey: .when)
        try c.encode(flag, forKey: .flag)
        try c.encode(fraction, forKey: .fraction)
      }
    }
    let tree = try TreeEncoder.encode(Odd())
    #expect(tree == (try viaText(Odd())))
    #expect(tree["when"] == .string("2026-11-22T09:30:00Z"))
    #expect(tree["absent"] == .null && tree["small"] == .int(7))
  }
}
