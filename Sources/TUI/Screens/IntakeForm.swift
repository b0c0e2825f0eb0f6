import TextCells
import Casework
import CaseStore

/// The intake form: the person, procedure, chain and closure sections of one case.
///
/// Values are text in editors; they become a document through `CaseField.assign`, the same
/// parser `keten edit --set` uses, and then the store's validation rules.
public struct IntakeForm: Sendable {
  public struct Field: Sendable {
    public let field: CaseField
    public let section: String
    public var editor: TextEditor
    /// The value when the form opened (or was re-based after a conflict).
    public var original: String
    public var problem: FieldProblem?

    public var isDirty: Bool { editor.text != original }
    public var path: String { field.path }
  }

  /// The stored case being edited; nil while creating a new one.
  public private(set) var base: StoredCase?
  /// The document values are applied to (the stored one, or a blank draft).
  public private(set) var document: CaseDocument
  public var fields: [Field]
  public var focus = 0
  public var top = 0

  static let sections: [(prefix: String, section: String)] = [
    ("person.", "person"), ("procedure.", "procedure"), ("stages", "chain"), ("closed.", "closure"),
  ]

  public init(creatingOn today: LocalDate, worker: String) {
    var draft = CaseDocument(
      id: CaseID(year: today.year, number: 0), person: Person(fullName: "", caseWorker: worker),
      createdBy: worker)
    draft.revision = 0
    self.init(document: draft, base: nil)
  }

  public init(editing stored: StoredCase) {
    self.init(document: stored.document, base: stored)
  }

  private init(document: CaseDocument, base: StoredCase?) {
    self.document = document
    self.base = base
    fields = CaseField.all.map { field in
      let value = field.value(in: document)
      let section = Self.sections.first { field.path.hasPrefix($0.prefix) }?.section ?? "person"
      return Field(field: field, section: section, editor: TextEditor(value), original: value)
    }
  }

  public var isCreating: Bool { base == nil }
  public var isDirty: Bool { fields.contains(where: \.isDirty) }
  public var focusedField: Field { fields[focus] }

  /// Free text is typed; choices and stage lists are picked.
  var focusedFieldIsText: Bool { Self.isTyped(fields[focus].field) }

  static func isTyped(_ field: CaseField) -> Bool {
    switch field.kind {
    case .choice: return false
    case .list(let options): return options.isEmpty
    default: return true
    }
  }

  public func index(of path: String) -> Int? { fields.firstIndex { $0.path == path } }

  public mutating func setValue(_ text: String, at index: Int) {
    fields[index].editor = TextEditor(text)
  }

  /// The document with every field applied, and the problems found (by field index).
  public func build(today: LocalDate) -> (document: CaseDocument, problems: [Int: FieldProblem]) {
    var doc = document
    var problems: [Int: FieldProblem] = [:]
    for (i, f) in fields.enumerated() {
      do {
        try f.field.assign(f.editor.text, to: &doc)
      } catch {
        problems[i] = error.problem
      }
    }
    for issue in doc.validationIssues(today: today) {
      if let i = index(of: issue.path), problems[i] == nil { problems[i] = issue.problem }
    }
    return (doc, problems)
  }

  /// Checks the field being left, and re-checks fields already marked (a fix elsewhere, such as
  /// a later application date, can clear them).
  public mutating func validateField(_ index: Int, today: LocalDate) {
    let problems = build(today: today).problems
    for i in fields.indices where i == index || fields[i].problem != nil {
      fields[i].problem = problems[i]
    }
  }

  /// Marks every problem; returns the document when there are none.
  public mutating func validateAll(today: LocalDate) -> CaseDocument? {
    let (doc, problems) = build(today: today)
    for i in fields.indices { fields[i].problem = problems[i] }
    if let first = problems.keys.min() {
      focus = first
      return nil
    }
    return doc
  }

  /// Marks problems the store reported on save.
  public mutating func show(_ issues: [ValidationIssue]) {
    for issue in issues {
      if let i = index(of: issue.path) { fields[i].problem = issue.problem }
    }
    if let first = issues.compactMap({ index(of: $0.path) }).min() { focus = first }
  }

