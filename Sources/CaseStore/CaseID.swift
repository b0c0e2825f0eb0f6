import Foundation

/// A case id such as `K-2026-0042`: short, typable, unique in the store and never reused.
///
/// Ids name files, so anything that could leave the store directory is refused: path
/// separators, `..`, NUL, a leading dot, control characters and ids over 40 characters.
public struct CaseID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public static let maxLength = 40
  public let rawValue: String

  /// Validates typed or stored text; lower-case letters are accepted and upper-cased.
  public init(_ text: String) throws(CaseIDError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw .empty }
    guard trimmed.utf8.count <= CaseID.maxLength else { throw .tooLong(trimmed.utf8.count) }
    guard !trimmed.hasPrefix(".") else { throw .invalid }
    for scalar in trimmed.unicodeScalars {
      let ok =
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
        || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
      guard ok else { throw .invalid }
    }
    rawValue = trimmed.uppercased()
  }

  /// The id `K-<year>-<number>` with at least four digits.
  public init(year: Int, number: Int) {
    rawValue = "K-\(year)-" + String(repeating: "0", count: max(0, 4 - String(number).count))
      + String(number)
  }

  /// Year and sequence number of a `K-YYYY-NNNN` id, or nil for ids of another form.
  public var yearAndNumber: (year: Int, number: Int)? {
    let parts = rawValue.split(separator: "-")
    guard parts.count == 3, parts[0] == "K", let y = Int(parts[1]), let n = Int(parts[2]) else {
      return nil
    }
    return (y, n)
  }

  public var description: String { rawValue }

  /// The file name of the case document.
  public var fileName: String { rawValue + ".json" }

  public static func < (a: CaseID, b: CaseID) -> Bool {
    switch (a.yearAndNumber, b.yearAndNumber) {
    case (let x?, let y?): return (x.year, x.number) < (y.year, y.number)
    default: return a.rawValue < b.rawValue
    }
  }

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
        "That is not a valid case id; ids use letters, digits, '-' and '_' only, like K-2026-0042."
    case .tooLong(let n):
      return "A case id is \(n) characters long; at most \(CaseID.maxLength) are allowed."
    }
  }
}
