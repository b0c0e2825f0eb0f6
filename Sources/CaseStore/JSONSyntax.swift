/// Finds where a JSON text stops being valid, for messages such as
/// "unexpected end of file at line 1, column 38" (Foundation's decoder on Linux gives no position).
struct JSONSyntax {
  private let bytes: [UInt8]
  private var i = 0

  /// The first syntax error in `bytes`, with its line and column, or nil when the text is valid.
  static func firstError(in bytes: [UInt8]) -> String? {
    var checker = JSONSyntax(bytes: bytes)
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

  private func error(_ what: String) -> Failure {
    var line = 1
    var column = 1
    for b in bytes[0..<min(i, bytes.count)] {
      if b == 10 {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    if i >= bytes.count { return Failure(message: "unexpected end of file at line \(line), column \(column)") }
    return Failure(message: "\(what) at line \(line), column \(column)")
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
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        try string()
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
      try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
    default:
      throw error("unexpected character")
    }
  }

  private mutating func string() throws(Failure) {
    i += 1
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return
      }
      if b < 0x20 { throw error("control character inside a string") }
      if b == UInt8(ascii: "\\") {
        i += 1
        guard i < bytes.count else { break }
        let escapes: [UInt8] = Array("\"\\/bfnrtu".utf8)
        guard escapes.contains(bytes[i]) else { throw error("invalid escape in a string") }
      }
      i += 1
    }
    throw error("unterminated string")
  }

  private mutating func literal(_ word: String) throws(Failure) {
    for c in word.utf8 {
      guard i < bytes.count, bytes[i] == c else { throw error("unexpected character") }
      i += 1
    }
  }

  private mutating func number() throws(Failure) {
    let start = i
    while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
    if Double(String(decoding: bytes[start..<i], as: UTF8.self)) == nil {
      i = start
      throw error("malformed number")
    }
  }
}
