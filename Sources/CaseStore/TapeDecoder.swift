import Foundation

/// A strict, fast `Decoder` for the store's own files: one pass over the bytes builds a flat tape
/// of the JSON values (checking the grammar as it goes), and the typed values are decoded from
/// the tape without building a dictionary per object.
///
/// It accepts less than Foundation's `JSONDecoder` (keys escaped or out of order, numbers with a fraction or an
/// exponent where a whole number is asked, a lone surrogate escape, nesting beyond 512) and
/// says nothing useful about why it failed: callers decode with Foundation when it throws, so
/// messages about damaged files, migrations of older schemas and the few shapes it refuses stay
/// exactly as they were. `TapeDecoderTests` decodes every demo document and hostile ones both
/// ways and compares them.
enum TapeDecoder {
  /// Thrown for anything the tape decoder does not take; the caller falls back to Foundation.
  struct Refused: Error {}

  static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try withTape(data) { tape in try T(from: NodeDecoder(tape: tape, index: 0)) }
  }

  /// The JSON tree of `data`, as `JSONValue`'s own decoding reads it; refuses numbers that are
  /// not whole or do not fit 64 bits, and objects whose keys are escaped or do not ascend.
  static func tree(_ data: Data) throws -> JSONValue {
    try withTape(data) { tape in try value(tape, 0) }
  }

  /// Checks `data` and builds its tape for `body`, which must not keep it.
  private static func withTape<R>(_ data: Data, _ body: (Tape) throws -> R) throws -> R {
    try data.withUnsafeBytes { raw throws -> R in
      let bytes = raw.bindMemory(to: UInt8.self)
      // Foundation refuses invalid UTF-8 where `String(decoding:)` would repair it.
      guard DocumentCodec.isValidUTF8(bytes) else { throw Refused() }
      var parser = TapeParser(bytes: bytes)
      try parser.document()
      return try parser.nodes.withUnsafeBufferPointer { nodes throws -> R in
        let tape = Tape(bytes: bytes, nodes: nodes)
        return try withExtendedLifetime(tape) { try body(tape) }
      }
    }
  }

  private static func value(_ tape: Tape, _ index: Int) throws -> JSONValue {
    let node = tape.nodes[index]
    switch node.kind {
    case .null: return .null
    case .bool: return .bool(node.flag)
    case .string: return .string(try tape.string(node))
    case .integer: return .int(Int64(try tape.integer(node)))
    case .number: throw Refused()
    case .array:
      var items: [JSONValue] = []
      items.reserveCapacity(Int(node.start))
      var at = index + 1
      for _ in 0..<node.start {
        items.append(try value(tape, at))
        at = Int(tape.nodes[at].after)
      }
      return .array(items)
    case .object:
      var members: [(String, JSONValue)] = []
      members.reserveCapacity(Int(node.start))
      var at = index + 1
      for _ in 0..<node.start {
        members.append((try tape.string(tape.nodes[at]), try value(tape, at + 1)))
        at = Int(tape.nodes[at + 1].after)
      }
      // The parser took only keys that ascend, so none is there twice.
      return .object(JSONObject(members: members))
    }
  }
}

/// One JSON value on the tape. Containers are followed by their contents (an object by key,
/// value, key, value…); `after` is the index just past a value and everything inside it.
struct TapeNode {
  enum Kind: UInt8 { case object, array, string, integer, number, bool, null }
  var kind: Kind
  /// A string holds a backslash escape; a bool is true.
  var flag: Bool
  /// Byte offset of a scalar's text (a string's without its quotes); a container's count.
  var start: Int32
  var length: Int32
  var after: Int32
}

/// The bytes and their tape, alive for the whole decode (containers refer to it unretained).
final class Tape {
  let bytes: UnsafeBufferPointer<UInt8>
  let nodes: UnsafeBufferPointer<TapeNode>

  init(bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeBufferPointer<TapeNode>) {
    self.bytes = bytes
    self.nodes = nodes
  }

