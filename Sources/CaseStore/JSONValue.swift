import Foundation

/// A JSON document as a plain value tree.
///
/// Typed `Codable` models drop keys they do not know; the store keeps the raw tree of every
/// loaded document so that such keys (written by a newer Keten or by hand) are written back.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The member `key` of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    get {
      if case .object(let members) = self { return members[key] }
      return nil
    }
    set {
      guard case .object(var members) = self else { return }
      members[key] = newValue
      self = .object(members)
    }
  }

  /// The string payload, or nil for any other kind of value.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The integer payload (also from a whole-number double), or nil.
  public var intValue: Int? {
    switch self {
    case .int(let i): return Int(exactly: i)
    case .double(let d): return Int(exactly: d)
    default: return nil
    }
  }
}

extension JSONValue: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int64.self) {
      self = .int(i)
    } else if let d = try? container.decode(Double.self) {
      self = .double(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(JSONObject(try container.decode([String: JSONValue].self)))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .int(let i): try container.encode(i)
    case .double(let d): try container.encode(d)
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o): try container.encode(Dictionary(uniqueKeysWithValues: o.lazy.map { ($0.key, $0.value) }))
    }
  }
}

extension JSONValue {
  /// Parses JSON bytes into a value tree.
  public static func parse(_ data: Data) throws -> JSONValue {
    // The tape reads the store's own files (whole numbers, no duplicate keys) at several times
    // Foundation's speed; anything else is read as it always was.
    if let tree = try? TapeDecoder.tree(data) { return tree }
    return try JSONDecoder().decode(JSONValue.self, from: data)
  }

  /// Serialises the tree the way every case file is written: two-space indent, keys sorted,
  /// UTF-8 text unescaped (names stay readable with `cat` and `jq`), a final newline.
  public func serialized() throws -> Data {
    var out: [UInt8] = []
    out.reserveCapacity(8_192)
    write(into: &out, indent: 0)
    out.append(10)
    return Data(out)
  }

  /// Serialises the tree on one line without spaces, keys sorted (a journal line).
  func compactSerialized() -> Data {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    writeCompact(into: &out)
    return Data(out)
  }

