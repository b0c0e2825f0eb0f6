import Foundation

/// Turns the bytes of a case file into a document, migrating old schemas and naming problems.
enum DocumentCodec {
  struct Decoded {
    var document: CaseDocument
    /// The migrated tree when the file was of an older schema (its unknown keys live there).
    var migratedTree: JSONValue?
    var migratedFrom: Int?
  }

  /// Decodes a case file; throws `.damaged` with the parser's message and position.
  static func decode(_ data: Data, fileName: String) throws(StoreError) -> Decoded {
    // The tape decoder reads a current, well-formed document at several times Foundation's
    // speed (checking its UTF-8 too); anything it refuses goes the way it always went, for the
    // same messages. A document that says it is of an older schema (or a negative one) is never
    // taken as it stands.
    if let document = try? TapeDecoder.decode(CaseDocument.self, from: data),
      document.schemaVersion >= CaseDocument.currentSchemaVersion
    {
      return Decoded(document: document)
    }
    // Before Foundation, which takes the first of a key given twice (a save would then drop the
    // other) and says nothing of where a lone surrogate or a malformed number is.
    if let problem = textProblem(data) { throw .damaged(file: fileName, problem: problem) }
    let decoder = CaseJSON.decoder
    do {
      let document = try decoder.decode(CaseDocument.self, from: data)
      guard document.schemaVersion < CaseDocument.currentSchemaVersion else { return Decoded(document: document) }
      throw OlderSchema()
    } catch let typedError {
      // Not a current document; an older schema migrates, anything else is damage.
      let tree: JSONValue
      do {
        tree = try JSONValue.parse(data)
      } catch {
        // The syntax is sound (checked above): the typed decoder's words say where it failed.
        throw .damaged(file: fileName, problem: describe(typedError))
      }
      // No schemaVersion is the first schema's way; one that is not a whole number from 0 is damage.
      if let stored = tree["schemaVersion"], stored.intValue.map({ $0 < 0 }) ?? true {
        throw .damaged(
          file: fileName, problem: "at schemaVersion: expected a whole number from 0 to \(CaseDocument.currentSchemaVersion)")
      }
      let version = tree["schemaVersion"]?.intValue ?? 0
      guard version < CaseDocument.currentSchemaVersion else {
        if version > CaseDocument.currentSchemaVersion {
          throw .damaged(
            file: fileName,
            problem:
              "it was written by a newer Keten (schema \(version)) and cannot be read by this one (\(describe(typedError)))"
          )
        }
        throw .damaged(file: fileName, problem: describe(typedError))
      }
      do {
        let migrated = try Migrations.migrate(tree, from: version)
        let document = try decoder.decode(CaseDocument.self, from: try migrated.serialized())
        return Decoded(document: document, migratedTree: migrated, migratedFrom: version)
      } catch let error as Migrations.Failure {
        if tree["schemaVersion"] == nil {
          throw .damaged(
            file: fileName,
            problem: "schemaVersion is missing, and the file does not read as the first schema either (\(error.description))")
        }
        throw .damaged(file: fileName, problem: error.description)
      } catch {
        throw .damaged(file: fileName, problem: "after migration from schema \(version): \(describe(error))")
      }
    }
  }

  /// A document that decodes as it stands but says it is of an older schema: it migrates.
  private struct OlderSchema: Error {}

  /// What makes a file's bytes unreadable as text before any JSON is parsed: empty, or invalid
  /// UTF-8 (with the byte offset); nil when they read as text.
  static func unreadableText(_ data: Data) -> String? {
    if data.isEmpty { return "the file is empty (0 bytes)" }
    if let offset = firstInvalidUTF8(data) { return "invalid UTF-8 at byte \(offset)" }
    return nil
  }

  /// What keeps a JSON file (a case, a record, the users table, the sequence) from being read
  /// with certainty before any decoder sees it: empty, invalid UTF-8, a syntax error or a key
  /// given twice, with line and column; nil when it reads as JSON.
  static func textProblem(_ data: Data) -> String? {
    unreadableText(data) ?? JSONSyntax.firstError(in: Array(data))
  }