  func text(_ node: TapeNode) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.start + node.length)])
  }

  /// A string node's value.
  func string(_ node: TapeNode) throws(TapeDecoder.Refused) -> String {
    guard node.kind == .string else { throw TapeDecoder.Refused() }
    if !node.flag { return String(decoding: text(node), as: UTF8.self) }
    return String(decoding: try unescaped(text(node)), as: UTF8.self)
  }

  /// The bytes of a string's text with its escapes resolved (the parser has checked them).
  func unescaped(_ raw: UnsafeBufferPointer<UInt8>) throws(TapeDecoder.Refused) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var i = 0
    while i < raw.count {
      let b = raw[i]
      guard b == 92 else {
        out.append(b)
        i += 1
        continue
      }
      let e = raw[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "b"): out.append(8)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "u"):
        // The parser has checked that four hexadecimal digits follow every \u.
        guard var scalar = JSONEscape.hex4(raw, at: i) else { throw TapeDecoder.Refused() }
        i += 4
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 6 <= raw.count, raw[i] == 92, raw[i + 1] == UInt8(ascii: "u"), let low = JSONEscape.hex4(raw, at: i + 2),
            (0xDC00...0xDFFF).contains(low)
          else { throw TapeDecoder.Refused() }
          scalar = JSONEscape.scalar(high: scalar, low: low)
          i += 6
        }
        guard let s = Unicode.Scalar(scalar) else { throw TapeDecoder.Refused() }
        out.append(contentsOf: UTF8.encode(s)!)
      default: out.append(e)  // " \ /
      }
    }
    return out
  }

  func integer(_ node: TapeNode) throws(TapeDecoder.Refused) -> Int {
    guard node.kind == .integer else { throw TapeDecoder.Refused() }
    let t = text(node)
    var i = 0
    let negative = t[0] == UInt8(ascii: "-")
    if negative { i = 1 }
    var value = 0
    while i < t.count {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (s, o2) = negative ? m.subtractingReportingOverflow(Int(t[i] - 48)) : m.addingReportingOverflow(Int(t[i] - 48))
      guard !o1, !o2 else { throw TapeDecoder.Refused() }
      value = s
      i += 1
    }
    return value
  }

  func double(_ node: TapeNode) throws(TapeDecoder.Refused) -> Double {
    guard node.kind == .integer || node.kind == .number,
      let value = Double(String(decoding: text(node), as: UTF8.self)), value.isFinite
    else { throw TapeDecoder.Refused() }
    return value
  }
}

