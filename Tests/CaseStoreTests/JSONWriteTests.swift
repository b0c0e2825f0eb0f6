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