  /// One line saying what the JSON decoder found wrong and where.
  static func describe(_ error: Error) -> String {
    func path(_ codingPath: [CodingKey]) -> String {
      // A map's key is stored data (a module id, a date, or whatever was written there): shown
      // as […], never as itself; a field's name and an index are Keten's.
      let p = codingPath.map { key in
        key.intValue.map { "[\($0)]" } ?? ("\(type(of: key))".contains("Dictionary") ? "[…]" : ".\(key.stringValue)")
      }
        .joined()
      return p.isEmpty ? "the top level" : String(p.drop(while: { $0 == "." }))
    }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .typeMismatch(let type, let context):
      return "at \(path(context.codingPath)): expected \(typeName(type)), found another kind of value"
    case .valueNotFound(let type, let context):
      return "at \(path(context.codingPath)): missing \(typeName(type))"
    case .keyNotFound(let key, let context):
      let parent = path(context.codingPath)
      return "required field '\(key.stringValue)' is missing at \(parent)"
    case .dataCorrupted(let context):
      var text = context.debugDescription
      if let underlying = context.underlyingError {
        let inner = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        text = inner ?? "\(underlying)"
      }
      // The decoders' own words may quote the stored value ("Cannot initialize Gender from
      // invalid String value …"): a message names where and what kind, never the value.
      if context.codingPath.isEmpty { return "not valid JSON: \(valueFree(text))" }
      return "at \(path(context.codingPath)): \(valueFree(text))"
    @unknown default:
      return "\(error)"
    }
  }

  /// A decoder's message without the value it quotes.
  static func valueFree(_ text: String) -> String {
    if text.hasPrefix("Cannot initialize") { return "not one of the values this field allows" }
    // A code's own message names the values it allows (fixed codes), never the stored one.
    if text.hasPrefix("not one of the values this field allows") { return text }
    var t = text.replacingOccurrences(of: "'[^']*'", with: "'…'", options: .regularExpression)
    t = t.replacingOccurrences(of: "\"[^\"]*\"", with: "\"…\"", options: .regularExpression)
    // Foundation quotes a number that does not fit as <1.5>.
    t = t.replacingOccurrences(of: "<[^>]*>", with: "<…>", options: .regularExpression)
    while t.hasSuffix(".") { t.removeLast() }
    return t
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type, is Int64.Type: return "a whole number"
    case is Bool.Type: return "true or false"
    case is Double.Type: return "a number"
    default:
      let name = "\(type)"
      if name.hasPrefix("Array") { return "a list" }
      if name.hasPrefix("Dictionary") { return "an object" }
      return "a value of type \(name)"
    }
  }

  /// Byte offset of the first byte that is not valid UTF-8, or nil.
  static func firstInvalidUTF8(_ data: Data) -> Int? {
    data.withUnsafeBytes { raw -> Int? in firstInvalidUTF8(raw.bindMemory(to: UInt8.self)) }
  }

  /// Byte offset of the first byte that is not valid UTF-8 in `bytes`, or nil.
  static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    if isValidUTF8(bytes) { return nil }
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }

  /// True when `bytes` are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no
  /// surrogates, nothing past U+10FFFF). ASCII is skipped eight bytes at a time; the cold open
  /// checks every case file with it.
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    while i < n {
      if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        i += 8
        continue
      }
      let b = base[i]
      if b < 0x80 {
        i += 1
        continue
      }
      func continuation(_ at: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { at < n && range.contains(base[at]) }
      switch b {
      case 0xC2...0xDF:
        guard continuation(i + 1) else { return false }
        i += 2
      case 0xE0...0xEF:
        let second: ClosedRange<UInt8> = b == 0xE0 ? 0xA0...0xBF : b == 0xED ? 0x80...0x9F : 0x80...0xBF
        guard continuation(i + 1, second), continuation(i + 2) else { return false }
        i += 3
      case 0xF0...0xF4:
        let second: ClosedRange<UInt8> = b == 0xF0 ? 0x90...0xBF : b == 0xF4 ? 0x80...0x8F : 0x80...0xBF
        guard continuation(i + 1, second), continuation(i + 2), continuation(i + 3) else { return false }
        i += 4
      default: return false
      }
    }
    return true
  }
}