/// Builds the tape, checking JSON's grammar; any fault throws `Refused`.
struct TapeParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var nodes: [TapeNode] = []
  var i = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    nodes.reserveCapacity(bytes.count / 12)
  }

  mutating func document() throws(TapeDecoder.Refused) {
    try value(depth: 0)
    skipSpace()
    guard i == bytes.count else { throw TapeDecoder.Refused() }
  }

  private mutating func skipSpace() {
    guard let base = bytes.baseAddress else { return }
    let n = bytes.count
    while i < n {
      // Indentation eight spaces at a time.
      if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
        i += 8
        continue
      }
      let b = base[i]
      guard b == 32 || b == 10 || b == 13 || b == 9 else { return }
      i += 1
    }
  }

  private mutating func value(depth: Int) throws(TapeDecoder.Refused) {
    guard depth < 512 else { throw TapeDecoder.Refused() }
    skipSpace()
    guard i < bytes.count else { throw TapeDecoder.Refused() }
    switch bytes[i] {
    case UInt8(ascii: "{"): try container(object: true, depth: depth)
    case UInt8(ascii: "["): try container(object: false, depth: depth)
    case UInt8(ascii: "\""): try string()
    case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
    case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
    case UInt8(ascii: "n"): try literal("null", .null, flag: false)
    default: try number()
    }
  }

  private mutating func container(object: Bool, depth: Int) throws(TapeDecoder.Refused) {
    let at = nodes.count
    nodes.append(TapeNode(kind: object ? .object : .array, flag: false, start: 0, length: 0, after: 0))
    i += 1
    skipSpace()
    let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
    var count: Int32 = 0
    // Keys must have no escape and strictly ascend, as every file Keten writes has them, so none
    // can be there twice; an object otherwise (a hand edit, wherever it is, in a field Keten does
    // not know too) sends the file the slow way, whose syntax check names a key given twice.
    // Checked here while the key's bytes are at hand (the decoder read them again, 2 %).
    var previous: TapeNode?
    if i < bytes.count, bytes[i] == close {
      i += 1
    } else {
      while true {
        if object {
          skipSpace()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw TapeDecoder.Refused() }
          try string()
          let key = nodes[nodes.count - 1]
          if key.flag { throw TapeDecoder.Refused() }
          if let previous {
            let shorter = Int(min(previous.length, key.length))
            let order = memcmp(bytes.baseAddress! + Int(previous.start), bytes.baseAddress! + Int(key.start), shorter)
            guard order < 0 || (order == 0 && previous.length < key.length) else { throw TapeDecoder.Refused() }
          }
          previous = key
          skipSpace()
          guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw TapeDecoder.Refused() }
          i += 1
        }
        try value(depth: depth + 1)
        count += 1
        skipSpace()
        guard i < bytes.count else { throw TapeDecoder.Refused() }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == close else { throw TapeDecoder.Refused() }
        i += 1
        break
      }
    }
    nodes[at].start = count
    nodes[at].after = Int32(nodes.count)
  }

  private mutating func string() throws(TapeDecoder.Refused) {
    i += 1
    let start = i
    var escaped = false
    let n = bytes.count
    guard let base = bytes.baseAddress else { throw TapeDecoder.Refused() }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while true {
      // Eight bytes at a time to the first quote, backslash or control byte: the zero-byte
      // test's lowest flagged byte is always a true one (a false flag only follows a true one).
      while i + 8 <= n {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let hit = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w)) & highs
        if hit != 0 {
          i += hit.trailingZeroBitCount >> 3
          break
        }
        i += 8
      }
      guard i < n else { throw TapeDecoder.Refused() }
      let b = base[i]
      if b == UInt8(ascii: "\"") { break }
      if b < 0x20 { throw TapeDecoder.Refused() }
      if b == 92 {
        escaped = true
        guard i + 1 < n else { throw TapeDecoder.Refused() }
        switch base[i + 1] {
        case UInt8(ascii: "\""), 92, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
          UInt8(ascii: "r"), UInt8(ascii: "t"):
          i += 2
        case UInt8(ascii: "u"):
          guard JSONEscape.hex4(bytes, at: i + 2) != nil else { throw TapeDecoder.Refused() }
          i += 6
        default: throw TapeDecoder.Refused()
        }
        continue
      }
      i += 1  // an ordinary byte of the last few
    }
    nodes.append(TapeNode(kind: .string, flag: escaped, start: Int32(start), length: Int32(i - start), after: Int32(nodes.count + 1)))
    i += 1
  }

  private mutating func literal(_ word: StaticString, _ kind: TapeNode.Kind, flag: Bool) throws(TapeDecoder.Refused) {
    let n = word.utf8CodeUnitCount
    guard i + n <= bytes.count, memcmp(bytes.baseAddress! + i, word.utf8Start, n) == 0 else { throw TapeDecoder.Refused() }
    nodes.append(TapeNode(kind: kind, flag: flag, start: Int32(i), length: Int32(n), after: Int32(nodes.count + 1)))
    i += n
  }

  private mutating func number() throws(TapeDecoder.Refused) {
    let start = i
    func digits() -> Int {
      let from = i
      while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
      return i - from
    }
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count else { throw TapeDecoder.Refused() }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      guard digits() > 0 else { throw TapeDecoder.Refused() }
    }
    var kind = TapeNode.Kind.integer
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw TapeDecoder.Refused() }
      kind = .number
    }
    if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw TapeDecoder.Refused() }
      kind = .number
    }
    nodes.append(TapeNode(kind: kind, flag: false, start: Int32(start), length: Int32(i - start), after: Int32(nodes.count + 1)))
  }
}


