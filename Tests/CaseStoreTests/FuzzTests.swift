import Foundation
import DemoData
import Testing

@testable import CaseStore

/// Hostile and broken case files: the reader never crashes or hangs, reports damage in one line,
/// and never writes to a file it could not read.
@Suite struct FuzzTests {
  /// Fixed documents that have broken JSON readers elsewhere.
  static let nasty: [(String, Data)] = [
    ("deep arrays", Data(String(repeating: "[", count: 100_000).utf8)),
    ("deep objects", Data(String(repeating: "{\"a\":", count: 50_000).utf8)),
    ("closed deep nesting", Data((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).utf8)),
    ("invalid UTF-8", Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])),
    ("overlong UTF-8", Data([0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D])),
    ("lone surrogate", Data(#"{"person":{"fullName":"\uD800"}}"#.utf8)),
    ("NUL bytes", Data([0x7B, 0x00, 0x00, 0x7D])),
    ("huge number", Data(#"{"schemaVersion":1e400,"revision":99999999999999999999999}"#.utf8)),
    ("huge string", Data(("{\"id\":\"" + String(repeating: "x", count: 20_000_000) + "\"}").utf8)),
    ("only whitespace", Data("   \n\t  ".utf8)),
    ("BOM then JSON", Data([0xEF, 0xBB, 0xBF] + Array("{}".utf8))),
    ("wrong types", Data(#"{"schemaVersion":"1","id":5,"revision":[],"person":"x"}"#.utf8)),
    ("duplicate keys", Data(#"{"schemaVersion":1,"schemaVersion":2}"#.utf8)),
    ("negative revision", Data(#"{"schemaVersion":1,"id":"K-2026-0001","revision":-5}"#.utf8)),
  ]

  @Test func nastyDocumentsAreReportedAsDamagedAndLeftAlone() throws {
    let t = try TempStore()
    let good = try t.create()
    for (what, data) in Self.nasty {
      try expectDamagedAndUntouched(data, in: t, what: what)
    }
    #expect(try t.store.load(good.id).bytes == good.bytes)
  }

  /// Thousands of random mutations of a real case file: flipped, cut, repeated and inserted
  /// bytes. Whatever the reader makes of them, it does not crash, and a file it cannot read is
  /// reported and stays as it was.
  @Test func mutatedCaseFilesNeverCrashTheReaderOrGetRewritten() throws {
    let t = try TempStore()
    let created = try t.create("Ærøskøbing Ünïcødé 😀 عربي")
    let original = created.bytes
    // Longer runs: KETEN_FUZZ_ROUNDS=200000 KETEN_FUZZ_SEED=… swift test --filter FuzzTests
    let environment = ProcessInfo.processInfo.environment
    let rounds = environment["KETEN_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 3_000
    var rng = SplitMix64(seed: environment["KETEN_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_122)
    var damaged = 0
    var readable = 0
    for round in 0..<rounds {
      var bytes = [UInt8](original)
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = Int.random(in: 0..<max(1, bytes.count), using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
        case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 30)], at: at)
        case 4: bytes = Array(bytes.prefix(at))
        default: bytes.insert(contentsOf: Array("\"\\u00".utf8), at: at)
        }
        if bytes.isEmpty { break }
      }
      let outcome = try read(Data(bytes), in: t, as: created.id, what: "mutation \(round)")
      if outcome { readable += 1 } else { damaged += 1 }
    }
    // Both outcomes occur, so the run exercised the decoder past the syntax check and into it.
    #expect(damaged > rounds / 3)
    #expect(readable > rounds / 300)
  }

  /// Writes `data` as the file of case `id` and reads it through `load` and `list`. Returns
  /// true when it read as a case; checks the bytes on disk are untouched either way.
  @discardableResult
  func read(_ data: Data, in t: TempStore, as id: CaseID, what: String) throws -> Bool {
    let path = t.casePath(id)
    try data.write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    var readable = true
    do {
      _ = try t.store.load(id)
    } catch {
      readable = false
      let message = error.description
      #expect(!message.isEmpty && !message.contains("\n"), "\(what): \(message.prefix(200))")
      #expect(message.count < 600, "\(what): message of \(message.count) characters")
    }
    let listing = try t.store.list()
    #expect(listing.damaged.contains { $0.file == id.fileName } == !readable, "\(what)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data, "\(what): the file was changed")
    return readable
  }

  func expectDamagedAndUntouched(_ data: Data, in t: TempStore, what: String) throws {
    #expect(try read(data, in: t, as: CaseID("K-2026-0500"), what: what) == false, "\(what) was read as a case")
  }
}
