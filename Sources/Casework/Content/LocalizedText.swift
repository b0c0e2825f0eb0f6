import Foundation
import KetenResources

/// A text in several languages, keyed by language code (`nl`, `en`, and any a partner adds).
public struct LocalizedText: Codable, Equatable, Sendable {
  /// Languages every text of the app's content must have.
  public static let required = ["nl", "en"]

  public var texts: [String: String]

  public init(_ texts: [String: String]) { self.texts = texts }

  public init(from decoder: Decoder) throws {
    texts = try decoder.singleValueContainer().decode([String: String].self)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(texts)
  }

  /// The text in `language`, else English, else any.
  public func callAsFunction(_ language: String) -> String {
    texts[language] ?? texts["en"] ?? texts.values.sorted().first ?? ""
  }

  public func callAsFunction(_ language: Language) -> String { self(language.rawValue) }

  /// The required languages that are missing or blank.
  var missingLanguages: [String] {
    Self.required.filter { (texts[$0] ?? "").isBlank }
  }
}

/// A content file that cannot be used, named with the entry at fault.
public struct ContentError: Error, Equatable, CustomStringConvertible {
  public var file: String
  public var entry: String
  public var problem: String

  public init(file: String, entry: String, problem: String) {
    self.file = file
    self.entry = entry
    self.problem = problem
  }

  public var description: String {
    entry.isEmpty ? "\(file): \(problem)" : "\(file), \(entry): \(problem)"
  }
}

/// Reads the JSON files of a content folder in name order.
enum ContentFiles {
  /// A shipped content file (`relative` under Resources), or the store's copy under
  /// `<store>/content/relative` when there is one; with the name messages use.
  static func overridable(_ relative: String, storeRoot: String?) -> (url: URL, name: String) {
    if let storeRoot {
      let local = URL(fileURLWithPath: storeRoot).appendingPathComponent("content/" + relative)
      if FileManager.default.fileExists(atPath: local.path) { return (local, local.path) }
    }
    return (KetenResources.url(relative), relative)
  }

  static func jsonFiles(in directory: URL) throws(ContentError) -> [URL] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw ContentError(file: directory.path, entry: "", problem: "the folder cannot be read.")
    }
    return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
  }

  static func decode<T: Decodable>(_ type: T.Type, from url: URL, name: String) throws(ContentError) -> T {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ContentError(file: name, entry: "", problem: "the file cannot be read.")
    }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw ContentError(file: name, entry: path(context.codingPath), problem: "'\(key.stringValue)' is missing.")
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      throw ContentError(file: name, entry: path(context.codingPath), problem: context.debugDescription)
    } catch let DecodingError.dataCorrupted(context) {
      throw ContentError(file: name, entry: path(context.codingPath), problem: "not valid JSON (\(context.debugDescription)).")
    } catch {
      throw ContentError(file: name, entry: "", problem: "not valid JSON.")
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      .trimmingCharacters(in: CharacterSet(charactersIn: "."))
  }
}