/// A decoder positioned on one node of the tape (two words: no allocation when passed on).
struct NodeDecoder: Decoder {
  unowned(unsafe) let tape: Tape
  let index: Int

  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  var node: TapeNode { tape.nodes[index] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    KeyedDecodingContainer(try ObjectContainer<Key>(tape: tape, index: index))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard node.kind == .array else { throw TapeDecoder.Refused() }
    return ArrayContainer(tape: tape, next: index + 1, count: Int(node.start))
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  /// Decodes any value at `index`: dates as the store writes them, the rest by their own rules.
  static func value<T: Decodable>(_ type: T.Type, tape: Tape, index: Int) throws -> T {
    // One identity compared with constants made once: `T.self == [String].self` looks up the
    // generic type's metadata in the runtime's cache each time (7 % of a cold open). A match
    // means T is that very type, so the value is handed over as it is. The constants are read
    // as one value (each static read of its own was a `swift_once` call, 1 % of a cold open).
    let id = ObjectIdentifier(T.self)
    let known = Known.identities
    if id == known.string { return unsafeBitCast(try tape.string(tape.nodes[index]), to: T.self) }
    if id == known.date {
      let node = tape.nodes[index]
      if node.kind == .string, !node.flag, let date = Timestamp.parseWholeSeconds(tape.text(node)) { return unsafeBitCast(date, to: T.self) }
      guard let date = Timestamp.parse(try tape.string(node)) else { throw TapeDecoder.Refused() }
      return unsafeBitCast(date, to: T.self)
    }
    if id == known.int { return unsafeBitCast(try tape.integer(tape.nodes[index]), to: T.self) }
    // The shapes a case file holds most, read without a container per value.
    if id == known.localDate {
      let node = tape.nodes[index]
      guard node.kind == .string, !node.flag, let date = LocalDate(bytes: tape.text(node)) else { throw TapeDecoder.Refused() }
      return unsafeBitCast(date, to: T.self)
    }
    if id == known.strings { return unsafeBitCast(try strings(tape: tape, index: index), to: T.self) }
    if id == known.textMap { return unsafeBitCast(try dictionary(tape: tape, index: index) { (node: TapeNode) throws(TapeDecoder.Refused) in try tape.string(node) }, to: T.self) }
    if id == known.flagMap {
      let map = try dictionary(tape: tape, index: index) { node throws(TapeDecoder.Refused) in
        guard node.kind == .bool else { throw TapeDecoder.Refused() }
        return node.flag
      }
      return unsafeBitCast(map, to: T.self)
    }
    if id == known.numberMap { return unsafeBitCast(try dictionary(tape: tape, index: index) { (node: TapeNode) throws(TapeDecoder.Refused) in try tape.integer(node) }, to: T.self) }
    // An array of anything else is read element by element straight from the tape: the
    // standard library's `Array(from:)` boxes a container, calls it through a protocol per
    // element and grows its storage one doubling at a time (perf: 4 % of a cold open).
    if tape.nodes[index].kind == .array, let array = T.self as? any TapeArray.Type {
      return try array.decode(tape: tape, index: index, as: T.self)
    }
    return try T(from: NodeDecoder(tape: tape, index: index))
  }

  /// The identities of the types read straight from the tape.
  private struct Known {
    let string = ObjectIdentifier(String.self)
    let int = ObjectIdentifier(Int.self)
    let date = ObjectIdentifier(Date.self)
    let localDate = ObjectIdentifier(LocalDate.self)
    let strings = ObjectIdentifier([String].self)
    let textMap = ObjectIdentifier([String: String].self)
    let flagMap = ObjectIdentifier([String: Bool].self)
    let numberMap = ObjectIdentifier([String: Int].self)
    static let identities = Known()
  }

  private static func strings(tape: Tape, index: Int) throws(TapeDecoder.Refused) -> [String] {
    let node = tape.nodes[index]
    guard node.kind == .array else { throw TapeDecoder.Refused() }
    var out: [String] = []
    out.reserveCapacity(Int(node.start))
    var at = index + 1
    for _ in 0..<node.start {
      out.append(try tape.string(tape.nodes[at]))
      at = Int(tape.nodes[at].after)
    }
    return out
  }

  /// An object of string keys, as `Dictionary`'s own decoding reads it (the parser took its keys
  /// only unescaped and ascending, so once each).
  private static func dictionary<Value>(
    tape: Tape, index: Int, _ value: (TapeNode) throws(TapeDecoder.Refused) -> Value
  ) throws -> [String: Value] {
    guard tape.nodes[index].kind == .object else { throw TapeDecoder.Refused() }
    let count = Int(tape.nodes[index].start)
    var out: [String: Value] = [:]
    out.reserveCapacity(count)
    var at = index + 1
    for _ in 0..<count {
      let key = String(decoding: tape.text(tape.nodes[at]), as: UTF8.self)
      out[key] = try value(tape.nodes[at + 1])
      at = Int(tape.nodes[at + 1].after)
    }
    return out
  }
}

extension NodeDecoder: SingleValueDecodingContainer {
  func decodeNil() -> Bool { node.kind == .null }
  func decode(_ type: Bool.Type) throws -> Bool {
    guard node.kind == .bool else { throw TapeDecoder.Refused() }
    return node.flag
  }
  func decode(_ type: String.Type) throws -> String { try tape.string(node) }
  func decode(_ type: Double.Type) throws -> Double { try tape.double(node) }
  func decode(_ type: Float.Type) throws -> Float { throw TapeDecoder.Refused() }
  func decode(_ type: Int.Type) throws -> Int { try tape.integer(node) }
  func decode(_ type: Int8.Type) throws -> Int8 { try narrow(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try narrow(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try narrow(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { Int64(try tape.integer(node)) }
  func decode(_ type: UInt.Type) throws -> UInt { try narrow(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(type) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try NodeDecoder.value(type, tape: tape, index: index) }

  private func narrow<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
    guard let value = T(exactly: try tape.integer(node)) else { throw TapeDecoder.Refused() }
    return value
  }
}

/// An object's members, looked up by comparing key bytes (objects here have a few dozen keys at
/// most); the parser took only objects whose keys are plain and ascending, so none is there twice.
struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  unowned(unsafe) let tape: Tape
  let index: Int
  let count: Int

  init(tape: Tape, index: Int) throws {
    let node = tape.nodes[index]
    guard node.kind == .object else { throw TapeDecoder.Refused() }
    self.tape = tape
    self.index = index
    self.count = Int(node.start)
  }

  var codingPath: [any CodingKey] { [] }

  var allKeys: [Key] {
    var keys: [Key] = []
    var k = index + 1
    for _ in 0..<count {
      if let key = Key(stringValue: String(decoding: tape.text(tape.nodes[k]), as: UTF8.self)) { keys.append(key) }
      k = Int(tape.nodes[k + 1].after)
    }
    return keys
  }

  /// The index of the value stored under `key`, or nil.
  private func find(_ key: Key) -> Int? {
    var name = key.stringValue
    return name.withUTF8 { wanted -> Int? in
      let bytes = tape.bytes.baseAddress!
      var k = index + 1
      for _ in 0..<count {
        let node = tape.nodes[k]
        if Int(node.length) == wanted.count, Self.same(bytes + Int(node.start), wanted) { return k + 1 }
        k = Int(tape.nodes[k + 1].after)
      }
      return nil
    }
  }

  /// True when the `wanted.count` bytes at `at` are `wanted`'s: eight at a time, no call (keys
  /// are short; `memcmp` was a fifth of finding one).
  @inline(__always)
  private static func same(_ at: UnsafePointer<UInt8>, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let w = wanted.baseAddress else { return true }
    let n = wanted.count
    var k = 0
    while k + 8 <= n {
      if UnsafeRawPointer(at + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(w + k).loadUnaligned(as: UInt64.self) {
        return false
      }
      k += 8
    }
    while k < n {
      if at[k] != w[k] { return false }
      k += 1
    }
    return true
  }

  private func require(_ key: Key) throws -> Int {
    guard let at = find(key) else { throw TapeDecoder.Refused() }
    return at
  }

  func contains(_ key: Key) -> Bool { find(key) != nil }

  func decodeNil(forKey key: Key) throws -> Bool { tape.nodes[try require(key)].kind == .null }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try tape.string(tape.nodes[try require(key)]) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try tape.double(tape.nodes[try require(key)]) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw TapeDecoder.Refused() }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try tape.integer(tape.nodes[try require(key)]) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try NodeDecoder(tape: tape, index: try require(key)).decode(type) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try NodeDecoder.value(type, tape: tape, index: try require(key))
  }

  /// Absent or null is nil, as with Foundation.
  private func present(_ key: Key) -> Int? {
    guard let at = find(key), tape.nodes[at].kind != .null else { return nil }
    return at
  }

  func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
    guard let at = present(key) else { return nil }
    return try tape.string(tape.nodes[at])
  }
  func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
    guard let at = present(key) else { return nil }
    return try tape.integer(tape.nodes[at])
  }
  func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
    guard let at = present(key) else { return nil }
    return try NodeDecoder(tape: tape, index: at).decode(type)
  }
  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard let at = present(key) else { return nil }
    return try NodeDecoder.value(type, tape: tape, index: at)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    KeyedDecodingContainer(try ObjectContainer<NestedKey>(tape: tape, index: try require(key)))
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try NodeDecoder(tape: tape, index: try require(key)).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { throw TapeDecoder.Refused() }
  func superDecoder(forKey key: Key) throws -> any Decoder { throw TapeDecoder.Refused() }
}

