import CaseStore

/// What one key does to the focused field of a form. Every form (the intake, each interview
/// page, a consent, and every draft: groups, mentors, pairs, check-ins, hires, follow-ups…)
/// asks here, so a key means the same on every field of every form:
///
/// - Tab and ↓ go to the next field, Shift-Tab and ↑ to the previous one; Enter on a typed
///   field goes on too.
/// - Enter on a list field opens its list; confirming there with Enter stays on the field (as a
///   GUI drop-down does), so the next Tab goes to the next field, never two.
/// - A printable key on a list field, Space included, never opens it or toggles an option (a
///   sentence typed into the wrong field would otherwise tick options at every space): a digit
///   picks the option with that number in a numbered list (single choice), anything else is
///   refused with a message saying how to choose.
/// - Backspace or Delete on a list field empties it.
/// - A field entered from another selects its value: the first printable key replaces it (the
///   editor's selection).
enum FieldCommand: Equatable {
  case next, previous
  case openList
  case openCatalog
  case choose(String)
  case clear
  case edit
  case notTyped
  case none
}

/// The shape of a field as the input rules see it.
struct FieldShape {
  /// Typed text (free text, dates, numbers, typed lists); otherwise picked from `values`.
  var typed: Bool
  /// A typed field whose catalog F4 offers (job profiles, goals, activities).
  var catalog: Bool
  /// The values a list field offers.
  var values: [String]
  var multiple: Bool

  /// The shape of a field of this kind, named this way.
  init(kind: FieldKind, options: OptionLabels) {
    typed = Self.isTyped(kind, options)
    catalog = options.isCatalog
    (values, multiple) = kind.pickable
  }

  /// Free text is typed; fixed lists and employers of the register are picked (a list with a
  /// catalog is typed and also offers its catalog with F4).
  static func isTyped(_ kind: FieldKind, _ options: OptionLabels) -> Bool {
    if options == .employer || options == .opening || options == .service { return false }
    switch kind {
    case .choice: return false
    case .list(let values): return values.isEmpty
    default: return true
    }
  }
}

enum FieldInput {
  static func command(for key: Key, _ field: FieldShape) -> FieldCommand {
    switch key {
    case .tab, .down: return .next
    case .backTab, .up: return .previous
    case .enter: return field.typed ? .next : .openList
    case .function(4), .control("o"):
      return !field.typed ? .openList : (field.catalog ? .openCatalog : .none)
    case .character(let c) where !field.typed:
      if !field.multiple, let value = numbered(field.values).first(where: { $0.digit == c })?.value { return .choose(value) }
      return .notTyped
    case .backspace where !field.typed, .delete where !field.typed: return .clear
    default: return field.typed ? .edit : .none
    }
  }

  /// The digit that picks each value of a list: the value itself when the values are digits
  /// (ISCED 0–8), else 1… in order for lists of up to nine; "" (not answered) has none.
  static func numbered(_ values: [String]) -> [(digit: Character, value: String)] {
    let answers = values.filter { !$0.isEmpty }
    if !answers.isEmpty, answers.allSatisfy({ $0.count == 1 && $0.first!.isASCII && $0.first!.isNumber }) {
      return answers.map { ($0.first!, $0) }
    }
    guard answers.count <= 9 else { return [] }
    return answers.enumerated().map { (Character(String($0.offset + 1)), $0.element) }
  }
}
