import TextCells
import CaseStore
import Casework

/// A label in a form: a strings key with arguments, or a text from a content catalog.
public struct FormLabel: Sendable, Equatable {
  public var key: String
  public var arguments: [String] = []
  public var text: LocalizedText?

  public static func key(_ key: String, _ arguments: String...) -> FormLabel {
    FormLabel(key: key, arguments: arguments, text: nil)
  }

  public static func text(_ text: LocalizedText) -> FormLabel { FormLabel(key: "", text: text) }
}

/// How a choice field's values are shown.
public enum OptionLabels: Sendable, Equatable {
  /// Intake fields: `Strings.choice(path, value)`.
  case intake
  /// `option.<group>.<value>` from the strings.
  case option(String)
  /// Job-profile ids of the skills catalog (free text shown as typed).
  case occupation
  /// Sector ids of the skills catalog.
  case sector
  /// Shown as they are.
  case plain
  /// Goals of the mentoring programme (free goals shown as typed).
  case goal
  /// Activities of the mentoring programme (free activities shown as typed).
  case activity
  /// Levels of the VOORwerk programme.
  case level
  /// Languages, stored as ISO 639 codes, shown and typed by name.
  case language
  /// An employer of the register, picked and shown by name (stored as its id).
  case employer
  /// An opening, picked and shown by title and employer (stored as its id).
  case opening
  /// A service of the guide, picked and shown by name and provider (stored as its id).
  case service
}

/// What a form is for; decides what saving and paging do.
public enum FormPurpose: Sendable, Equatable {
  case intake
  /// One page of a screening interview: phase 1 (sections) or phase 2 (ambition screening `id`).
  case interview(InterviewPage)
  /// Recording a consent (the one at `index` in `consents`).
  case consent(index: Int)
}

/// A change carried over from an earlier page of an interview, replayed after a conflict.
public enum CarriedEdit: Sendable {
  case field(CaseField, String)
  case addEntry(String)
  case removeEntry(String, Int)
  /// A phase-2 screening started on a date by a user.
  case startAmbition(LocalDate, String)
  /// A blank consent added on a date by a user, to be filled in.
  case addConsent(LocalDate, String)
}

/// A form over one case document: the intake form, a page of a screening interview, or a
/// consent. Values are text in editors; they become a document through `CaseField.assign`, the
/// same parser `keten edit --set` uses, and then the store's validation rules.
public struct CaseForm: Sendable {
  public struct Field: Sendable {
    public let field: CaseField
    /// Fields with the same section are grouped under one heading.
    public let section: String
    public let heading: FormLabel
    public let label: FormLabel
    public let hint: FormLabel?
    public let options: OptionLabels
    public var editor: TextEditor
    /// The value when the form opened (or was re-based after a conflict).
    public var original: String
    public var problem: FieldProblem?

    public var isDirty: Bool { editor.text != original }
    public var path: String { field.path }
  }

  /// The pieces of a field before it has an editor.
  public struct Spec: Sendable {
    public var field: CaseField
    public var section: String
    public var heading: FormLabel
    public var label: FormLabel
    public var hint: FormLabel?
    public var options: OptionLabels = .intake

    public init(
      _ field: CaseField, section: String, heading: FormLabel, label: FormLabel, hint: FormLabel? = nil,
      options: OptionLabels = .intake
    ) {
      self.field = field
      self.section = section
      self.heading = heading
      self.label = label
      self.hint = hint
      self.options = options
    }
  }

  /// The stored case being edited; nil while creating a new one.
  public private(set) var base: StoredCase?
  /// The document values are applied to (the stored one, or a blank draft).
  public private(set) var document: CaseDocument
  public let purpose: FormPurpose
  public var fields: [Field]
  /// The focused field; entering a field selects its value, so typing replaces it.
  public var focus = 0 {
    didSet { if focus != oldValue, fields.indices.contains(focus) { fields[focus].editor.selectAll() } }
  }
  public var top = 0
  /// Changes made on earlier pages of an interview.
  public var carried: [CarriedEdit] = []

  static let sections: [(prefix: String, section: String)] = [
    ("person.", "person"), ("procedure.", "procedure"), ("stages", "chain"), ("closed.", "closure"),
  ]

  static func intakeSpecs() -> [Spec] {
    CaseField.all.map { field in
      let section = sections.first { field.path.hasPrefix($0.prefix) }?.section ?? "person"
      return Spec(
        field, section: section, heading: .key("section.\(section)"), label: .key("field.\(field.path)"),
        hint: .key("hint.\(field.path)"), options: field.path == "person.languages" ? .language : .intake)
    }
  }