/// An array whose elements the tape decodes one by one (`[Element]` for any decodable element).
protocol TapeArray {
  static func decode<T>(tape: Tape, index: Int, as type: T.Type) throws -> T
}

extension Array: TapeArray where Element: Decodable {
  /// The array at `index` (an array node), as `T`, which is this very type.
  static func decode<T>(tape: Tape, index: Int, as type: T.Type) throws -> T {
    let count = Int(tape.nodes[index].start)
    var out: [Element] = []
    out.reserveCapacity(count)
    var at = index + 1
    for _ in 0..<count {
      out.append(try NodeDecoder.value(Element.self, tape: tape, index: at))
      at = Int(tape.nodes[at].after)
    }
    return unsafeBitCast(out, to: T.self)
  }
}

/// An array's elements in order.
struct ArrayContainer: UnkeyedDecodingContainer {
  unowned(unsafe) let tape: Tape
  var next: Int
  let total: Int
  var currentIndex = 0

  init(tape: Tape, next: Int, count: Int) {
    self.tape = tape
    self.next = next
    self.total = count
  }

  var codingPath: [any CodingKey] { [] }
  var count: Int? { total }
  var isAtEnd: Bool { currentIndex >= total }

  /// The index of the next element, moving past it.
  private mutating func advance() throws -> Int {
    guard currentIndex < total else { throw TapeDecoder.Refused() }
    let at = next
    next = Int(tape.nodes[at].after)
    currentIndex += 1
    return at
  }

  mutating func decodeNil() throws -> Bool {
    guard currentIndex < total, tape.nodes[next].kind == .null else { return false }
    _ = try advance()
    return true
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: String.Type) throws -> String { try tape.string(tape.nodes[try advance()]) }
  mutating func decode(_ type: Double.Type) throws -> Double { try tape.double(tape.nodes[try advance()]) }
  mutating func decode(_ type: Float.Type) throws -> Float { throw TapeDecoder.Refused() }
  mutating func decode(_ type: Int.Type) throws -> Int { try tape.integer(tape.nodes[try advance()]) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try NodeDecoder(tape: tape, index: try advance()).decode(type) }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try NodeDecoder.value(type, tape: tape, index: try advance())
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    KeyedDecodingContainer(try ObjectContainer<NestedKey>(tape: tape, index: try advance()))
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try NodeDecoder(tape: tape, index: try advance()).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder { throw TapeDecoder.Refused() }
}
