import CaseStore
import Foundation
import KetenResources

/// The interface language.
public enum Language: String, Sendable, CaseIterable {
  case nl, en

  /// The language from `--lang`, else LC_ALL / LC_MESSAGES / LANG: Dutch for nl_*, else English.
  public static func resolve(
    _ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Language? {
    if let explicit { return Language(rawValue: explicit.lowercased()) }
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      guard let value = environment[name], !value.isEmpty else { continue }
      return value.lowercased().hasPrefix("nl") ? .nl : .en
    }
    return .en
  }
}

/// A problem with the strings files, found when they are loaded.
public struct StringsError: Error, CustomStringConvertible {
  public var description: String
}

/// Every user-facing text of the TUI, loaded from `Resources/strings/<language>.json`.
///
/// English is the reference: loading fails, naming the keys, when a language lacks one of its
/// keys or has keys English does not, or when a `{n}` placeholder does not match.
public struct Strings: Sendable {
  public let language: Language
  private let table: [String: String]

  public init(language: Language, table: [String: String]) {
    self.language = language
    self.table = table
  }

  public static func load(_ language: Language) throws -> Strings {
    let reference = try table(.en)
    let table = language == .en ? reference : try table(language)
    let missing = Set(reference.keys).subtracting(table.keys).sorted()
    let extra = Set(table.keys).subtracting(reference.keys).sorted()
    if !missing.isEmpty || !extra.isEmpty {
      throw StringsError(
        description:
          "strings/\(language.rawValue).json does not match strings/en.json: "
          + (missing.isEmpty ? "" : "missing \(missing.joined(separator: ", ")) ")
          + (extra.isEmpty ? "" : "unknown \(extra.joined(separator: ", "))"))
    }
    for (key, text) in table where placeholders(text) != placeholders(reference[key]!) {
      throw StringsError(
        description:
          "strings/\(language.rawValue).json: '\(key)' must use the placeholders of English (\(placeholders(reference[key]!).sorted()))."
      )
    }
    for key in table.keys where key.hasSuffix(".one") && table[String(key.dropLast(4)) + ".other"] == nil {
      throw StringsError(description: "strings/\(language.rawValue).json: '\(key)' has no '.other' form for counts other than 1.")
    }
    return Strings(language: language, table: table)
  }

  /// The raw key → text table of one language file.
  public static func table(_ language: Language) throws -> [String: String] {
    let path = "strings/\(language.rawValue).json"
    let data: Data
    do {
      data = try KetenResources.data(path)
    } catch {
      throw StringsError(description: "\(path) is missing from the app's resources.")
    }
    do {
      return try JSONDecoder().decode([String: String].self, from: data)
    } catch {
      throw StringsError(description: "\(path) is not a JSON object of strings: \(error)")
    }
  }

  private static func placeholders(_ text: String) -> Set<String> {
    var found: Set<String> = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      found.insert(String(rest[open...close]))
      rest = rest[rest.index(after: close)...]
    }
    return found
  }

  /// The text for `key`, with `{0}`, `{1}`… replaced by `arguments`.
  public func callAsFunction(_ key: String, _ arguments: String...) -> String {
    format(key, arguments)
  }

  public func format(_ key: String, _ arguments: [String]) -> String {
    guard var text = table[key] else { return "⟦\(key)⟧" }
    for (i, argument) in arguments.enumerated() {
      text = text.replacingOccurrences(of: "{\(i)}", with: argument)
    }
    return text
  }

  public func has(_ key: String) -> Bool { table[key] != nil }

  /// A field's name for messages, from its path ("participants[8].internship.to" → the form's
  /// label of "internship.to"), never the path itself unless nothing names it.
  public func fieldName(_ path: String) -> String {
    let cleaned = path.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "", options: .regularExpression)
    let parts = cleaned.split(separator: ".").map(String.init)
    let forms = ["", "group.", "practice.", "mentor.", "pair.", "closePair.", "checkIn.", "hire.", "outcome.", "followUp.", "plan.",
      "internship.", "availability.", "reschedule.", "consent."]
    for start in parts.indices {
      let tail = parts[start...].joined(separator: ".")
      for form in forms where has("field.\(form)\(tail)") { return self("field.\(form)\(tail)") }
    }
    return parts.last ?? path
  }

  /// A count in words: `key.one` for 1, `key.other` otherwise, with `{0}` the count (written
  /// with the language's separators) and `{1}`… the further arguments.
  public func plural(_ key: String, _ count: Int, _ arguments: String...) -> String {
    format(count == 1 ? "\(key).one" : "\(key).other", [number(count)] + arguments)
  }

  /// A decimal for people: 4,0 in Dutch, 4.0 in English.
  public func decimal(_ value: Double, digits: Int = 1) -> String {
    let text = String(format: "%.\(digits)f", value)
    return language == .nl ? text.replacingOccurrences(of: ".", with: ",") : text
  }

  // MARK: Domain words

  public func stage(_ stage: ChainStage) -> String { self("stage.\(stage.rawValue)") }
  public func stageShort(_ stage: ChainStage) -> String { self("stage.short.\(stage.rawValue)") }
  public func status(_ status: ProcedureStatus?) -> String {
    self("status.\(status?.rawValue ?? "none")")
  }
  public func gender(_ gender: Gender) -> String { self("gender.\(gender.rawValue)") }
  /// The words for a due item's `what` (its key before any `/ref`).
  public func due(_ what: String) -> String {
    let key = what.prefix { $0 != "/" }
    // An action of the plan: which one, and who does it (`plan-action/a3/ngo`).
    if key == "plan-action" {
      let parts = what.split(separator: "/").map(String.init)
      if parts.count == 3 { return self("due.planActionOf", parts[1], self("option.partner.\(parts[2])")) }
    }
    return has("due.\(key)") ? self("due.\(key)") : what
  }
  public func problem(_ problem: FieldProblem) -> String {
    format("problem.\(problem.key)", problem.arguments)
  }

  /// The label of a choice value of a form field (gender, status, stage).
  public func choice(_ path: String, _ value: String) -> String {
    switch path {
    case "person.gender", "gender": return self("gender.\(value)")
    case "procedure.status": return self("status.\(value.isEmpty ? "none" : value)")
    case "stages": return self("stage.\(value)")
    default: return value
    }
  }

  /// A number with the language's thousands separator (100.000 / 100,000).
  public func number(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0, c.isNumber, digits.first != "-" || i > 1 {
        out.append(language == .nl ? "." : ",")
      }
      out.append(c)
    }
    return out
  }

  /// Minutes as hours for people: 90 → "1,5" (nl) / "1.5" (en), 120 → "2".
  public func hours(minutes: Int) -> String {
    minutes % 60 == 0 ? number(minutes / 60) : decimal(Double(minutes) / 60)
  }

  /// Hours with a decimal point whatever the language ("3.5"), for files and the command line.
  public static func plainHours(minutes: Int) -> String {
    minutes % 60 == 0 ? String(minutes / 60) : String(Double(minutes) / 60)
  }

  /// A moment for people, in this machine's time zone: 3 mrt 2026 14:05.
  public func moment(_ instant: Date) -> String {
    let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
    guard let day = LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) else { return "" }
    return date(day) + " " + String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
  }

  /// A date for people: 3 mrt 2026 / 3 Mar 2026.
  public func date(_ date: LocalDate) -> String {
    "\(date.day) \(self("month.\(date.month)")) \(date.year)"
  }
}