  /// After a conflict: edit on top of the stored version, keeping the fields I changed.
  public mutating func rebase(on stored: StoredCase) {
    let mine = fields
    let (focus, top) = (self.focus, self.top)
    self = IntakeForm(editing: stored)
    for (i, f) in mine.enumerated() where f.isDirty {
      fields[i].editor = f.editor
    }
    self.focus = min(focus, fields.count - 1)
    self.top = top
  }

  /// My changed values next to the stored ones, for fields where they differ.
  public func differences(from stored: StoredCase, strings: Strings) -> [DifferencesView.Row] {
    fields.compactMap { f in
      let theirs = f.field.value(in: stored.document)
      guard f.isDirty || theirs != f.original, f.editor.text != theirs else { return nil }
      return DifferencesView.Row(label: strings("field.\(f.path)"), mine: f.editor.text, stored: theirs)
    }
  }
}

extension AppState {
  mutating func handleForm(_ key: Key) -> [Effect] {
    guard var f = form else { return [] }
    defer { if form != nil { form = f } }
    let today = self.today
    func move(_ delta: Int) {
      f.validateField(f.focus, today: today)
      f.focus = max(0, min(f.fields.count - 1, f.focus + delta))
    }
    switch key {
    case .control("s"), .function(2):
      guard let document = f.validateAll(today: today) else {
        let count = f.fields.filter { $0.problem != nil }.count
        showError(strings("form.invalid", String(count)))
        return []
      }
      if let base = f.base {
        if base.isReadOnly {
          showError(strings("case.readOnly", String(base.document.schemaVersion)))
          return []
        }
        if !f.isDirty {
          form = nil
          f = form ?? f
          showInfo(strings("form.unchanged"))
          return []
        }
        return [.save(document, basedOn: base, purpose: .form)]
      }
      return [.create(document)]
    case .escape:
      if f.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardForm"), action: .discardForm))
      } else {
        form = nil
      }
    case .tab, .down:
      move(1)
    case .backTab, .up:
      move(-1)
    case .enter:
      if f.focusedFieldIsText { move(1) } else { overlay = .picker(picker(for: f)) }
    case .character(" ") where !f.focusedFieldIsText:
      overlay = .picker(picker(for: f))
    case .character(let c) where !f.focusedFieldIsText:
      // Typing on a choice opens its picker at the first option starting with that letter.
      var p = picker(for: f)
      if let i = p.options.firstIndex(where: { $0.label.lowercased().hasPrefix(String(c).lowercased()) }) {
        p.cursor = i
      }
      overlay = .picker(p)
    case .backspace where !f.focusedFieldIsText, .delete where !f.focusedFieldIsText:
      f.setValue("", at: f.focus)
    default:
      if f.focusedFieldIsText {
        f.fields[f.focus].editor.handle(key)
      }
    }
    keepFocusVisible(&f)
    return []
  }

  func picker(for form: IntakeForm) -> Picker {
    let field = form.focusedField
    let values: [String]
    var multiple = false
    switch field.field.kind {
    case .choice(let options): values = (field.path == "procedure.status" ? [""] : []) + options
    case .list(let options):
      values = options
      multiple = true
    default: values = []
    }
    var p = Picker(
      title: strings("field.\(field.path)"),
      options: values.map { .init(value: $0, label: strings.choice(field.path, $0)) },
      target: .formField(form.focus), multiple: multiple)
    if multiple {
      p.chosen = Set(field.editor.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    } else {
      p.cursor = values.firstIndex(of: field.editor.text) ?? 0
    }
    return p
  }

  /// Form rows: a heading before each section, then one row per field.
  func formLayout(_ f: IntakeForm) -> [(field: Int?, section: String)] {
    var rows: [(Int?, String)] = []
    var section = ""
    for (i, field) in f.fields.enumerated() {
      if field.section != section {
        section = field.section
        if !rows.isEmpty { rows.append((nil, "")) }
        rows.append((nil, section))
      }
      rows.append((i, section))
    }
    return rows
  }

  var formBodyHeight: Int { rows - 6 }

  func keepFocusVisible(_ f: inout IntakeForm) {
    let layout = formLayout(f)
    guard let row = layout.firstIndex(where: { $0.field == f.focus }) else { return }
    let height = formBodyHeight
    // Keep the section heading in view with the first field of a section.
    let want = row > 0 && layout[row - 1].field == nil ? row - 1 : row
    if want < f.top { f.top = want }
    if row >= f.top + height { f.top = row - height + 1 }
  }

  func renderForm(into buffer: inout ScreenBuffer) -> (row: Int, column: Int)? {
    guard let f = form else { return nil }
    let title = f.isCreating
      ? strings("form.titleNew")
      : strings("form.titleEdit", f.base!.document.person.fullName, f.base!.id.rawValue)
    buffer.put(title, row: 1, column: 1, width: columns - 2, style: .title)
    let layout = formLayout(f)
    let labelWidth = columns >= 110 ? 30 : 24
    let valueColumn = labelWidth + 4
    let valueWidth = min(columns - valueColumn - 2, 50)
    var cursor: (Int, Int)?
    for (i, entry) in layout.dropFirst(f.top).prefix(formBodyHeight).enumerated() {
      let y = 3 + i
      guard let index = entry.field else {
        if !entry.section.isEmpty {
          buffer.put(strings("section.\(entry.section)"), row: y, column: 1, style: .heading)
        }
        continue
      }
      let field = f.fields[index]
      let focused = index == f.focus
      let mark = field.field.required ? "*" : " "
      buffer.put(field.problem != nil ? "!" : (field.isDirty ? "•" : " "), row: y, column: 1,
        style: field.problem != nil ? .error : .hint)
      if focused { buffer.put("›", row: y, column: 2, style: .title) }
      buffer.put(strings("field.\(field.path)") + mark, row: y, column: 3, width: labelWidth,
        style: focused ? .title : .label)
      let style: Style = focused ? .focusedField : .field
      buffer.fill(row: y, column: valueColumn, width: valueWidth, style: style)
      var shown = IntakeForm.isTyped(field.field) ? field.editor.text : choiceLabel(field)
      if !IntakeForm.isTyped(field.field) { shown += "  ▾" }
      var offset = 0
      if focused, IntakeForm.isTyped(field.field) {
        let before = TextWidth.width(of: String(field.editor.lines[0][0..<field.editor.column]))
        if before >= valueWidth - 1 { offset = before - valueWidth + 2 }
        cursor = (y, valueColumn + before - offset)
        if offset > 0 { shown = String(dropCells(shown, offset)) }
      }
      buffer.put(shown, row: y, column: valueColumn, width: valueWidth, style: style)
      if field.path == "procedure.workPermitDate", field.editor.isEmpty,
        let derived = f.build(today: today).document.procedure.derivedWorkPermitDate
      {
        buffer.put(strings("form.derivedPermit", derived.description), row: y, column: valueColumn,
          width: valueWidth, style: focused ? .focusedField : .hint)
        if focused { cursor = (y, valueColumn) }
      } else if field.path == "procedure.workPermitDate", !field.editor.isEmpty {
        let used = TextWidth.width(of: shown)
        buffer.put("  " + strings("overview.permitSet"), row: y, column: valueColumn + used,
          width: max(0, valueWidth - used), style: focused ? .focusedField : .hint)
      }
    }
    // The focused field's problem, or its hint.
    let field = f.focusedField
    let y = rows - 3
    if let problem = field.problem {
      buffer.put("! " + strings("field.\(field.path)") + ": " + strings.problem(problem), row: y,
        column: 1, width: columns - 2, style: .error)
    } else {
      buffer.put(strings("hint.\(field.path)"), row: y, column: 1, width: columns - 2, style: .hint)
    }
    return cursor
  }

  func choiceLabel(_ field: IntakeForm.Field) -> String {
    let text = field.editor.text
    if case .list = field.field.kind {
      let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      return values.isEmpty ? "—" : values.map { strings.choice(field.path, $0) }.joined(separator: ", ")
    }
    return strings.choice(field.path, text)
  }
}

/// `text` without its first `cells` cells.
func dropCells(_ text: String, _ cells: Int) -> Substring {
  var dropped = 0
  var rest = Substring(text)
  while dropped < cells, let c = rest.first {
    dropped += TextWidth.width(of: c)
    rest = rest.dropFirst()
  }
  return rest
}
