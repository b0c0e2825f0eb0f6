import CaseStore
import Foundation
import KetenResources

/// The skills self-assessment catalog: sectors, their job profiles, each with action fields of
/// task questions (DOMAIN.md, "Skills self-assessment").
///
/// One JSON file per sector in `Resources/skills/` (format in `Resources/README.md`). A partner
/// adds a sector or profile by adding or editing a file, and a translation by adding a language
/// key next to `nl` and `en`. A store may hold more files in `<store>/content/skills/`.
public struct SkillsCatalog: Sendable {
  public struct Sector: Codable, Sendable, Equatable {
    public var id: String
    public var order: Int
    public var title: LocalizedText
  }

  public struct Profile: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    /// Other names people write for it (the earlier wording, a synonym); found by search.
    public var also: [String]?
    public var actionFields: [ActionField]
    /// Filled in at load: the sector the profile belongs to.
    public var sector: String = ""

    enum CodingKeys: String, CodingKey { case id, title, also, actionFields }

    /// Every name of the profile: id, titles, other names.
    public var names: [String] { [id] + title.texts.values.sorted() + (also ?? []) }

    public var questions: [Question] { actionFields.flatMap(\.questions) }
  }

  public struct ActionField: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    public var questions: [Question]
  }

  public struct Question: Codable, Sendable, Equatable {
    public var id: String
    public var text: LocalizedText
  }

  struct File: Codable {
    var format: Int
    var sector: Sector
    var profiles: [Profile]
  }

  /// Bounds every profile must keep.
  public static let actionFieldRange = 5...7
  public static let questionRange = 8...15

  public private(set) var sectors: [Sector] = []
  /// Profiles in sector order, then file order.
  public private(set) var profiles: [Profile] = []
  private var profileIndex: [String: Int] = [:]

  public init() {}

  /// The catalog shipped with the app, plus `extra` folders (e.g. a store's `content/skills`).
  public static func load(extra: [URL] = []) throws(ContentError) -> SkillsCatalog {
    var catalog = SkillsCatalog()
    for folder in [KetenResources.url("skills")] + extra {
      if folder != KetenResources.url("skills"), !FileManager.default.fileExists(atPath: folder.path) {
        continue
      }
      for url in try ContentFiles.jsonFiles(in: folder) {
        let name = "skills/" + url.lastPathComponent
        try catalog.add(ContentFiles.decode(File.self, from: url, name: name), name: name)
      }
    }
    catalog.sectors.sort { $0.order < $1.order }
    let order = Dictionary(uniqueKeysWithValues: catalog.sectors.enumerated().map { ($1.id, $0) })
    catalog.profiles = catalog.profiles.enumerated().sorted {
      (order[$0.element.sector]!, $0.offset) < (order[$1.element.sector]!, $1.offset)
    }.map(\.element)
    catalog.profileIndex = Dictionary(uniqueKeysWithValues: catalog.profiles.enumerated().map { ($1.id, $0) })
    return catalog
  }

  /// Loads one sector file's bytes (for tests and `keten check`).
  public static func validate(_ data: Data, name: String) throws(ContentError) {
    var catalog = SkillsCatalog()
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: data)
    } catch {
      throw ContentError(file: name, entry: "", problem: "not a sector file: \(error)")
    }
    try catalog.add(file, name: name)
  }

  mutating func add(_ file: File, name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError {
      ContentError(file: name, entry: entry, problem: problem)
    }
    func check(_ text: LocalizedText, _ entry: String) throws(ContentError) {
      let missing = text.missingLanguages
      if !missing.isEmpty { throw fail(entry, "the text has no \(missing.joined(separator: " or ")).") }
    }
    func checkID(_ id: String, _ entry: String) throws(ContentError) {
      let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
      if id.isEmpty || !id.allSatisfy(allowed.contains) {
        throw fail(entry, "the id '\(id)' must be lower-case letters, digits and '-'.")
      }
    }
    if file.format != 1 { throw fail("format", "format \(file.format) is not known; this version reads format 1.") }
    let s = file.sector
    try checkID(s.id, "sector")
    try check(s.title, "sector \(s.id)")
    if sectors.contains(where: { $0.id == s.id }) { throw fail("sector \(s.id)", "the sector is defined twice.") }
    if file.profiles.isEmpty { throw fail("sector \(s.id)", "a sector needs at least one profile.") }
    sectors.append(s)
    for var profile in file.profiles {
      let entry = "profile \(profile.id)"
      try checkID(profile.id, entry)
      try check(profile.title, entry)
      if profiles.contains(where: { $0.id == profile.id }) { throw fail(entry, "the profile id is used twice.") }
      if !Self.actionFieldRange.contains(profile.actionFields.count) {
        throw fail(entry, "has \(profile.actionFields.count) action fields; a profile needs 5 to 7.")
      }
      let questions = profile.questions
      if !Self.questionRange.contains(questions.count) {
        throw fail(entry, "has \(questions.count) task questions; a profile needs 8 to 15.")
      }
      var seen: Set<String> = []
      for field in profile.actionFields {
        try checkID(field.id, "\(entry), action field \(field.id)")
        try check(field.title, "\(entry), action field \(field.id)")
        if field.questions.isEmpty { throw fail("\(entry), action field \(field.id)", "an action field needs at least one question.") }
        for q in field.questions {
          try checkID(q.id, "\(entry), question \(q.id)")
          try check(q.text, "\(entry), question \(q.id)")
          if !seen.insert(q.id).inserted { throw fail("\(entry), question \(q.id)", "the question id is used twice in the profile.") }
        }
      }
      profile.sector = s.id
      profiles.append(profile)
    }
  }

  public func profile(_ id: String) -> Profile? { profileIndex[id].map { profiles[$0] } }
  public func sector(_ id: String) -> Sector? { sectors.first { $0.id == id } }
  public func profiles(in sector: String) -> [Profile] { profiles.filter { $0.sector == sector } }

  /// A profile id's title in `language`, or the text itself when it is not a profile id
  /// (a free-text occupation).
  public func occupationName(_ value: String, _ language: String) -> String {
    profile(value)?.title(language) ?? value
  }

  /// The profile a typed word names: its id, its title in any language, or another name of it
  /// (any case, any accents); nil for a free-text occupation.
  public func profileID(named word: String) -> String? {
    let folded = SearchText.fold(word.trimmingCharacters(in: .whitespaces))
    guard !folded.isEmpty else { return nil }
    return profiles.first { $0.names.contains { SearchText.fold($0) == folded } }?.id
  }

  /// The sector a typed word names (its id or its title in any language); nil when none.
  public func sectorID(named word: String) -> String? {
    let folded = SearchText.fold(word.trimmingCharacters(in: .whitespaces))
    return sectors.first { SearchText.fold($0.id) == folded || $0.title.texts.values.contains { SearchText.fold($0) == folded } }?.id
  }

  public func sectorName(_ value: String, _ language: String) -> String {
    sector(value)?.title(language) ?? value
  }

  /// Every language code that all texts of the catalog have.
  public var languages: [String] {
    var common: Set<String>?
    for p in profiles {
      for text in [p.title] + p.actionFields.map(\.title) + p.questions.map(\.text) {
        common = common.map { $0.intersection(text.texts.keys) } ?? Set(text.texts.keys)
      }
    }
    return (common ?? []).sorted()
  }
}