  public init(creatingOn today: LocalDate, worker: String, vocabulary: Vocabulary) {
    var draft = CaseDocument(
      id: CaseID(year: today.year, number: 0), person: Person(fullName: "", caseWorker: worker),
      createdBy: worker)
    draft.revision = 0
    self.init(document: draft, base: nil, purpose: .intake, specs: Self.intakeSpecs(), vocabulary: vocabulary)
  }

  public init(editing stored: StoredCase, vocabulary: Vocabulary) {
    self.init(document: stored.document, base: stored, purpose: .intake, specs: Self.intakeSpecs(), vocabulary: vocabulary)
  }

  /// Names for ids in the fields that hold catalog entries.
  public let vocabulary: Vocabulary

  public init(document: CaseDocument, base: StoredCase?, purpose: FormPurpose, specs: [Spec], vocabulary: Vocabulary) {
    self.document = document
    self.base = base
    self.purpose = purpose
    self.vocabulary = vocabulary
    fields = specs.map { spec in
      let value = vocabulary.present(spec.field.value(in: document), spec.options)
      return Field(
        field: spec.field, section: spec.section, heading: spec.heading, label: spec.label, hint: spec.hint,
        options: spec.options, editor: TextEditor(value), original: value)
    }
    if !fields.isEmpty { fields[0].editor.selectAll() }
  }

  public var isCreating: Bool { base == nil }
  public var isDirty: Bool { !carried.isEmpty || fields.contains(where: \.isDirty) }
  public var focusedField: Field { fields[focus] }
  public var isIntake: Bool { purpose == .intake }

  /// The list whose entries this interview page edits (`education`, `work`, `languages`).
  public var entryList: String? {
    guard case .interview(let page) = purpose else { return nil }
    return InterviewPages.entryList(of: page)
  }

  /// The entry index the focused field belongs to, from its section (`education#2` → 1).
  public var focusedEntry: Int? {
    guard !fields.isEmpty, let list = entryList else { return nil }
    let section = fields[focus].section
    guard section.hasPrefix(list + "#"), let n = Int(section.dropFirst(list.count + 1)) else { return nil }
    return n - 1
  }

  /// Free text is typed; choices and stage lists are picked.
  var focusedFieldIsText: Bool { !fields.isEmpty && focusedShape.typed }

  /// The focused field as the input rules see it.
  var focusedShape: FieldShape { FieldShape(kind: fields[focus].field.kind, options: fields[focus].options) }

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
        try vocabulary.assign(f.editor.text, to: f.field, options: f.options, in: &doc)
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
    normalizeNames(index)
    let problems = build(today: today).problems
    for i in fields.indices where i == index || fields[i].problem != nil {
      fields[i].problem = problems[i]
    }
  }

  /// A field over a catalog, left: its words as the catalog names them ("magazijnier" becomes
  /// "Magazijnier"), so it shows which words were linked; free words stay as typed.
  mutating func normalizeNames(_ index: Int) {
    if let shown = vocabulary.tidied(fields[index].editor.text, fields[index].options) { fields[index].editor = TextEditor(shown) }
  }

  /// Marks every problem; returns the document when there are none.
  public mutating func validateAll(today: LocalDate) -> CaseDocument? {
    let (doc, problems) = build(today: today)
    for i in fields.indices { fields[i].problem = problems[i] }
    if let first = problems.keys.min() {
      focus = first
      // Selected, as the message says: typing replaces the value.
      fields[first].editor.selectAll()
      return nil
    }
    return doc
  }

  /// Marks problems the store reported on save.
  public mutating func show(_ issues: [ValidationIssue]) {
    for issue in issues {
      if let i = index(of: issue.path) { fields[i].problem = issue.problem }
    }
    if let first = issues.compactMap({ index(of: $0.path) }).min() {
      focus = first
      fields[first].editor.selectAll()
    }
  }

  /// After a conflict: edit on top of the stored version, keeping the changes I made (on
  /// earlier pages too).
  public mutating func rebase(on stored: StoredCase, specs: (FormPurpose, CaseDocument) -> [Spec]) {
    let mine = fields
    let (focus, top, carried) = (self.focus, self.top, self.carried)
    var document = stored.document
    for edit in carried { Self.replay(edit, on: &document) }
    // What this form edits may have moved: my new consent is the last one; a screening someone
    // else opened meanwhile is the open one.
    var purpose = self.purpose
    switch purpose {
    case .consent: purpose = .consent(index: max(0, document.consents.count - 1))
    case .interview(var page) where page.phase == 2:
      if let open = document.openAmbitionScreening { page.ambitionID = open.id }
      purpose = .interview(page)
    default: break
    }
    self = CaseForm(document: document, base: stored, purpose: purpose, specs: specs(purpose, document), vocabulary: vocabulary)
    self.carried = carried
    for (i, f) in mine.enumerated() where f.isDirty && i < fields.count && fields[i].path == f.path {
      fields[i].editor = f.editor
    }
    self.focus = min(focus, max(0, fields.count - 1))
    self.top = top
  }

  /// Applies a carried edit to a document (errors were shown when it was made; a value that no
  /// longer parses is left out).
  static func replay(_ edit: CarriedEdit, on document: inout CaseDocument) {
    switch edit {
    case .field(let field, let text): try? field.assign(text, to: &document)
    case .addEntry(let list): InterviewPages.addEntry(list, to: &document)
    case .removeEntry(let list, let index): InterviewPages.removeEntry(list, at: index, from: &document)
    case .startAmbition(let day, let user): document.startAmbitionScreening(on: day, by: user)
    case .addConsent(let day, let user):
      document.addConsent(recipient: "", purpose: "", givenOn: day, how: .signed, witness: nil, by: user)
    }
  }

  /// My changed values next to the stored ones, for fields where they differ.
  public func differences(from stored: StoredCase, strings: Strings) -> [DifferencesView.Row] {
    fields.compactMap { f in
      let theirs = vocabulary.present(f.field.value(in: stored.document), f.options)
      guard f.isDirty || theirs != f.original, f.editor.text != theirs else { return nil }
      return DifferencesView.Row(label: strings.label(f.label), mine: f.editor.text, stored: theirs)
    }
  }
}