  private func writeCompact(into out: inout [UInt8]) {
    switch self {
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        item.writeCompact(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for index in members.keys.indices {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        JSONValue.writeString(members.keys[index], into: &out)
        out.append(UInt8(ascii: ":"))
        members.values[index].writeCompact(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    default:
      write(into: &out, indent: 0)
    }
  }

  private func write(into out: inout [UInt8], indent: Int) {
    // Bytes appended one by one or from byte arrays: `+= "…".utf8` went through a generic
    // append and a retain per call, a sixth of a save's writing.
    func spaces(_ n: Int) { for _ in 0..<n { out.append(32) } }
    func ascii(_ text: StaticString) {
      text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
    switch self {
    case .null: ascii("null")
    case .bool(let b): b ? ascii("true") : ascii("false")
    case .int(let i): out.append(contentsOf: String(i).utf8)
    case .double(let d): out.append(contentsOf: (d.isFinite ? "\(d)" : "null").utf8)
    case .string(let s): JSONValue.writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        ascii("[]")
        return
      }
      ascii("[\n")
      for index in items.indices {
        spaces(indent + 2)
        items[index].write(into: &out, indent: indent + 2)
        if index != items.count - 1 { out.append(UInt8(ascii: ",")) }
        out.append(10)
      }
      spaces(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        ascii("{}")
        return
      }
      ascii("{\n")
      // The members are kept in key order: no sort and no look-up here.
      let count = members.count
      members.keys.withUnsafeBufferPointer { keys in
        members.values.withUnsafeBufferPointer { values in
          for index in 0..<count {
            spaces(indent + 2)
            JSONValue.writeString(keys[index], into: &out)
            ascii(": ")
            values[index].write(into: &out, indent: indent + 2)
            if index != count - 1 { out.append(UInt8(ascii: ",")) }
            out.append(10)
          }
        }
      }
      spaces(indent)
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A JSON string: quotes, backslashes and control characters escaped, U+2028/2029 too (they
  /// end lines in JavaScript); everything else as its own UTF-8 bytes.
  private static func writeString(_ s: String, into out: inout [UInt8]) {
    let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    out.append(quote)
    var s = s
    s.withUTF8 { bytes in
      var i = 0
      while i < bytes.count {
        // Text that needs no escape is copied a run at a time.
        var end = i
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] != quote, bytes[end] != backslash,
          bytes[end] != 0x7F, bytes[end] != 0xE2
        {
          end += 1
        }
        if end > i {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
          i = end
          continue
        }
        let b = bytes[i]
        i += 1
        switch b {
        case quote, backslash: out += [backslash, b]
        case 10: out += [backslash, UInt8(ascii: "n")]
        case 13: out += [backslash, UInt8(ascii: "r")]
        case 9: out += [backslash, UInt8(ascii: "t")]
        case 0..<0x20, 0x7F: out += [backslash, UInt8(ascii: "u"), 48, 48, 48 + (b >> 4), b & 15 < 10 ? 48 + (b & 15) : 87 + (b & 15)]
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        case 0xE2 where i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9):
          out += [backslash, UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"), bytes[i + 1] == 0xA8 ? 56 : 57]
          i += 2
        default: out.append(b)
        }
      }
    }
    out.append(quote)
  }
}

/// The parts of a stored document that the typed model did not read.
///
/// Built by comparing the raw tree with the typed model's own encoding of it, and laid back over
/// the encoding of the edited model on save. Arrays of objects that carry an `"id"` are matched by
/// id, so an unknown key inside one note stays with that note even when notes are added or removed.
indirect enum UnknownResidue: Equatable, Sendable {
  /// A whole value the model does not know at all.
  case value(JSONValue)
  /// Unknown parts inside known members of an object.
  case object([String: UnknownResidue])
  /// Unknown parts inside array elements, matched by their `"id"`.
  case elementsByID([String: UnknownResidue])
  /// Unknown parts inside array elements without ids, matched by position.
  case elementsByIndex([Int: UnknownResidue])

  /// What `raw` holds beyond `known`, or nil when the model read everything.
  static func extract(raw: JSONValue, known: JSONValue) -> UnknownResidue? {
    switch (raw, known) {
    case (.object(let r), .object(let k)):
      var out: [String: UnknownResidue] = [:]
      for (key, rv) in r {
        if let kv = k[key] {
          if let residue = extract(raw: rv, known: kv) { out[key] = residue }
        } else {
          out[key] = .value(rv)
        }
      }
      return out.isEmpty ? nil : .object(out)
    case (.array(let r), .array(let k)):
      let rawIDs = r.map { $0["id"]?.stringValue }
      if !r.isEmpty, rawIDs.allSatisfy({ $0 != nil }) {
        var knownByID: [String: JSONValue] = [:]
        for element in k { if let id = element["id"]?.stringValue { knownByID[id] = element } }
        var out: [String: UnknownResidue] = [:]
        for (element, id) in zip(r, rawIDs) {
          guard let id else { continue }
          if let kv = knownByID[id] {
            if let residue = extract(raw: element, known: kv) { out[id] = residue }
          } else {
            out[id] = .value(element)
          }
        }
        return out.isEmpty ? nil : .elementsByID(out)
      }
      var out: [Int: UnknownResidue] = [:]
      for (index, element) in r.enumerated() where index < k.count {
        if let residue = extract(raw: element, known: k[index]) { out[index] = residue }
      }
      return out.isEmpty ? nil : .elementsByIndex(out)
    default:
      return nil
    }
  }

  /// Lays the residue back over a freshly encoded document.
  func apply(to value: JSONValue) -> JSONValue {
    switch (self, value) {
    case (.value(let v), _):
      return v
    case (.object(let members), .object(var target)):
      for (key, residue) in members {
        if case .value(let v) = residue {
          if target[key] == nil { target[key] = v }
        } else if let existing = target[key] {
          target[key] = residue.apply(to: existing)
        }
      }
      return .object(target)
    case (.elementsByID(let byID), .array(let elements)):
      return .array(
        elements.map { element in
          guard let id = element["id"]?.stringValue, let residue = byID[id] else { return element }
          if case .value = residue { return element }
          return residue.apply(to: element)
        })
    case (.elementsByIndex(let byIndex), .array(var elements)):
      for (index, residue) in byIndex where index < elements.count {
        elements[index] = residue.apply(to: elements[index])
      }
      return .array(elements)
    default:
      return value
    }
  }
}

/// The shared encoder and decoder for case documents.
enum CaseJSON {
  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(Timestamp.format(date))
    }
    return encoder
  }

  static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      guard let date = Timestamp.parse(text) else {
        throw DecodingError.dataCorruptedError(
          in: container,
          debugDescription: "'\(text)' is not an ISO 8601 UTC timestamp like 2026-03-01T09:30:00Z")
      }
      return date
    }
    return decoder
  }

  /// Encodes a typed value into a JSON tree.
  static func tree<T: Encodable>(_ value: T) throws -> JSONValue {
    try TreeEncoder.encode(value)
  }

  /// The tree of `document`, its unchanged sections taken from `baseTree` (the tree of `base`).
  static func tree(_ document: CaseDocument, since base: CaseDocument, baseTree: JSONValue?) throws -> JSONValue {
    guard case .object(let members)? = baseTree else { return try TreeEncoder.encode(document) }
    return try TreeEncoder.encode(document, reusing: members, unchanged: document.unchangedSections(since: base))
  }
}
