/// A code the case file stores as its raw string (a gender, a stage, a CEFR level…).
///
/// Its decoding is the standard library's (`RawRepresentable`'s own `init(from:)`, with the same
/// error), written here so that each code gets a copy made for its own type: the standard
/// library's copy is shared by every type and looked up the type of its optional result in the
/// runtime's cache on every value (perf: 2 % of a cold open, of 4.8 % decoding codes).
public protocol StoredCode: RawRepresentable, Codable where RawValue == String {}

extension StoredCode {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let value = Self(rawValue: raw) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "Cannot initialize \(Self.self) from invalid String value \(raw)")
    }
    self = value
  }
}
