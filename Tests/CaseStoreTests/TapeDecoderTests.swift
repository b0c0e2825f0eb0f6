import Casework
import DemoData
import Foundation
import Testing
import TestSupport

@testable import CaseStore

/// The tape decoder (the cold open's fast path) must read exactly what Foundation's decoder reads,
/// or refuse and leave the file to Foundation: never a different document, never a document where
/// Foundation finds damage.
@Suite struct TapeDecoderTests {
  enum Outcome: Equatable {
    case document(CaseDocument)
    case failed
  }

  static func foundation(_ data: Data) -> Outcome {
    (try? CaseJSON.decoder.decode(CaseDocument.self, from: data)).map(Outcome.document) ?? .failed
  }

  static func tape(_ data: Data) -> Outcome {
    (try? TapeDecoder.decode(CaseDocument.self, from: data)).map(Outcome.document) ?? .failed
  }

  /// The tape decoder agrees with Foundation, or refuses what Foundation reads or refuses: as a
  /// typed document, and as the raw tree a save lays unknown keys back from.
  static func expectAgreement(_ data: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let fastTree = try? TapeDecoder.tree(data) {
      #expect((try? JSONDecoder().decode(JSONValue.self, from: data)) == fastTree, "tree: \(label)", sourceLocation: sourceLocation)
    }
    let fast = tape(data)
    guard case .document(let fastDocument) = fast else { return }
    #expect(foundation(data) == .document(fastDocument), "\(label)", sourceLocation: sourceLocation)
  }

  /// A demo store of 400 cases with the app's rules (plans, hires, pairs, histories).
  static func demoStore() throws -> (TempStore, ChainRules) {
    let rules = try CaseworkContent.chainRules(storeRoot: nil)
    let t = try TempStore(rules: rules)
    _ = try DemoStoreFiller.fill(try t.store.signIn("tester"), cases: 400, seed: 3, asOf: LocalDate("2026-11-01")!, user: "tester")
    return (t, rules)
  }

  @Test func everyDemoDocumentDecodesAsFoundationDecodesItAndGivesTheSameSummary() throws {
    let (t, rules) = try Self.demoStore()
    let files = try FileManager.default.contentsOfDirectory(atPath: t.path + "/cases").filter { $0.hasSuffix(".json") }
    #expect(files.count == 400)
    var withHire = 0
    var withPlan = 0
    for name in files {
      let data = try Data(contentsOf: URL(fileURLWithPath: t.path + "/cases/" + name))
      guard case .document(let expected) = Self.foundation(data) else {
        Issue.record("Foundation could not read \(name)")
        continue
      }
      // Every demo document takes the fast path: none falls back.
      #expect(Self.tape(data) == .document(expected), "\(name)")
      #expect(try TapeDecoder.tree(data) == JSONDecoder().decode(JSONValue.self, from: data), "\(name)")
      let decoded = try DocumentCodec.decode(data, fileName: name).document
      #expect(CaseSummary(document: decoded, rules: rules) == CaseSummary(document: expected, rules: rules), "\(name)")
      if !expected.placement.hires.isEmpty { withHire += 1 }
      if expected.actionPlan != nil { withPlan += 1 }
    }
    #expect(withHire > 20)
    #expect(withPlan > 20)

    // The cold open (no index) lists what the full decoder gives, case by case.
    try FileManager.default.removeItem(atPath: t.path + "/index.tsv")
    let reopened = try Store(root: t.path, rules: rules)
    let listed = try reopened.list().cases
    #expect(listed.count == 400)
    for summary in listed {
      let data = try t.bytes(summary.id)
      guard case .document(let expected) = Self.foundation(data) else { continue }
      #expect(summary == CaseSummary(document: expected, rules: rules), "\(summary.id)")
    }
  }

