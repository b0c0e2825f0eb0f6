import CaseStore
import Casework

/// Names instead of ids in forms: a field over catalog entries (job profiles, mentoring goals
/// and activities, languages) shows each stored id by its name in the interface language, and a
/// typed name — in either language, the seed's Flemish word, or another name the catalog lists
/// — is stored as the entry's id. Words that name no entry stay as typed (free text).
public struct Vocabulary: Sendable {
  public let content: CaseworkContent
  /// "nl" or "en".
  public let language: String

  public init(content: CaseworkContent, language: String) {
    self.content = content
    self.language = language
  }

  /// Whether fields shown this way hold ids behind names.
  static func names(_ options: OptionLabels) -> Bool {
    switch options {
    case .occupation, .goal, .activity, .language, .sector: true
    default: false
    }
  }

  /// The stored text as the form shows it: each comma-separated id by its name.
  func present(_ stored: String, _ options: OptionLabels) -> String {
    guard Self.names(options) else { return stored }
    return FormField<CaseDocument>.splitList(stored).map { name(of: $0, options) }.joined(separator: ", ")
  }

  /// Typed text as it is stored: each comma-separated name by its id.
  func resolve(_ typed: String, _ options: OptionLabels) -> String {
    guard Self.names(options) else { return typed }
    // The same entry named twice ("ober, barman") is kept once, where it came first.
    var seen = Set<String>()
    return FormField<CaseDocument>.splitList(typed).map { id(for: $0, options) ?? $0 }.filter { seen.insert($0).inserted }
      .joined(separator: ", ")
  }

  /// The first word of a profile-only field that names no profile (a hire's, a mentor's or an
  /// opening's `profile`; occupation lists take free words too).
  func notAProfile(_ typed: String, path: String, _ options: OptionLabels) -> String? {
    guard options == .occupation, path == "profile" || path.hasSuffix(".profile") else { return nil }
    return FormField<CaseDocument>.splitList(typed).first { id(for: $0, options) == nil }
  }

  /// Stores what a form field holds: names become ids, and a profile-only field refuses a word
  /// that names no profile. The forms (the case form and every draft) assign through here.
  func assign<Root>(_ typed: String, to field: FormField<Root>, options: OptionLabels, in value: inout Root) throws(FieldError) {
    if let word = notAProfile(typed, path: field.path, options) { throw FieldError(path: field.path, problem: .notAProfile(word)) }
    try field.assign(resolve(typed, options), to: &value)
  }

  /// A catalog field's words as the catalog names them ("magazijnier" → "Magazijnier"), or nil
  /// when that is already what it shows (or the field holds no catalog entries).
  func tidied(_ typed: String, _ options: OptionLabels) -> String? {
    guard Self.names(options) else { return nil }
    let shown = present(resolve(typed, options), options)
    return shown == typed.trimmingCharacters(in: .whitespaces) ? nil : shown
  }

  func name(of id: String, _ options: OptionLabels) -> String {
    switch options {
    case .occupation: content.skills.occupationName(id, language)
    case .goal: content.mentoring.goalTitle(id, language)
    case .activity: content.mentoring.activityTitle(id, language)
    case .language: Languages.name(id, language)
    case .sector: content.skills.sectorName(id, language)
    default: id
    }
  }

  func id(for word: String, _ options: OptionLabels) -> String? {
    let folded = SearchText.fold(word)
    func item(_ items: [MentoringProgramme.Item]) -> String? {
      items.first { SearchText.fold($0.id) == folded || $0.title.texts.values.contains { SearchText.fold($0) == folded } }?.id
    }
    switch options {
    case .occupation: return content.skills.profileID(named: word)
    case .goal: return item(content.mentoring.goals)
    case .activity: return item(content.mentoring.activities)
    case .language: return Languages.code(for: word)
    case .sector: return content.skills.sectorID(named: word)
    default: return nil
    }
  }
}
