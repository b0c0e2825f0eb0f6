/// An editable field of a case document, addressed by a dotted path such as `person.phone`.
///
/// `keten edit --set PATH=VALUE` and the intake form both go through these, so a value accepted
/// on the command line is accepted by the form and the other way round.
public typealias CaseField = FormField<CaseDocument>

/// How a field's value is entered.
public enum FieldKind: Sendable, Equatable {
  case text
  case date
  case phone
  /// One value from a fixed list.
  case choice([String])
  /// Comma-separated values, each from the list when it is not empty.
  case list([String])
}

/// An editable field of a value (a case document, a training group, a mentor, a check-in),
/// addressed by a path, read and written as text. The command line and the app's forms share
/// these, so both accept the same values with the same messages.
public struct FormField<Root>: Sendable {
  public typealias Kind = FieldKind

  public let path: String
  public let kind: Kind
  public let required: Bool
  let get: @Sendable (Root) -> String
  let set: @Sendable (inout Root, String) throws(FieldError) -> Void

  /// A field read and written by closures; the builders below cover the usual shapes.
  public init(
    path: String, kind: Kind, required: Bool, get: @escaping @Sendable (Root) -> String,
    set: @escaping @Sendable (inout Root, String) throws(FieldError) -> Void
  ) {
    self.path = path
    self.kind = kind
    self.required = required
    self.get = get
    self.set = set
  }

  /// The current value as text (dates as YYYY-MM-DD, lists comma-separated).
  public func value(in document: Root) -> String { get(document) }

  /// Parses `text` and stores it; throws with what is valid when it cannot be parsed.
  /// A one-line field refuses control characters (line breaks and tabs inside the text, escapes,
  /// direction overrides): they would split a listing's line or steer a terminal.
  public func assign(_ text: String, to document: inout Root) throws(FieldError) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if TerminalText.holdsControls(trimmed) { throw FieldError(path: path, problem: .controlCharacter) }
    try set(&document, trimmed)
  }
}

/// A value that does not fit its field.
public struct FieldError: Error, Equatable, CustomStringConvertible {
  public var path: String
  public var problem: FieldProblem
  public var message: String { problem.message }
  public var description: String { "\(path): \(message)" }

  public init(path: String, problem: FieldProblem) {
    self.path = path
    self.problem = problem
  }
}

extension FormField where Root == CaseDocument {
  /// Every field that can be set by path, in form order.
  public static let all: [CaseField] = [
    text("person.fullName", required: true, \.person.fullName),
    optionalText("person.preferredName", \.person.preferredName),
    date("person.dateOfBirth", \.person.dateOfBirth),
    choice("person.gender", Gender.self, \.person.gender),
    optionalText("person.nationality", \.person.nationality),
    languages("person.languages", \.person.languages),
    phone("person.phone", \.person.phone),
    optionalText("person.centre", \.person.centre),
    optionalLogin("person.caseWorker", \.person.caseWorker),
    CaseField(
      path: "procedure.status", kind: .choice(ProcedureStatus.allCases.map(\.rawValue)),
      required: false,
      get: { $0.procedure.status?.rawValue ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc.procedure.status = nil
          return
        }
        doc.procedure.status = try parseChoice("procedure.status", ProcedureStatus.self, text)
      }),
    CaseField(
      path: "procedure.applicationDate", kind: .date, required: false,
      get: { $0.procedure.applicationDate?.description ?? "" },
      set: { doc, text throws(FieldError) in
        doc.procedure.setApplicationDate(try parseDate("procedure.applicationDate", text))
      }),
    CaseField(
      path: "procedure.workPermitDate", kind: .date, required: false,
      get: { $0.procedure.workPermitDateOverridden ? ($0.procedure.workPermitDate?.description ?? "") : "" },
      set: { doc, text throws(FieldError) in
        // Empty means: derive from the application date again.
        doc.procedure.overrideWorkPermitDate(try parseDate("procedure.workPermitDate", text))
      }),
    CaseField(
      path: "stages", kind: .list(ChainStage.allCases.map(\.rawValue)), required: false,
      get: { $0.orderedStages.map(\.rawValue).joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        var stages: Set<ChainStage> = []
        for part in text.split(separator: ",") {
          stages.insert(
            try parseChoice("stages", ChainStage.self, part.trimmingCharacters(in: .whitespaces)))
        }
        doc.stages = stages
      }),
    CaseField(
      path: "closed.on", kind: .date, required: false,
      get: { $0.closure?.on.description ?? "" },
      set: { doc, text throws(FieldError) in
        guard let date = try parseDate("closed.on", text) else {
          doc.closure = nil
          return
        }
        doc.closure = Closure(on: date, reason: doc.closure?.reason ?? "")
      }),
    CaseField(
      path: "closed.reason", kind: .text, required: false,
      get: { $0.closure?.reason ?? "" },
      set: { doc, text throws(FieldError) in
        guard var closure = doc.closure else {
          if text.isEmpty { return }
          throw FieldError(path: "closed.reason", problem: .caseIsOpen)
        }
        closure.reason = text
        doc.closure = closure
      }),
  ]

  /// The field at `path`, or an error listing the valid paths.
  public static func named(_ path: String) throws(FieldError) -> FormField {
    try named(path, in: all)
  }
}