  /// Hand-made shapes at the edges of JSON and of the schema.
  @Test func hostileVariantsAreReadAsFoundationReadsThemOrLeftToIt() throws {
    let t = try TempStore()
    let created = try t.create("Zoë \"Z\" Ndiaye\\")
    let base = String(decoding: try t.bytes(created.document.id), as: UTF8.self)
    #expect(Self.tape(Data(base.utf8)) == Self.foundation(Data(base.utf8)))

    func variant(_ from: String, _ to: String) -> String {
      #expect(base.contains(from), "\(from)")
      return base.replacingOccurrences(of: from, with: to)
    }
    let name = "\"fullName\": \"Zo\\u00eb \\\"Z\\\" Ndiaye\\\\\""
    let cases: [(String, String, read: Bool)] = [
      ("escapes in a value", variant("\"fullName\": \"Zoë \\\"Z\\\" Ndiaye\\\\\"", "\"fullName\": \"Zo\\u00ebsk\\u00e9 \\ud83d\\ude00 \\n\\t\\/\""), true),
      ("an escaped name", variant("\"fullName\": \"Zoë \\\"Z\\\" Ndiaye\\\\\"", name), true),
      ("a lone surrogate", variant("\"fullName\": \"Zoë", "\"fullName\": \"\\ud83d Zoë"), false),
      ("a key twice", variant("\"revision\": 1,", "\"revision\": 1, \"revision\": 7,"), false),
      ("a key twice, apart", variant("\"revision\": 1,", "\"revision\": 1, \"zz\": 0, \"revision\": 7,"), false),
      // Keys out of order (never so in a file Keten wrote) go the slow way, which looks for a key
      // given twice; so does any object whose keys are, in a field Keten does not know too.
      ("keys out of order", variant("\"revision\": 1,", "\"zz-later\": 1, \"revision\": 1,"), false),
      ("keys out of order in an unknown field", variant("\"revision\": 1,", "\"revision\": 1, \"revisionX\": {\"b\": 1, \"a\": 2},"), false),
      ("an escaped key", variant("\"revision\": 1,", "\"revisio\\u006e\": 1,"), false),
      ("a revision with a fraction", variant("\"revision\": 1,", "\"revision\": 1.0,"), false),
      ("a revision with an exponent", variant("\"revision\": 1,", "\"revision\": 1e0,"), false),
      ("a revision past Int", variant("\"revision\": 1,", "\"revision\": 99999999999999999999,"), false),
      ("a revision as text", variant("\"revision\": 1,", "\"revision\": \"1\","), false),
      ("a negative zero", variant("\"revision\": 1,", "\"revision\": -0,"), true),
      ("a null optional", variant("\"preferredName\": \"Lay\"", "\"preferredName\": null"), true),
      ("a null required", variant("\"revision\": 1,", "\"revision\": null,"), false),
      ("unknown keys, nested", variant("\"revision\": 1,", "\"revision\": 1, \"revisionZ-future\": {\"a\": [1, 2.5e3, true, null, {\"b\": \"\\u0000\"}]},"), true),
      ("a raw control byte", variant("\"fullName\": \"Zoë", "\"fullName\": \"\u{01}Zoë"), false),
      ("a tab in a string", variant("\"fullName\": \"Zoë", "\"fullName\": \"\tZoë"), false),
      ("trailing text", base + "x", false),
      ("a trailing comma", variant("\"revision\": 1,", "\"revision\": 1,,"), false),
      ("a byte order mark", "\u{FEFF}" + base, false),
      ("a bad timestamp", variant("\"createdAt\": \"", "\"createdAt\": \"x"), false),
      ("leading zeros", variant("\"revision\": 1,", "\"revision\": 01,"), false),
      ("a truncated file", String(base.prefix(base.count / 2)), false),
      // Lists of objects are read element by element from the tape, not by `Array(from:)`.
      ("an empty list of objects", variant("\"notes\": [", "\"notes\": [], \"notesX\": ["), true),
      ("a number among objects", variant("\"notes\": [", "\"notes\": [7, "), false),
      ("a list among objects", variant("\"notes\": [", "\"notes\": [[], "), false),
      ("a null among objects", variant("\"notes\": [", "\"notes\": [null, "), false),
      ("an object missing its keys", variant("\"notes\": [", "\"notes\": [{\"x\": 1}, "), false),
      ("an object where a list is due", variant("\"notes\": [", "\"notes\": {}, \"x-notes\": ["), false),
    ]
    for (label, text, read) in cases {
      let data = Data(text.utf8)
      Self.expectAgreement(data, label)
      if read { #expect(Self.tape(data) != .failed, "\(label)") }
      // Whatever the fast path does, the store reads the file as Foundation does, except where
      // Foundation guesses: it takes the first of a key given twice and reads 01 as 1; the store
      // calls such a file damaged and says where.
      let viaStore = (try? DocumentCodec.decode(data, fileName: "x.json").document).map(Outcome.document) ?? .failed
      let stricter = ["a key twice": "a key is given twice in one object at line", "a key twice, apart": "a key is given twice", "leading zeros": "malformed number at line"]
      if let says = stricter[label] {
        #expect(viaStore == .failed, "\(label)")
        let error = thrown(StoreError.self) { try DocumentCodec.decode(data, fileName: "x.json") }
        #expect("\(error.map { "\($0)" } ?? "")".contains(says), "\(label): \(String(describing: error))")
      } else if case .document = Self.foundation(data) {
        #expect(viaStore == Self.foundation(data), "\(label)")
      }
    }
    // A deep unknown value: refused past 512 levels, never a crash.
    let deep = variant("\"revision\": 1,", "\"revision\": 1, \"deep\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + ",")
    #expect(Self.tape(Data(deep.utf8)) == .failed)
  }

  /// Random damage to a real document: the tape decoder never reads something Foundation would
  /// not, nor reads it differently.
  @Test func randomDamageNeverMakesTheFastPathDisagree() throws {
    let (t, _) = try Self.demoStore()
    let withHire = try t.store.list().cases.first { summary in
      (try? t.store.load(summary.id).document.placement.hires.isEmpty == false) ?? false
    }
    let id = try #require(withHire?.id)
    let original = [UInt8](try t.bytes(id))
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("{}[]\",:0123456789.-eE \\untlrfa".utf8)
    var refused = 0
    for round in 0..<3000 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: bytes[at] = alphabet.randomElement(using: &rng)!
        case 1: bytes.remove(at: at)
        default: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
        }
      }
      let data = Data(bytes)
      if Self.tape(data) == .failed { refused += 1 }
      let at = (0..<min(bytes.count, original.count)).first { bytes[$0] != original[$0] } ?? min(bytes.count, original.count)
      let around = String(decoding: bytes[max(0, at - 60)..<min(bytes.count, at + 60)], as: UTF8.self)
      Self.expectAgreement(data, "round \(round), byte \(at): …\(around)…")
    }
    #expect(refused > 100)
  }
}

