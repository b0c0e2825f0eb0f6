/// A code the case file stores as its raw string (a gender, a stage, a CEFR level…).
///
/// Decoding is the standard library's (`RawRepresentable`'s own `init(from:)`), written here for
/// two reasons: each code gets a copy made for its own type (the standard library's copy is
/// shared by every type and looked up the type of its optional result in the runtime's cache on
/// every value: perf, 2 % of a cold open), and a value it does not know is answered with the
/// values it does (fixed codes, never what was stored).
public protocol StoredCode: RawRepresentable, Codable, CaseIterable where RawValue == String {}

extension StoredCode {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    guard let value = Self(rawValue: try container.decode(String.self)) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.notOneOfTheValues)
    }
    self = value
  }

  /// The message for a value this code does not know, naming the ones it does.
  public static var notOneOfTheValues: String {
    "not one of the values this field allows (" + allCases.map(\.rawValue).joined(separator: ", ") + ")"
  }
}
