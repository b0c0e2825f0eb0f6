import Foundation

/// A case id such as `K-2026-0042`: short, typable, unique in the store and never reused.
///
/// Ids name files, so anything that could leave the store directory is refused: path
/// separators, `..`, NUL, a leading dot, control characters and ids over 40 characters.
public struct CaseID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public static let maxLength = 40
  public let rawValue: String
  /// `year × 10⁹ + number` for `K-YYYY-N…` ids, -1 for others: comparing ids happens
  /// millions of times when 100,000 cases are sorted, so it is parsed once here.
  private let order: Int64

  /// Validates typed or stored text; lower-case letters are accepted and upper-cased.
  public init(_ text: String) throws(CaseIDError) {
    var bytes = Array(text.utf8)
    // Trim spaces and tabs (typed ids); stored ids have none, so this is usually free.
    while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
    let start = bytes.firstIndex { $0 != 32 && $0 != 9 } ?? bytes.count
    if start > 0 { bytes.removeFirst(start) }
    guard !bytes.isEmpty else { throw .empty }
    guard bytes.count <= CaseID.maxLength else { throw .tooLong(bytes.count) }
    guard bytes[0] != UInt8(ascii: ".") else { throw .invalid }
    for i in bytes.indices {
      switch bytes[i] {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "_"):
        continue
      case UInt8(ascii: "a")...UInt8(ascii: "z"):
        bytes[i] -= 32
      default:
        throw .invalid
      }
    }
    rawValue = String(decoding: bytes, as: UTF8.self)
    order = CaseID.order(of: rawValue)
  }

  /// An id as stored in the index: already upper case and trimmed, but checked all the same
  /// (it becomes a file name). Nil when it is not a valid id.
  init?(stored bytes: UnsafeBufferPointer<UInt8>) {
    guard !bytes.isEmpty, bytes.count <= CaseID.maxLength, bytes[0] != UInt8(ascii: ".") else { return nil }
    for b in bytes {
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
        continue
      default:
        return nil
      }
    }
    rawValue = String(decoding: bytes, as: UTF8.self)
    order = CaseID.order(of: bytes)
  }

  /// The id `K-<year>-<number>` with at least four digits.
  public init(year: Int, number: Int) {
    rawValue = "K-\(year)-" + String(repeating: "0", count: max(0, 4 - String(number).count))
      + String(number)
    order = CaseID.order(of: rawValue)
  }

  private static func order(of id: String) -> Int64 {
    var id = id
    return id.withUTF8 { order(of: $0) }
  }

  private static func order(of id: UnsafeBufferPointer<UInt8>) -> Int64 {
    guard id.count >= 5, id[0] == UInt8(ascii: "K"), id[1] == UInt8(ascii: "-") else { return -1 }
    /// The digits from `i` on (at least one, at most `limit`), and where they stop.
    func digits(from i: Int, limit: Int) -> (value: Int64, end: Int)? {
      var value: Int64 = 0
      var j = i
      while j < id.count, j - i < limit, id[j] &- 48 < 10 {
        value = value * 10 + Int64(id[j] &- 48)
        j += 1
      }
      return j > i ? (value, j) : nil
    }
    guard let year = digits(from: 2, limit: 4), year.end < id.count, id[year.end] == UInt8(ascii: "-"),
      let number = digits(from: year.end + 1, limit: 9), number.end == id.count
    else { return -1 }
    return year.value * 1_000_000_000 + number.value
  }

  /// Year and sequence number of a `K-YYYY-NNNN` id, or nil for ids of another form.
  public var yearAndNumber: (year: Int, number: Int)? {
    order < 0 ? nil : (Int(order / 1_000_000_000), Int(order % 1_000_000_000))
  }

  public var description: String { rawValue }

  /// The file name of the case document.
  public var fileName: String { rawValue + ".json" }

  public static func < (a: CaseID, b: CaseID) -> Bool {
    if a.order >= 0 && b.order >= 0 { return a.order < b.order }
    return a.rawValue < b.rawValue
  }

  public static func == (a: CaseID, b: CaseID) -> Bool { a.rawValue == b.rawValue }
  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// Why a text is not a valid case id.
public enum CaseIDError: Error, Equatable, CustomStringConvertible {
  case empty, invalid, tooLong(Int)

  public var description: String {
    switch self {
    case .empty:
      return "A case id is empty; give an id like K-2026-0042."
    case .invalid:
      return
        "That is not a valid case id; ids use letters, digits, hyphens and underscores only, like K-2026-0042."
    case .tooLong(let n):
      return "A case id is \(n) characters long; at most \(CaseID.maxLength) are allowed."
    }
  }
}