extension AppState {
  /// Names for ids in the forms' catalog fields, in the interface language.
  var vocabulary: Vocabulary { Vocabulary(content: content, language: strings.language.rawValue) }

  mutating func handleForm(_ key: Key) -> [Effect] {
    guard var f = form else { return [] }
    defer { if form != nil { form = f } }
    let today = self.today
    func move(_ delta: Int) {
      guard !f.fields.isEmpty else { return }
      f.validateField(f.focus, today: today)
      f.focus = max(0, min(f.fields.count - 1, f.focus + delta))
    }
    switch key {
    case .control("s"), .function(2):
      let effects = saveForm(&f)
      return effects
    case .escape:
      if f.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardForm"), action: .discardForm))
      } else {
        form = nil
      }
    case .pageDown where !f.isIntake, .pageUp where !f.isIntake:
      turnPage(&f, by: key == .pageDown ? 1 : -1)
    case .control("n") where f.entryList != nil:
      changeEntries(&f, add: true)
    case .control("d") where f.entryList != nil:
      if f.focusedEntry == nil {
        showError(strings("interview.noEntryHere"))
      } else {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.removeEntry"), action: .removeEntry))
      }
    default:
      guard !f.fields.isEmpty else { break }
      switch FieldInput.command(for: key, f.focusedShape) {
      case .next: move(1)
      case .previous: move(-1)
      case .openList, .openCatalog: overlay = .picker(picker(for: f))
      case .choose(let value):
        f.setValue(value, at: f.focus)
        f.validateField(f.focus, today: today)
      case .clear: f.setValue("", at: f.focus)
      case .edit: f.fields[f.focus].editor.handle(key)
      case .notTyped:
        showInfo(strings(f.focusedShape.multiple ? "form.pickNotTypeMultiple" : "form.pickNotType", strings.label(f.focusedField.label)))
      case .none: break
      }
    }
    keepFocusVisible(&f)
    return []
  }

  /// Ctrl-S: check every field, then create, save, or say why not.
  mutating func saveForm(_ f: inout CaseForm) -> [Effect] {
    guard var document = f.validateAll(today: today) else {
      let count = f.fields.filter { $0.problem != nil }.count
      showError(strings.plural("form.invalid", count))
      return []
    }
    guard let base = f.base else { return [.create(document)] }
    if base.isReadOnly {
      showError(strings("case.readOnly", String(base.document.schemaVersion)))
      return []
    }
    if case .interview(let page) = f.purpose {
      if let problem = interviewCheck(page, document) {
        showError(problem)
        return []
      }
      InterviewPages.stamp(page, on: &document, today: today)
    }
    if !f.isDirty && document == base.document {
      form = nil
      f = form ?? f
      showInfo(strings("form.unchanged"))
      return []
    }
    return [.save(document, basedOn: base, purpose: .form)]
  }

  /// A phase-2 screening marked finished must be complete.
  func interviewCheck(_ page: InterviewPage, _ d: CaseDocument) -> String? {
    guard let id = page.ambitionID, let a = d.screening.ambitions.first(where: { $0.id == id }), a.concluded
    else { return nil }
    let missing = content.screening.missingPhase2(a)
    if missing.isEmpty { return nil }
    return strings("interview.cannotConclude", missing.map { strings("missing.\($0.field)") }.joined(separator: ", "))
  }

  /// The document with this page's values, and every change so far to carry to the next page;
  /// nil (with the problems marked) when a value does not parse or check.
  mutating func leavePage(_ f: inout CaseForm) -> (CaseDocument, [CarriedEdit])? {
    let (document, problems) = f.build(today: today)
    if let first = problems.keys.min() {
      for (i, problem) in problems { f.fields[i].problem = problem }
      f.focus = first
      f.fields[first].editor.selectAll()
      showError(strings.plural("form.invalid", problems.count))
      return nil
    }
    return (document, f.carried + f.fields.filter(\.isDirty).map { CarriedEdit.field($0.field, $0.editor.text) })
  }

  /// PgDn / PgUp in an interview: keep this page's values and show the next or previous one.
  mutating func turnPage(_ f: inout CaseForm, by delta: Int) {
    guard case .interview(let page) = f.purpose, let base = f.base else { return }
    let target = page.index + delta
    guard (0..<page.count).contains(target) else {
      showInfo(strings(delta > 0 ? "interview.lastPage" : "interview.firstPage"))
      return
    }
    guard let (document, carried) = leavePage(&f) else { return }
    let next = page.moved(to: target)
    f = CaseForm(document: document, base: base, purpose: .interview(next), specs: interviewSpecs(next, document), vocabulary: vocabulary)
    f.carried = carried
  }

  /// Ctrl-N adds an entry to the page's list; a confirmed Ctrl-D removes the focused one.
  mutating func changeEntries(_ f: inout CaseForm, add: Bool) {
    guard case .interview(let page) = f.purpose, let base = f.base, let list = f.entryList else { return }
    guard var (document, carried) = leavePage(&f) else { return }
    let edit: CarriedEdit
    if add {
      edit = .addEntry(list)
    } else {
      guard let entry = f.focusedEntry else { return }
      edit = .removeEntry(list, entry)
    }
    CaseForm.replay(edit, on: &document)
    carried.append(edit)
    let focusedSection = f.focusedField.section
    f = CaseForm(document: document, base: base, purpose: .interview(page), specs: interviewSpecs(page, document), vocabulary: vocabulary)
    f.carried = carried
    if add, let last = f.fields.lastIndex(where: { $0.section.hasPrefix(list + "#") }) {
      f.focus = f.fields.firstIndex { $0.section == f.fields[last].section } ?? last
    } else {
      f.focus = f.fields.firstIndex { $0.section == focusedSection } ?? 0
    }
    showInfo(strings(add ? "interview.entryAdded" : "interview.entryRemoved"))
  }

  func interviewSpecs(_ page: InterviewPage, _ document: CaseDocument) -> [CaseForm.Spec] {
    InterviewPages.specs(page, document: document, content: content)
  }

  func picker(for form: CaseForm) -> Picker {
    let field = form.focusedField
    var (values, multiple) = field.field.kind.pickable
    var appendsTo = false
    if field.path == "procedure.status" { values = [""] + values }
    switch field.options {
    case .occupation:
      values = content.skills.profiles.map(\.id)
      multiple = false
      appendsTo = field.field.kind == .list([])
    case .sector where values.isEmpty:
      values = content.skills.sectors.map(\.id)
    default: break
    }
    var p = Picker(
      title: strings.label(field.label),
      options: values.map { .init(value: $0, label: optionLabel(field, $0), keywords: keywords(field.options, $0)) },
      target: appendsTo ? .formFieldAppend(form.focus) : .formField(form.focus), multiple: multiple)
    let stored = vocabulary.resolve(field.editor.text, field.options)
    if multiple {
      p.chosen = Set(FormField<CaseDocument>.splitList(stored))
    } else {
      p.cursor = values.firstIndex(of: stored) ?? 0
    }
    return p
  }

  /// Other names that find a catalog entry in a list (a profile's Flemish or earlier names).
  func keywords(_ options: OptionLabels, _ value: String) -> [String] {
    // A service is found by its words in either language, its provider, place and kind.
    if options == .service, let s = records.services.first(where: { $0.id == value }) { return serviceOption(s).keywords }
    guard options == .occupation, let profile = content.skills.profile(value) else { return [] }
    return profile.names
  }

  /// The label of one value of a choice field.
  func optionLabel(_ field: CaseForm.Field, _ value: String) -> String {
    optionLabel(field.options, path: field.path, value)
  }

  /// The label of one value, by how the field names its options.
  func optionLabel(_ options: OptionLabels, path: String, _ value: String) -> String {
    let language = strings.language.rawValue
    switch options {
    case .intake: return strings.choice(path, value)
    case .option(let group):
      if value.isEmpty { return strings.has("option.\(group).empty") ? strings("option.\(group).empty") : strings("option.unanswered") }
      if value == "none", !strings.has("option.\(group).none") { return strings("option.none") }
      return strings("option.\(group).\(value)")
    case .occupation:
      if value.isEmpty { return strings("option.unanswered") }
      if let profile = content.skills.profile(value) {
        return "\(profile.title(language)) · \(content.skills.sectorName(profile.sector, language))"
      }
      return value
    case .sector: return value.isEmpty ? strings("option.unanswered") : content.skills.sectorName(value, language)
    case .plain: return value.isEmpty ? "—" : value
    case .goal: return content.mentoring.goalTitle(value, language)
    case .activity: return content.mentoring.activityTitle(value, language)
    case .level: return content.voorwerk.level(value)?.title(language) ?? value
    case .language: return value.isEmpty ? strings("option.unanswered") : Languages.name(value, language)
    case .employer:
      if value.isEmpty { return strings("option.notRegistered") }
      return records.employers.first { $0.id == value }.map { "\($0.record.name) · \($0.record.region)" } ?? value
    case .service:
      if value.isEmpty { return strings("option.noService") }
      return records.services.first { $0.id == value }.map { "\(serviceName($0.record)) · \($0.record.provider)" } ?? value
    case .opening:
      if value.isEmpty { return strings("option.noOpening") }
      return records.openings.first { $0.id == value }.map { "\($0.record.title) · \(employerName($0.record)) · \(strings.date($0.record.start))" } ?? value
    }
  }

  /// The label column: wide enough for the longest label (plus its `*`), up to 45 % of the
  /// screen, so a question such as "First-degree family in the country" is not cut.
  func fittedLabelWidth(_ labels: [String], least: Int) -> Int {
    let longest = (labels.map { TextWidth.width(of: $0) }.max() ?? 0) + 2
    return max(least, min(longest, columns * 45 / 100))
  }

  /// Draws one form row: marks, label, and the value box; returns the cursor when it is focused and typed.
  func putFieldRow(
    into buffer: inout ScreenBuffer, y: Int, label: String, required: Bool, dirty: Bool, problem: FieldProblem?,
    focused: Bool, typed: Bool, shown: String, editor: TextEditor, labelWidth: Int
  ) -> (row: Int, column: Int)? {
    let valueColumn = labelWidth + 4
    let valueWidth = min(columns - valueColumn - 2, 60)
    buffer.put(problem != nil ? "!" : (dirty ? "•" : " "), row: y, column: 1, style: problem != nil ? .error : .hint)
    if focused { buffer.put("›", row: y, column: 2, style: .title) }
    buffer.put(TextWidth.truncate(label, to: labelWidth - 1) + (required ? "*" : " "), row: y, column: 3, width: labelWidth,
      style: focused ? .title : .label)
    let style: Style = focused ? .focusedField : .field
    buffer.fill(row: y, column: valueColumn, width: valueWidth, style: style)
    var text = shown
    // A value longer than its box ends in … while the field is not being edited.
    if !(focused && typed), TextWidth.width(of: text) > valueWidth - (typed ? 0 : 3) {
      text = TextWidth.truncate(text, to: valueWidth - (typed ? 0 : 3))
    }
    if !typed { text += "  ▾" }
    var cursor: (row: Int, column: Int)?
    if focused, typed {
      let before = TextWidth.width(of: String(editor.lines[0][0..<editor.column]))
      let offset = before >= valueWidth - 1 ? before - valueWidth + 2 : 0
      cursor = (y, valueColumn + before - offset)
      if offset > 0 { text = String(dropCells(text, offset)) }
    }
    // A field just entered shows its value selected: typing replaces it.
    let selected = focused && typed && editor.selected
    buffer.put(text, row: y, column: valueColumn, width: valueWidth, style: selected ? .selected : style)
    return cursor
  }

  /// Above the key hints: the focused field's problem, else its hint (up to `lines` lines).
  func putFieldFooter(into buffer: inout ScreenBuffer, label: String, problem: FieldProblem?, hint: String?, lines: Int) {
    let y = rows - 3
    if let problem {
      // The problem with its example: on two lines when it needs them, never cut.
      let wrapped = wrap("! " + label + ": " + strings.problem(problem), width: columns - 2)
      for (i, line) in wrapped.prefix(2).enumerated() {
        buffer.put(line, row: y - (min(wrapped.count, 2) - 1) + i, column: 1, width: columns - 2, style: .error)
      }
    } else if let hint {
      let wrapped = lines == 1 ? [hint] : wrap(hint, width: columns - 2)
      for (i, line) in wrapped.prefix(lines).enumerated() {
        buffer.put(line, row: y - (min(wrapped.count, lines) - 1) + i, column: 1, width: columns - 2, style: .hint)
      }
    }
  }

  /// Form rows: a heading before each section, then one row per field.
  func formLayout(_ f: CaseForm) -> [(field: Int?, section: String)] {
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

  var formBodyHeight: Int { rows - (form?.isIntake == false ? 9 : 6) }

  func keepFocusVisible(_ f: inout CaseForm) {
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
    var bodyTop = 3
    switch f.purpose {
    case .intake:
      let title = f.isCreating
        ? strings("form.titleNew")
        : strings("form.titleEdit", f.base!.document.person.fullName, f.base!.id.rawValue)
      buffer.put(TextWidth.truncate(title, to: columns - 2), row: 1, column: 1, width: columns - 2, style: .title)
    case .consent:
      buffer.put(TextWidth.truncate(strings("consent.title", f.base!.document.person.fullName), to: columns - 2), row: 1, column: 1,
        width: columns - 2, style: .title)
    case .interview(let page):
      renderInterviewHeader(page, f, into: &buffer)
      bodyTop = 5
    }
    let layout = formLayout(f)
    let labelWidth = fittedLabelWidth(
      f.fields.map { strings.label($0.label) }, least: f.isIntake ? (columns >= 110 ? 30 : 24) : (columns >= 110 ? 34 : 28))
    var cursor: (Int, Int)?
    if f.fields.isEmpty {
      buffer.put(strings("interview.emptyPage"), row: bodyTop, column: 3, width: columns - 4, style: .hint)
    }
    for (i, entry) in layout.dropFirst(f.top).prefix(formBodyHeight).enumerated() {
      let y = bodyTop + i
      guard let index = entry.field else {
        if !entry.section.isEmpty, let first = f.fields.first(where: { $0.section == entry.section }) {
          buffer.put(strings.label(first.heading), row: y, column: 1, width: columns - 2, style: .heading)
        }
        continue
      }
      let field = f.fields[index]
      let focused = index == f.focus
      let typed = FieldShape.isTyped(field.field.kind, field.options)
      let shown = typed ? field.editor.text : choiceLabel(field)
      if let at = putFieldRow(
        into: &buffer, y: y, label: strings.label(field.label), required: field.field.required, dirty: field.isDirty,
        problem: field.problem, focused: focused, typed: typed, shown: shown, editor: field.editor, labelWidth: labelWidth)
      {
        cursor = at
      }
      let valueColumn = labelWidth + 4
      let valueWidth = min(columns - valueColumn - 2, 60)
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
    guard !f.fields.isEmpty else { return nil }
    // The focused field's problem, or its hint (interview questions can be long: two lines).
    let field = f.focusedField
    putFieldFooter(
      into: &buffer, label: strings.label(field.label), problem: field.problem, hint: field.hint.map { strings.label($0) },
      lines: f.isIntake ? 1 : 2)
    return cursor
  }

  func choiceLabel(_ field: CaseForm.Field) -> String {
    let text = field.editor.text
    if case .list = field.field.kind {
      let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      if values.isEmpty { return field.options == .intake ? "—" : strings("option.unanswered") }
      if field.options == .occupation {
        return values.map { content.skills.occupationName($0, strings.language.rawValue) }.joined(separator: ", ")
      }
      return values.map { optionLabel(field, $0) }.joined(separator: ", ")
    }
    if field.options == .occupation {
      return content.skills.occupationName(text, strings.language.rawValue)
    }
    return optionLabel(field, text)
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