/// The cold open's quicker helpers say what the slower ones they replaced say.
@Suite struct ColdOpenHelperTests {
  @Test func theUTF8CheckAgreesWithTheStandardLibraryOnRandomBytes() {
    var rng = SystemRandomNumberGenerator()
    let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
    var invalid = 0
    for _ in 0..<20_000 {
      let count = Int.random(in: 0...24, using: &rng)
      let bytes = (0..<count).map { _ in Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }
      let expected = String(validating: bytes, as: UTF8.self) != nil
      let fast = bytes.withUnsafeBufferPointer(DocumentCodec.isValidUTF8)
      #expect(fast == expected, "\(bytes)")
      if !expected { invalid += 1 }
    }
    #expect(invalid > 1000)
    let text = Array("Ірина Ткаченко, Zoë, 😀, محمد".utf8)
    #expect(text.withUnsafeBufferPointer(DocumentCodec.isValidUTF8))
  }

  @Test func foldingASCIIRunsApartIsFoldingTheWhole() {
    var rng = SystemRandomNumberGenerator()
    var pieces = ["A", "z", "E", "\u{301}", "é", "İ", "I", "ı", "ß", "Æ", "ﬁ", "K", "\u{212A}", "مُحَمَّد", "أ", "ـ", "Ø", " ", "-", "1", "\u{AD}", "ǅ", "Ω", "\u{345}", "Ткаченко", "\u{FF21}"]
    // Every two-byte character, marks included, and a few after it.
    pieces += (0x80..<0x800).map { String(Unicode.Scalar(UInt32($0))!) } + ["\u{93F}", "\u{1E9E}", "\u{FB2A}"]
    for _ in 0..<20_000 {
      let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      #expect(SearchText.fold(text) == SearchText.foldUnicode(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
    #expect(SearchText.fold("Hévé KILIÇ") == "heve kilic")
  }

  @Test func timestampsAreWrittenAsBefore() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<5_000 {
      let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)))
      let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
      let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
      let rest = Int(seconds - days * 86_400)
      let day = LocalDate(daysSinceEpoch: Int(days))
      let expected = String(
        format: "%04d-%02d-%02dT%02d:%02d:%02dZ", day.year, day.month, day.day, rest / 3600, (rest / 60) % 60, rest % 60)
      #expect(Timestamp.format(date) == expected)
      #expect(Timestamp.parse(expected) == date)
    }
  }
}