extension FormField {
  /// The field at `path` among `fields`, or an error listing the valid paths.
  public static func named(_ path: String, in fields: [FormField]) throws(FieldError) -> FormField {
    if let field = fields.first(where: { $0.path == path }) { return field }
    throw FieldError(path: path, problem: .unknownField(valid: fields.map(\.path)))
  }

  /// Copies what `fields` edit from `source` onto `target`, leaving the rest of `target` as it
  /// is: a form's values saved on top of a newer version keep what others changed elsewhere.
  public static func carry(_ fields: [FormField], from source: Root, to target: inout Root) throws(FieldError) {
    for f in fields { try f.assign(f.value(in: source), to: &target) }
  }

  // MARK: Builders

  public static func text(
    _ path: String, required: Bool = false, _ key: WritableKeyPath<Root, String> & Sendable
  ) -> FormField {
    FormField(
      path: path, kind: .text, required: required, get: { $0[keyPath: key] },
      set: { doc, text throws(FieldError) in
        if required && text.isEmpty { throw FieldError(path: path, problem: .required) }
        doc[keyPath: key] = text
      })
  }

  public static func optionalText(
    _ path: String, _ key: WritableKeyPath<Root, String?> & Sendable
  ) -> FormField {
    FormField(
      path: path, kind: .text, required: false, get: { $0[keyPath: key] ?? "" },
      set: { doc, text throws(FieldError) in doc[keyPath: key] = text.isEmpty ? nil : text })
  }

  /// An optional OS login (a case worker), checked like every login.
  public static func optionalLogin(
    _ path: String, _ key: WritableKeyPath<Root, String?> & Sendable
  ) -> FormField {
    FormField(
      path: path, kind: .text, required: false, get: { $0[keyPath: key] ?? "" },
      set: { doc, text throws(FieldError) in
        guard text.isEmpty || Mentor.isLogin(text) else { throw FieldError(path: path, problem: .notALogin(text)) }
        doc[keyPath: key] = text.isEmpty ? nil : text
      })
  }

  public static func date(
    _ path: String, _ key: WritableKeyPath<Root, LocalDate?> & Sendable
  ) -> FormField {
    FormField(
      path: path, kind: .date, required: false,
      get: { $0[keyPath: key]?.description ?? "" },
      set: { doc, text throws(FieldError) in doc[keyPath: key] = try parseDate(path, text) })
  }

  public static func choice<E: RawRepresentable & CaseIterable & Sendable>(
    _ path: String, _ type: E.Type, _ key: WritableKeyPath<Root, E> & Sendable
  ) -> FormField where E.RawValue == String {
    FormField(
      path: path, kind: .choice(E.allCases.map(\.rawValue)), required: false,
      get: { $0[keyPath: key].rawValue },
      set: { doc, text throws(FieldError) in
        if text.isEmpty { throw FieldError(path: path, problem: .required) }
        doc[keyPath: key] = try parseChoice(path, E.self, text)
      })
  }

