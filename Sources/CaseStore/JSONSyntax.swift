/// Finds where a JSON text stops being valid, for messages such as
/// "unexpected end of file at line 1, column 38" (Foundation's decoder on Linux gives no position).
struct JSONSyntax {
  private let bytes: [UInt8]
  private var i = 0

  /// The first syntax error in `bytes` ("not valid JSON: … at line L, column C"), or a key given
  /// twice in one object, or nil when the text is valid. Stricter than Foundation where Foundation
  /// guesses: a key twice (which value counts is JSON's open question, and a save would keep only
  /// one), a lone surrogate escape, a number with a leading zero or a bare point.
  static func firstError(in bytes: [UInt8]) -> String? {
    var checker = JSONSyntax(bytes: bytes)
    // A byte order mark before the text is read past, as Foundation reads past it.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { checker.i = 3 }
    do {
      checker.skipSpace()
      try checker.value(depth: 0)
      checker.skipSpace()
      if checker.i < bytes.count { throw checker.error("unexpected text after the document") }
      return nil
    } catch let failure as Failure {
      return failure.message
    } catch {
      return "\(error)"
    }
  }

  private struct Failure: Error { var message: String }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  /// Line and column (in characters) of byte `at`.
  private func position(_ at: Int) -> String {
    var line = 1
    var column = 1
    for b in bytes[0..<min(at, bytes.count)] {
      if b == 10 {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    return "line \(line), column \(column)"
  }

  private func error(_ what: String) -> Failure {
    if i >= bytes.count { return Failure(message: "not valid JSON: unexpected end of file at \(position(i))") }
    return Failure(message: "not valid JSON: \(what) at \(position(i))")
  }

  /// A key met a second time in one object, said where it starts and never by its name (a key
  /// can be anything a hand edit wrote, a person's name too).
  private func duplicate(at start: Int) -> Failure {
    Failure(message: "a key is given twice in one object at \(position(start)); which value counts is not certain, so the file needs repair")
  }

  private mutating func skipSpace() {
    while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 }
  }

  private mutating func expect(_ c: UInt8, _ what: String) throws(Failure) {
    skipSpace()
    guard i < bytes.count, bytes[i] == c else { throw error(what) }
    i += 1
  }

  private mutating func value(depth: Int) throws(Failure) {
    guard depth < 512 else { throw error("nesting too deep") }
    skipSpace()
    guard i < bytes.count else { throw error("a value is missing") }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return
      }
      // Compared as Swift compares text (canonically: "é" as one character or as "e" and an
      // accent is one key), as the document's own objects will hold them.
      var keys: Set<String> = []
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let keyStart = i
        let key = try string()
        guard keys.insert(String(decoding: key, as: UTF8.self)).inserted else { throw duplicate(at: keyStart) }
        try expect(UInt8(ascii: ":"), "expected ':' after a key")
        try value(depth: depth + 1)
        skipSpace()
        guard i < bytes.count else { throw error("") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "}") {
          i += 1
          return
        }
        throw error("expected ',' or '}'")
      }
    case UInt8(ascii: "["):
      i += 1
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return
      }
      while true {
        try value(depth: depth + 1)
        skipSpace()
        guard i < bytes.count else { throw error("") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "]") {
          i += 1
          return
        }
        throw error("expected ',' or ']'")
      }
    case UInt8(ascii: "\""):
      _ = try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
    default:
      throw error("unexpected character")
    }
  }

  /// Reads a string, returning its text (escapes resolved, as UTF-8) so keys can be compared.
  private mutating func string() throws(Failure) -> [UInt8] {
    i += 1
    var text: [UInt8] = []
    func hex4(_ at: Int) -> UInt32? { JSONEscape.hex4(bytes, at: at) }
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return text
      }
      if b < 0x20 { throw error("control character inside a string") }
      guard b == UInt8(ascii: "\\") else {
        text.append(b)
        i += 1
        continue
      }
      i += 1
      guard i < bytes.count else { break }
      switch bytes[i] {
      case UInt8(ascii: "u"):
        guard var scalar = hex4(i + 1) else { throw error("\\u needs four hexadecimal digits") }
        if (0xDC00...0xDFFF).contains(scalar) { throw error("a lone surrogate escape (\\uDC00–\\uDFFF) in a string") }
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 10 < bytes.count, bytes[i + 5] == UInt8(ascii: "\\"), bytes[i + 6] == UInt8(ascii: "u"),
            let low = hex4(i + 7), (0xDC00...0xDFFF).contains(low)
          else { throw error("a lone surrogate escape (\\uD800–\\uDBFF) in a string") }
          scalar = JSONEscape.scalar(high: scalar, low: low)
          i += 6
        }
        text.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        i += 5
      case let e:
        guard let resolved = Self.escapes[e] else { throw error("invalid escape in a string") }
        text.append(resolved)
        i += 1
      }
    }
    throw error("unterminated string")
  }

  private static let escapes: [UInt8: UInt8] = [
    UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"), UInt8(ascii: "/"): UInt8(ascii: "/"),
    UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
  ]

  private mutating func literal(_ word: String) throws(Failure) {
    for c in word.utf8 {
      guard i < bytes.count, bytes[i] == c else { throw error("unexpected character") }
      i += 1
    }
  }

  /// A number as JSON writes it: `-`, then `0` or digits not starting with `0`, then an optional
  /// fraction and exponent, each with at least one digit.
  private mutating func number() throws(Failure) {
    let start = i
    func digits() -> Int {
      let from = i
      while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
      return i - from
    }
    func malformed() -> Failure {
      i = start
      return error("malformed number")
    }
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count else { throw malformed() }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
      if i < bytes.count, (48...57).contains(bytes[i]) { throw malformed() }
    } else if digits() == 0 {
      throw malformed()
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw malformed() }
    }
    if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw malformed() }
    }
  }
}

/// The parts of a `\u` escape, for the syntax check and the tape decoder alike.
enum JSONEscape {
  /// The value of the four hexadecimal digits at `at`, or nil when there are not four there.
  static func hex4<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at: Int) -> UInt32? where Bytes.Index == Int {
    guard at >= bytes.startIndex, at + 4 <= bytes.endIndex else { return nil }
    var v: UInt32 = 0
    for b in bytes[at..<at + 4] {
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = v << 4 | UInt32(b - 48)
      case UInt8(ascii: "a")...UInt8(ascii: "f"): v = v << 4 | UInt32(b - 87)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): v = v << 4 | UInt32(b - 55)
      default: return nil
      }
    }
    return v
  }

  /// The scalar a surrogate pair (`\uD83D\uDE00`) stands for.
  static func scalar(high: UInt32, low: UInt32) -> UInt32 { 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00) }
}
