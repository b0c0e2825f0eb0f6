/// An editable field of the case document, addressed by a dotted path such as `person.phone`.
///
/// `keten edit --set PATH=VALUE` and the intake form both go through these, so a value accepted
/// on the command line is accepted by the form and the other way round.
public struct CaseField: Sendable {
  public enum Kind: Sendable, Equatable {
    case text
    case date
    case phone
    /// One value from a fixed list.
    case choice([String])
    /// Comma-separated values, each from the list when it is not empty.
    case list([String])
  }

  public let path: String
  public let kind: Kind
  public let required: Bool
  let get: @Sendable (CaseDocument) -> String
  let set: @Sendable (inout CaseDocument, String) throws(FieldError) -> Void

  /// The current value as text (dates as YYYY-MM-DD, lists comma-separated).
  public func value(in document: CaseDocument) -> String { get(document) }

  /// Parses `text` and stores it; throws with what is valid when it cannot be parsed.
  public func assign(_ text: String, to document: inout CaseDocument) throws(FieldError) {
    try set(&document, text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// A value that does not fit its field.
public struct FieldError: Error, Equatable, CustomStringConvertible {
  public var path: String
  public var problem: FieldProblem
  public var message: String { problem.message }
  public var description: String { "\(path): \(message)" }
}

extension CaseField {
  /// Every field that can be set by path, in form order.
  public static let all: [CaseField] = [
    text("person.fullName", required: true, \.person.fullName),
    optionalText("person.preferredName", \.person.preferredName),
    date("person.dateOfBirth", \.person.dateOfBirth),
    choice("person.gender", Gender.self, \.person.gender),
    optionalText("person.nationality", \.person.nationality),
    CaseField(
      path: "person.languages", kind: .list([]), required: false,
      get: { $0.person.languages.joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        doc.person.languages = text.split(separator: ",").map {
          $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
      }),
    CaseField(
      path: "person.phone", kind: .phone, required: false,
      get: { $0.person.phone ?? "" },
      set: { doc, text throws(FieldError) in
        if text.isEmpty {
          doc.person.phone = nil
          return
        }
        if !FieldRules.isPhone(text) {
          throw FieldError(path: "person.phone", problem: .notAPhone(text))
        }
        doc.person.phone = text
      }),
    optionalText("person.centre", \.person.centre),
    optionalText("person.caseWorker", \.person.caseWorker),
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
  public static func named(_ path: String) throws(FieldError) -> CaseField {
    if let field = all.first(where: { $0.path == path }) { return field }
    throw FieldError(path: path, problem: .unknownField(valid: all.map(\.path)))
  }

  // MARK: Builders

  private static func text(
    _ path: String, required: Bool, _ key: WritableKeyPath<CaseDocument, String> & Sendable
  ) -> CaseField {
    CaseField(
      path: path, kind: .text, required: required, get: { $0[keyPath: key] },
      set: { doc, text throws(FieldError) in
        if required && text.isEmpty { throw FieldError(path: path, problem: .required) }
        doc[keyPath: key] = text
      })
  }

  private static func optionalText(
    _ path: String, _ key: WritableKeyPath<CaseDocument, String?> & Sendable
  ) -> CaseField {
    CaseField(
      path: path, kind: .text, required: false, get: { $0[keyPath: key] ?? "" },
      set: { doc, text throws(FieldError) in doc[keyPath: key] = text.isEmpty ? nil : text })
  }

  private static func date(
    _ path: String, _ key: WritableKeyPath<CaseDocument, LocalDate?> & Sendable
  ) -> CaseField {
    CaseField(
      path: path, kind: .date, required: false,
      get: { $0[keyPath: key]?.description ?? "" },
      set: { doc, text throws(FieldError) in doc[keyPath: key] = try parseDate(path, text) })
  }

  private static func choice<E: RawRepresentable & CaseIterable & Sendable>(
    _ path: String, _ type: E.Type, _ key: WritableKeyPath<CaseDocument, E> & Sendable
  ) -> CaseField where E.RawValue == String {
    CaseField(
      path: path, kind: .choice(E.allCases.map(\.rawValue)), required: false,
      get: { $0[keyPath: key].rawValue },
      set: { doc, text throws(FieldError) in doc[keyPath: key] = try parseChoice(path, E.self, text) })
  }

  static func parseDate(_ path: String, _ text: String) throws(FieldError) -> LocalDate? {
    if text.isEmpty { return nil }
    guard let date = LocalDate(text) else {
      throw FieldError(path: path, problem: .notADate(text))
    }
    return date
  }

  static func parseChoice<E: RawRepresentable & CaseIterable>(
    _ path: String, _ type: E.Type, _ text: String
  ) throws(FieldError) -> E where E.RawValue == String {
    if let value = E(rawValue: text.lowercased()) { return value }
    throw FieldError(
      path: path, problem: .notAllowed(text, options: E.allCases.map(\.rawValue)))
  }
}