  /// A year, 1900–2100 (validation checks it is not in the future).
  public static func year(_ path: String, _ key: WritableKeyPath<Root, Int?> & Sendable) -> FormField {
    FormField(
      path: path, kind: .text, required: false, get: { $0[keyPath: key].map(String.init) ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc[keyPath: key] = nil
          return
        }
        guard let year = Int(text), (1900...2100).contains(year) else {
          throw FieldError(path: path, problem: .notInRange(text, min: 1900, max: 2100))
        }
        doc[keyPath: key] = year
      })
  }

  /// One value of an enum, or empty for "not answered".
  public static func optionalChoice<E: RawRepresentable & CaseIterable & Sendable>(
    _ path: String, _ type: E.Type, _ key: WritableKeyPath<Root, E?> & Sendable
  ) -> FormField where E.RawValue == String {
    FormField(
      path: path, kind: .choice([""] + E.allCases.map(\.rawValue)), required: false,
      get: { $0[keyPath: key]?.rawValue ?? "" },
      set: { doc, text throws(FieldError) in
        doc[keyPath: key] = text.isEmpty ? nil : try parseChoice(path, E.self, text)
      })
  }

  /// A whole number from a range, picked from the list (e.g. an ISCED level), or empty.
  public static func number(
    _ path: String, _ range: ClosedRange<Int>, _ key: WritableKeyPath<Root, Int?> & Sendable
  ) -> FormField {
    FormField(
      path: path, kind: .choice([""] + range.map(String.init)), required: false,
      get: { $0[keyPath: key].map(String.init) ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc[keyPath: key] = nil
          return
        }
        guard let n = Int(text), range.contains(n) else {
          throw FieldError(path: path, problem: .notInRange(text, min: range.lowerBound, max: range.upperBound))
        }
        doc[keyPath: key] = n
      })
  }

  /// A whole number from a range, typed (minutes, days).
  public static func count(_ path: String, _ range: ClosedRange<Int>, _ key: WritableKeyPath<Root, Int> & Sendable) -> FormField {
    FormField(
      path: path, kind: .text, required: true, get: { String($0[keyPath: key]) },
      set: { doc, text throws(FieldError) in
        guard let n = Int(text), range.contains(n) else {
          throw FieldError(path: path, problem: text.isEmpty ? .required : .notInRange(text, min: range.lowerBound, max: range.upperBound))
        }
        doc[keyPath: key] = n
      })
  }

  /// A whole number from a range, typed, or empty for "not known".
  public static func whole(_ path: String, _ range: ClosedRange<Int>, _ key: WritableKeyPath<Root, Int?> & Sendable) -> FormField {
    FormField(
      path: path, kind: .text, required: false, get: { $0[keyPath: key].map(String.init) ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc[keyPath: key] = nil
          return
        }
        guard let n = Int(text), range.contains(n) else {
          throw FieldError(path: path, problem: .notInRange(text, min: range.lowerBound, max: range.upperBound))
        }
        doc[keyPath: key] = n
      })
  }

  /// A phone number, or empty for none.
  public static func phone(_ path: String, _ key: WritableKeyPath<Root, String?> & Sendable) -> FormField {
    FormField(
      path: path, kind: .phone, required: false, get: { $0[keyPath: key] ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc[keyPath: key] = nil
          return
        }
        if !FieldRules.isPhone(text) { throw FieldError(path: path, problem: .notAPhone(text)) }
        doc[keyPath: key] = text
      })
  }

  /// A date that must be given, in YYYY-MM-DD.
  public static func day(_ path: String, _ key: WritableKeyPath<Root, LocalDate> & Sendable) -> FormField {
    FormField(
      path: path, kind: .date, required: true, get: { $0[keyPath: key].description },
      set: { doc, text throws(FieldError) in
        guard let date = try parseDate(path, text) else { throw FieldError(path: path, problem: .required) }
        doc[keyPath: key] = date
      })
  }

  /// Several values of an enum, comma-separated; empty means none.
  public static func choices<E: RawRepresentable & CaseIterable & Sendable>(
    _ path: String, _ type: E.Type, _ key: WritableKeyPath<Root, [E]> & Sendable
  ) -> FormField where E.RawValue == String {
    FormField(
      path: path, kind: .list(E.allCases.map(\.rawValue)), required: false,
      get: { $0[keyPath: key].map(\.rawValue).joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        var values: [E] = []
        for part in splitList(text) {
          let value = try parseChoice(path, E.self, part)
          if !values.contains(where: { $0.rawValue == value.rawValue }) { values.append(value) }
        }
        doc[keyPath: key] = values
      })
  }

  /// Comma-separated values, trimmed, empty ones dropped.
  public static func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Languages as ISO 639 codes, typed as names (in Dutch, English or their own) or codes.
  public static func languages(_ path: String, _ key: WritableKeyPath<Root, [String]> & Sendable) -> FormField {
    FormField(
      path: path, kind: .list([]), required: false, get: { $0[keyPath: key].joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        var codes: [String] = []
        for part in splitList(text) {
          guard let code = Languages.code(for: part) else { throw FieldError(path: path, problem: .unknownLanguage(part)) }
          if !codes.contains(code) { codes.append(code) }
        }
        doc[keyPath: key] = codes
      })
  }

  /// One language as its ISO 639 code, typed as a name or a code; empty when not given.
  public static func language(_ path: String, required: Bool = false, _ key: WritableKeyPath<Root, String> & Sendable) -> FormField {
    FormField(
      path: path, kind: .text, required: required, get: { $0[keyPath: key] },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          if required { throw FieldError(path: path, problem: .required) }
          doc[keyPath: key] = ""
          return
        }
        if splitList(text).count > 1 { throw FieldError(path: path, problem: .oneLanguageOnly) }
        guard let code = Languages.code(for: text) else { throw FieldError(path: path, problem: .unknownLanguage(text)) }
        doc[keyPath: key] = code
      })
  }

  /// Yes or no.
  public static func flag(_ path: String, _ key: WritableKeyPath<Root, Bool> & Sendable) -> FormField {
    FormField(
      path: path, kind: .choice(["no", "yes"]), required: false,
      get: { $0[keyPath: key] ? "yes" : "no" },
      set: { doc, text throws(FieldError) in
        switch text.lowercased() {
        case "yes": doc[keyPath: key] = true
        case "no", "": doc[keyPath: key] = false
        default: throw FieldError(path: path, problem: .notAllowed(text, options: ["yes", "no"]))
        }
      })
  }

  /// Yes, no, or empty for "not answered".
  public static func optionalFlag(_ path: String, _ key: WritableKeyPath<Root, Bool?> & Sendable) -> FormField {
    FormField(
      path: path, kind: .choice(["", "no", "yes"]), required: false,
      get: { $0[keyPath: key].map { $0 ? "yes" : "no" } ?? "" },
      set: { doc, text throws(FieldError) in
        switch text.lowercased() {
        case "yes": doc[keyPath: key] = true
        case "no": doc[keyPath: key] = false
        case "": doc[keyPath: key] = nil
        default: throw FieldError(path: path, problem: .notAllowed(text, options: ["yes", "no"]))
        }
      })
  }

  /// Free-text values separated by commas, kept in the order typed.
  public static func textList(_ path: String, _ key: WritableKeyPath<Root, [String]> & Sendable) -> FormField {
    FormField(
      path: path, kind: .list([]), required: false, get: { $0[keyPath: key].joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        doc[keyPath: key] = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
          .filter { !$0.isEmpty }
      })
  }

  /// Several values of an enum. Empty means "not asked"; the value `none` alone means "none".
  public static func optionalChoices<E: RawRepresentable & CaseIterable & Sendable>(
    _ path: String, _ type: E.Type, _ key: WritableKeyPath<Root, [E]?> & Sendable
  ) -> FormField where E.RawValue == String {
    FormField(
      path: path, kind: .list(["none"] + E.allCases.map(\.rawValue)), required: false,
      get: { doc in
        guard let values = doc[keyPath: key] else { return "" }
        return values.isEmpty ? "none" : values.map(\.rawValue).joined(separator: ", ")
      },
      set: { doc, text throws(FieldError) in
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if parts.isEmpty {
          doc[keyPath: key] = nil
          return
        }
        var values: [E] = []
        if parts.count > 1, parts.contains(where: { $0.lowercased() == "none" }) {
          throw FieldError(path: path, problem: .noneWithOthers)
        }
        for part in parts where part.lowercased() != "none" {
          guard let value = E.allCases.first(where: { $0.rawValue.lowercased() == part.lowercased() }) else {
            throw FieldError(path: path, problem: .notAllowed(part, options: ["none"] + E.allCases.map(\.rawValue)))
          }
          if !values.contains(where: { $0.rawValue == value.rawValue }) { values.append(value) }
        }
        doc[keyPath: key] = values
      })
  }

  /// A date in YYYY-MM-DD, or nil for empty text; throws naming `path` otherwise.
  public static func parseDate(_ path: String, _ text: String) throws(FieldError) -> LocalDate? {
    if text.isEmpty { return nil }
    guard let date = LocalDate(text) else {
      // Right shape, impossible day ("2026-02-30"), or not a date's shape at all ("31/12/2025").
      let shaped = text.count == 10 && text.enumerated().allSatisfy { i, c in [4, 7].contains(i) ? c == "-" : c.isASCII && c.isNumber }
      throw FieldError(path: path, problem: shaped ? .notADate(text) : .dateFormat(text))
    }
    return date
  }

  static func parseChoice<E: RawRepresentable & CaseIterable>(
    _ path: String, _ type: E.Type, _ text: String
  ) throws(FieldError) -> E where E.RawValue == String {
    if let value = E(rawValue: text) ?? E.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
      return value
    }
    throw FieldError(
      path: path, problem: .notAllowed(text, options: E.allCases.map(\.rawValue)))
  }
}
