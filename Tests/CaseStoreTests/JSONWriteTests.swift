import Foundation
import Testing

@testable import CaseStore

/// Every case file is written by `JSONValue.serialized()`: the exact layout (two-space indent,
/// sorted keys, readable UTF-8) and the escapes that keep any text valid JSON.
@Suite struct JSONWriteTests {
  @Test func theLayoutIsStableAndEveryAwkwardCharacterIsEscaped() throws {
    let awkward = "quote \" back \\ nl \n cr \r tab \t nul \u{0} bell \u{7} del \u{7F} ls \u{2028} ps \u{2029} · Ñ ሰላም مرحبا"
    let tree = JSONValue.object([
      "name": .string(awkward), "b": .array([.int(-3), .bool(true), .null, .array([]), .object([:])]),
      "a": .double(1.5),
    ])
    let text = String(decoding: try tree.serialized(), as: UTF8.self)
    #expect(text == """
      {
        "a": 1.5,
        "b": [
          -3,
          true,
          null,
          [],
          {}
        ],
        "name": "quote \\" back \\\\ nl \\n cr \\r tab \\t nul \\u0000 bell \\u0007 del \\u007f ls \\u2028 ps \\u2029 · Ñ ሰላም مرحبا"
      }

      """)
    // Another parser reads back the very same text.
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(parsed?["name"] as? String == awkward)
    #expect(try JSONValue.parse(try tree.serialized()) == tree)
  }
}

/// Objects keep their members in key order; the order is what files are written in and what
/// saves compare, so it must hold however an object was built.
@Suite struct JSONObjectTests {
  @Test func membersStayInKeyOrderWhateverTheOrderTheyCameIn() {
    var object: JSONObject = ["m": .int(1), "b": .int(2), "z": .int(3)]
    #expect(object.keys == ["b", "m", "z"])
    object["a"] = .string("new")
    object["m"] = .int(10)
    object["z"] = nil
    object["absent"] = nil
    #expect(object.keys == ["a", "b", "m"])
    #expect(object.values == [.string("new"), .int(2), .int(10)])
    #expect(object.removeValue(forKey: "b") == .int(2))
    #expect(object.removeValue(forKey: "b") == nil)
    #expect(Array(object.map(\.key)) == ["a", "m"])
    // A key given twice keeps its last value, as a dictionary would.
    let twice = JSONObject(members: [("k", .int(1)), ("j", .null), ("k", .int(2))])
    #expect(twice.keys == ["j", "k"] && twice["k"] == .int(2))
    // Equal members make equal objects, whatever the order they were set in.
    #expect(JSONObject(["x": .int(1), "y": .bool(true)]) == ["y": .bool(true), "x": .int(1)])
    #expect(JSONObject(["x": .int(1)]) != ["x": .int(2)])
  }

  @Test func aFileWithAKeyTwiceIsStillReadAsFoundationReadsIt() throws {
    // The fast reader leaves such a file to Foundation; the tree is whatever it makes of it.
    let data = Data(#"{"a": 1, "a": 2, "b": {"c": [1, {"d": null}]}}"#.utf8)
    #expect(throws: (any Error).self) { try TapeDecoder.tree(data) }
    let tree = try JSONValue.parse(data)
    #expect(tree["b"]?["c"] == .array([.int(1), .object(["d": .null])]))
    #expect(tree["a"] != nil)
  }

  @Test func aJournalLineIsWhatJSONEncoderWrote() throws {
    // Journals written before the tree took over must read the same, and new lines must read
    // the same with any JSON reader.
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var entries = [
      JournalEntry(at: Date(timeIntervalSince1970: 1_764_500_000), user: "anna", action: .open, caseID: try CaseID("K-2026-0001"), revision: 3),
      JournalEntry(
        at: Date(timeIntervalSince1970: 1_764_500_000.75), user: "jan/de \"boer\"", action: .change,
        caseID: try CaseID("K-2026-0002"), revision: 9, paths: ["person.phone", "notes[3]", "plan.goals[0].text"]),
      JournalEntry(at: Date(timeIntervalSince1970: 0), user: "coordinator", action: .users, detail: "added: ali (mentor) · Ñ ሰላም"),
      JournalEntry(at: Date(timeIntervalSince1970: 1_800_000_000), user: "t", action: .change, record: "G-2026-01", paths: []),
    ]
    entries[1].ref = "abc123"
    entries[1].state = .intent
    for entry in entries {
      let line = try Journal.encode(entry)
      #expect(String(decoding: line, as: UTF8.self) == String(decoding: try encoder.encode(entry), as: UTF8.self))
      #expect(Journal.decode(line) == JournalEntry(copyWholeSeconds: entry))
    }
    // Control characters a hand-edited login might hold stay escaped on one line.
    let odd = JournalEntry(at: Date(timeIntervalSince1970: 0), user: "a\nb\u{7}\u{2028}", action: .read)
    let line = try Journal.encode(odd)
    #expect(!line.contains(0x0A) && !line.contains(0x07))
    #expect(Journal.decode(line)?.user == "a\nb\u{7}\u{2028}")
  }
}

extension JournalEntry {
  /// The entry as a line gives it back: its time to the whole second.
  init(copyWholeSeconds entry: JournalEntry) {
    self = entry
    at = Date(timeIntervalSince1970: entry.at.timeIntervalSince1970.rounded(.down))
  }
}
