import Foundation
import KetenResources

/// One language of `Resources/languages/languages.json`.
public struct LanguageEntry: Decodable, Sendable, Equatable {
  /// ISO 639 code as stored in cases: 639-1 where one exists (ar, uk), else 639-2/3 (prs, vgt).
  public var code: String
  public var nl: String
  public var en: String
  /// The language's name for itself.
  public var native: String
  /// Other names people write (Farsi, Vlaams).
  public var also: [String]?

  /// The name in the interface language `language` ("nl" or "en").
  public func name(_ language: String) -> String { language == "nl" ? nl : en }
}

/// The language list: cases store ISO 639 codes, people type names (in Dutch, English or the
/// language's own) or codes, and screens show names. Checked when first used: a code or a name
/// that two languages share is refused, naming it.
public enum Languages {
  struct Table: Sendable {
    var entries: [LanguageEntry]
    var byName: [String: String]
    var byCode: [String: LanguageEntry]
  }

  static let table: Table = {
    do {
      return try load(KetenResources.data("languages/languages.json"))
    } catch {
      // A broken content file is a broken build; the tests load it and name the problem.
      fatalError("Resources/languages/languages.json: \(error)")
    }
  }()

  struct ContentError: Error, CustomStringConvertible {
    var description: String
  }

  static func load(_ data: Data) throws -> Table {
    struct File: Decodable { var languages: [LanguageEntry] }
    let entries = try JSONDecoder().decode(File.self, from: data).languages
    var byName: [String: String] = [:]
    var byCode: [String: LanguageEntry] = [:]
    for entry in entries {
      guard entry.code.count >= 2, entry.code.count <= 3, entry.code.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
        throw ContentError(description: "'\(entry.code)' is not an ISO 639 code (2 or 3 lower-case letters)")
      }
      if byCode[entry.code] != nil { throw ContentError(description: "code '\(entry.code)' is listed twice") }
      byCode[entry.code] = entry
      for name in [entry.code, entry.nl, entry.en, entry.native] + (entry.also ?? []) {
        let key = SearchText.fold(name)
        if let other = byName[key], other != entry.code {
          throw ContentError(description: "the name '\(name)' belongs to both \(other) and \(entry.code)")
        }
        byName[key] = entry.code
      }
    }
    return Table(entries: entries, byName: byName, byCode: byCode)
  }

  public static var all: [LanguageEntry] { table.entries }

  /// The code for a typed name or code ("Arabisch", "arabic", "العربية", "AR" → "ar"); nil when unknown.
  public static func code(for text: String) -> String? {
    table.byName[SearchText.fold(text.trimmingCharacters(in: .whitespaces))]
  }

  /// The entry of a stored code.
  public static func entry(_ code: String) -> LanguageEntry? { table.byCode[code] }

  /// A stored value for people: the name in `language` ("nl"/"en"); a value stored before codes
  /// (a name) is shown by its name when known, else as stored.
  public static func name(_ stored: String, _ language: String) -> String {
    if let entry = table.byCode[stored] { return entry.name(language) }
    if let code = code(for: stored), let entry = table.byCode[code] { return entry.name(language) }
    return stored
  }

  /// Whether two stored values name the same language (a code and an older name included).
  public static func same(_ a: String, _ b: String) -> Bool {
    let ca = code(for: a) ?? SearchText.fold(a)
    let cb = code(for: b) ?? SearchText.fold(b)
    return ca == cb
  }
}
