/// The members of a JSON object, kept in key order (the order every file is written in).
///
/// A save builds, compares and writes a tree of some 40 objects; kept sorted, an object is
/// written without sorting its keys, compared member by member, and found by binary search,
/// with no hashing. Keys are unique: setting a key that is there replaces its value.
public struct JSONObject: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
  /// The keys, in ascending order.
  public private(set) var keys: [String]
  /// The values, `values[i]` being the value of `keys[i]`.
  public private(set) var values: [JSONValue]

  public init() {
    keys = []
    values = []
  }

  public init(_ members: [String: JSONValue]) {
    keys = members.keys.sorted()
    values = keys.map { members[$0]! }
  }

  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(members: elements)
  }

  /// Members in any order; of a key given twice, the last value stays.
  init(members: [(String, JSONValue)]) {
    keys = []
    values = []
    keys.reserveCapacity(members.count)
    values.reserveCapacity(members.count)
    var sorted = true
    for i in members.indices.dropFirst() where !(members[i - 1].0 < members[i].0) {
      sorted = false
      break
    }
    let order = sorted
      ? Array(members.indices)
      : members.indices.sorted { a, b in
        members[a].0 < members[b].0 || (members[a].0 == members[b].0 && a < b)
      }
    for i in order {
      let (key, value) = members[i]
      if let last = keys.last, last == key {
        values[values.count - 1] = value
      } else {
        keys.append(key)
        values.append(value)
      }
    }
  }

  /// Members already in strictly ascending key order (the tape's check made sure).
  init(sortedKeys: [String], values: [JSONValue]) {
    keys = sortedKeys
    self.values = values
  }

  public var count: Int { keys.count }
  public var isEmpty: Bool { keys.isEmpty }

  /// Where `key` is, or where it would go.
  private func position(of key: String) -> (index: Int, found: Bool) {
    var low = 0, high = keys.count
    while low < high {
      let middle = (low + high) / 2
      if keys[middle] < key { low = middle + 1 } else { high = middle }
    }
    return (low, low < keys.count && keys[low] == key)
  }

  public subscript(key: String) -> JSONValue? {
    get {
      let (index, found) = position(of: key)
      return found ? values[index] : nil
    }
    set {
      let (index, found) = position(of: key)
      switch (found, newValue) {
      case (true, let value?): values[index] = value
      case (true, nil):
        keys.remove(at: index)
        values.remove(at: index)
      case (false, let value?):
        keys.insert(key, at: index)
        values.insert(value, at: index)
      case (false, nil): break
      }
    }
  }

  /// Removes `key` and returns its value, or nil when it was not there.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSONValue? {
    let value = self[key]
    if value != nil { self[key] = nil }
    return value
  }

  public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
    JSONObject(sortedKeys: keys, values: try values.map(transform))
  }

  public struct Iterator: IteratorProtocol {
    fileprivate var keys: IndexingIterator<[String]>
    fileprivate var values: IndexingIterator<[JSONValue]>
    public mutating func next() -> (key: String, value: JSONValue)? {
      guard let key = keys.next(), let value = values.next() else { return nil }
      return (key, value)
    }
  }

  public func makeIterator() -> Iterator {
    Iterator(keys: keys.makeIterator(), values: values.makeIterator())
  }

  public var underestimatedCount: Int { keys.count }
}
