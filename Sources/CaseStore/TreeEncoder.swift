import Foundation

/// Encodes a `Codable` value straight into a `JSONValue` tree: the tree `JSONEncoder` plus a
/// parse of its text gave (dates as ISO 8601 UTC strings), without the text in between.
///
/// A save encodes the document and the revision it replaces to find the changed paths and to
/// lay unknown keys back in; the round trip through text was most of a save's CPU time.
enum TreeEncoder {
  static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    if let scalar = try scalar(value) { return scalar }
    let root = Node()
    try value.encode(to: Impl(node: root))
    return root.json
  }

  /// Encodes `value` (an object), taking the members named in `unchanged` from `base` as they
  /// are instead of encoding them again: a save of an edited case re-encodes only the sections
  /// that changed. The caller vouches that those members' values equal the ones `base` was
  /// made from.
  static func encode<T: Encodable>(_ value: T, reusing base: JSONObject, unchanged: Set<String>) throws -> JSONValue {
    let root = Node()
    root.reuse = (base, unchanged)
    try value.encode(to: Impl(node: root))
    return root.json
  }

  /// A member or element: a value already made, or a container being filled.
  enum Member {
    case value(JSONValue)
    case node(Node)

    var json: JSONValue {
      switch self {
      case .value(let value): value
      case .node(let node): node.json
      }
    }
  }

  /// One container being built; containers hand out child nodes and fill them in place.
  final class Node {
    var scalar: JSONValue = .null
    /// Members in the order they were encoded (sorted when the tree is made).
    var object: [(String, Member)]?
    var array: [Member]?
    /// The root's members that may be taken from a tree made before.
    var reuse: (JSONObject, Set<String>)?

    var json: JSONValue {
      if let object { return .object(JSONObject(members: object.map { ($0.0, $0.1.json) })) }
      if let array { return .array(array.map(\.json)) }
      return scalar
    }
  }

  /// A value that is not a container, made at once; nil for anything else.
  static func scalar<T: Encodable>(_ value: T) throws -> JSONValue? {
    // Types compared by identity, not by casting to protocols: a conformance lookup per
    // value cost more than the text round trip this replaces.
    if T.self == String.self { return .string(value as! String) }
    if T.self == Int.self { return .int(Int64(value as! Int)) }
    if T.self == Bool.self { return .bool(value as! Bool) }
    if T.self == Date.self { return .string(Timestamp.format(value as! Date)) }
    if let integer = integer(value) {
      guard let exact = integer else {
        throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "too large"))
      }
      return .int(exact)
    }
    if T.self == Double.self || T.self == Float.self {
      let d = T.self == Double.self ? value as! Double : Double(value as! Float)
      guard d.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a finite number"))
      }
      return .double(d)
    }
    return nil
  }

  /// `value` as a member: made at once when it is a scalar, else encoded into a new node.
  static func member<T: Encodable>(_ value: T) throws -> Member {
    if let scalar = try scalar(value) { return .value(scalar) }
    let node = Node()
    try value.encode(to: Impl(node: node))
    return .node(node)
  }

  /// The other integer types (their own encode(to:) would come straight back here): nil when
  /// `value` is none of them, .some(nil) when it does not fit.
  static func integer<T>(_ value: T) -> Int64?? {
    // Identities, not `is Int64.Type` casts: those were up to nine dynamic casts for every
    // encoded value that is not text, a number or a date.
    switch ObjectIdentifier(T.self) {
    case ObjectIdentifier(Int64.self): Int64(exactly: value as! Int64)
    case ObjectIdentifier(Int32.self): Int64(exactly: value as! Int32)
    case ObjectIdentifier(Int16.self): Int64(exactly: value as! Int16)
    case ObjectIdentifier(Int8.self): Int64(exactly: value as! Int8)
    case ObjectIdentifier(UInt.self): Int64(exactly: value as! UInt)
    case ObjectIdentifier(UInt64.self): Int64(exactly: value as! UInt64)
    case ObjectIdentifier(UInt32.self): Int64(exactly: value as! UInt32)
    case ObjectIdentifier(UInt16.self): Int64(exactly: value as! UInt16)
    case ObjectIdentifier(UInt8.self): Int64(exactly: value as! UInt8)
    default: nil
    }
  }

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
      self.stringValue = String(intValue)
      self.intValue = intValue
    }
  }

  private struct Impl: Encoder {
    let node: Node
    /// Kept empty: a path per value cost more than it ever told (nothing here throws with one).
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<K: CodingKey>(keyedBy type: K.Type) -> KeyedEncodingContainer<K> {
      if node.object == nil { node.object = [] }
      return KeyedEncodingContainer(Keyed<K>(node: node))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
      if node.array == nil { node.array = [] }
      return Unkeyed(node: node)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(node: node) }
  }

  private struct Keyed<K: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    var codingPath: [CodingKey] { [] }

    private func set(_ key: K, _ member: Member) { node.object!.append((key.stringValue, member)) }

    private func child(_ key: K) -> Node {
      let child = Node()
      set(key, .node(child))
      return child
    }

    mutating func encodeNil(forKey key: K) throws { set(key, .value(.null)) }
    mutating func encode(_ value: String, forKey key: K) throws { set(key, .value(.string(value))) }
    mutating func encode(_ value: Int, forKey key: K) throws { set(key, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Bool, forKey key: K) throws { set(key, .value(.bool(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: K) throws {
      if let (base, unchanged) = node.reuse, unchanged.contains(key.stringValue), let made = base[key.stringValue] {
        set(key, .value(made))
        return
      }
      set(key, try TreeEncoder.member(value))
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: K) throws {
      if let value { set(key, .value(.string(value))) }
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: K) throws {
      if let value { set(key, .value(.int(Int64(value)))) }
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: K) throws {
      if let value { set(key, .value(.bool(value))) }
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: K) throws {
      if let value { try encode(value, forKey: key) }
    }

    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: K) -> KeyedEncodingContainer<N> {
      let child = child(key)
      child.object = []
      return KeyedEncodingContainer(Keyed<N>(node: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: K) -> UnkeyedEncodingContainer {
      let child = child(key)
      child.array = []
      return Unkeyed(node: child)
    }

    mutating func superEncoder() -> Encoder {
      Impl(node: child(K(stringValue: "super")!))
    }

    mutating func superEncoder(forKey key: K) -> Encoder { Impl(node: child(key)) }
  }

  private struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    var codingPath: [CodingKey] { [] }
    var count: Int { node.array!.count }

    private func next() -> Node {
      let child = Node()
      node.array!.append(.node(child))
      return child
    }

    mutating func encodeNil() throws { node.array!.append(.value(.null)) }
    mutating func encode(_ value: String) throws { node.array!.append(.value(.string(value))) }
    mutating func encode(_ value: Int) throws { node.array!.append(.value(.int(Int64(value)))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
      node.array!.append(try TreeEncoder.member(value))
    }

    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) -> KeyedEncodingContainer<N> {
      let child = next()
      child.object = []
      return KeyedEncodingContainer(Keyed<N>(node: child))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
      let child = next()
      child.array = []
      return Unkeyed(node: child)
    }

    mutating func superEncoder() -> Encoder { Impl(node: next()) }
  }

  private struct Single: SingleValueEncodingContainer {
    let node: Node
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { node.scalar = .null }
    mutating func encode(_ value: String) throws { node.scalar = .string(value) }
    mutating func encode(_ value: Int) throws { node.scalar = .int(Int64(value)) }
    mutating func encode(_ value: Bool) throws { node.scalar = .bool(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
      if let scalar = try TreeEncoder.scalar(value) {
        node.scalar = scalar
        return
      }
      // A value that encodes itself as another container: it fills this node.
      try value.encode(to: Impl(node: node))
    }
  }
}
