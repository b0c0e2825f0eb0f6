import CaseStore
import Casework
import TextCells

/// One field of a `DraftForm`: a `FormField` with its label, hint, how its options are named,
/// and the text being typed.
public struct DraftField<Root>: Sendable {
  public let field: FormField<Root>
  public let label: FormLabel
  public let hint: FormLabel?
  public let options: OptionLabels
  public var editor: TextEditor
  public var original: String
  public var problem: FieldProblem?

  public var isDirty: Bool { editor.text != original }
}

/// The pieces of a draft field before it has an editor.
public struct DraftSpec<Root>: Sendable {
  public var field: FormField<Root>
  public var label: FormLabel
  public var hint: FormLabel?
  public var options: OptionLabels
  /// The field starts unanswered whatever the value holds: the user must choose (a pair's outcome).
  public var startsEmpty = false

  public init(_ field: FormField<Root>, label: FormLabel, hint: FormLabel? = nil, options: OptionLabels = .plain) {
    self.field = field
    self.label = label
    self.hint = hint
    self.options = options
  }
}

/// A form over any value with text fields (a training group, a mentor, a check-in, a pair's
/// programme). Values go through the same `FormField` parsers the command line uses, then the
/// value's own rules (`check`), whose issue paths name the fields.
public struct DraftForm<Root: Sendable>: Sendable {
  public var title: String
  public var value: Root
  public var fields: [DraftField<Root>]
  /// The focused field; entering a field selects its value, so typing replaces it.
  public var focus = 0 {
    didSet { if focus != oldValue, fields.indices.contains(focus) { fields[focus].editor.selectAll() } }
  }
  public var top = 0
  let check: @Sendable (Root) -> [ValidationIssue]

  /// Names for ids in the fields that hold catalog entries.
  let vocabulary: Vocabulary

  public init(
    title: String, value: Root, specs: [DraftSpec<Root>], vocabulary: Vocabulary,
    check: @escaping @Sendable (Root) -> [ValidationIssue]
  ) {
    self.title = title
    self.value = value
    self.check = check
    self.vocabulary = vocabulary
    fields = specs.map { s in
      let text = s.startsEmpty ? "" : vocabulary.present(s.field.value(in: value), s.options)
      return DraftField(field: s.field, label: s.label, hint: s.hint, options: s.options, editor: TextEditor(text), original: text)
    }
    if !fields.isEmpty { fields[0].editor.selectAll() }
  }

  public var isDirty: Bool { fields.contains(where: \.isDirty) }

  public func index(of path: String) -> Int? { fields.firstIndex { $0.field.path == path } }

  /// The value with every field applied, and the problems found by field index.
  public func build() -> (value: Root, problems: [Int: FieldProblem]) {
    var v = value
    var problems: [Int: FieldProblem] = [:]
    for (i, f) in fields.enumerated() {
      do {
        try vocabulary.assign(f.editor.text, to: f.field, options: f.options, in: &v)
      } catch {
        problems[i] = error.problem
      }
    }
    for issue in check(v) {
      if let i = index(of: issue.path), problems[i] == nil { problems[i] = issue.problem }
    }
    return (v, problems)
  }

  mutating func validateField(_ index: Int) {
    // A field over a catalog, left: its words as the catalog names them.
    if let shown = vocabulary.tidied(fields[index].editor.text, fields[index].options) { fields[index].editor = TextEditor(shown) }
    let problems = build().problems
    for i in fields.indices where i == index || fields[i].problem != nil { fields[i].problem = problems[i] }
  }
}

/// A draft form seen without its root type, so one screen can hold any of them.
protocol DraftEditing: Sendable {
  var title: String { get }
  var isDirty: Bool { get }
  var focus: Int { get set }
  var top: Int { get set }
  var rows: [DraftRow] { get }
  mutating func edit(_ key: Key)
  mutating func setText(_ text: String, at index: Int)
  mutating func validateField(_ index: Int)
  /// The built value when every field is valid; otherwise marks the problems and focuses the first.
  mutating func validated() -> (any Sendable)?
  /// Marks problems a save reported; returns those no field shows.
  mutating func show(_ issues: [ValidationIssue]) -> [ValidationIssue]
}

/// What the screen needs of one field.
struct DraftRow: Sendable {
  var path: String
  var kind: FieldKind
  var required: Bool
  var label: FormLabel
  var hint: FormLabel?
  var options: OptionLabels
  var editor: TextEditor
  var problem: FieldProblem?
  var isDirty: Bool

  var shape: FieldShape { FieldShape(kind: kind, options: options) }
  var isTyped: Bool { shape.typed }
}

extension DraftForm: DraftEditing {
  var rows: [DraftRow] {
    fields.map {
      DraftRow(
        path: $0.field.path, kind: $0.field.kind, required: $0.field.required, label: $0.label, hint: $0.hint,
        options: $0.options, editor: $0.editor, problem: $0.problem, isDirty: $0.isDirty)
    }
  }

  mutating func edit(_ key: Key) { _ = fields[focus].editor.handle(key) }

  /// Sets a field to a stored value (ids), shown by name.
  mutating func setText(_ text: String, at index: Int) {
    fields[index].editor = TextEditor(vocabulary.present(text, fields[index].options))
  }

  mutating func validated() -> (any Sendable)? {
    let (v, problems) = build()
    for i in fields.indices { fields[i].problem = problems[i] }
    if let first = problems.keys.min() {
      focus = first
      // Selected, as the message says: typing replaces the value.
      fields[first].editor.selectAll()
      return nil
    }
    return v
  }

  mutating func show(_ issues: [ValidationIssue]) -> [ValidationIssue] {
    var elsewhere: [ValidationIssue] = []
    for issue in issues {
      if let i = index(of: issue.path) { fields[i].problem = issue.problem } else { elsewhere.append(issue) }
    }
    if let first = issues.compactMap({ index(of: $0.path) }).min() {
      focus = first
      fields[first].editor.selectAll()
    }
    return elsewhere
  }
}

/// What a draft is for; decides what saving does.
public enum DraftPurpose: Sendable {
  case newGroup
  case editGroup(StoredRecord<TrainingGroup>)
  /// Part 3 of one participant.
  case practice(StoredRecord<TrainingGroup>, caseID: String)
  case newMentor
  case editMentor(StoredRecord<Mentor>)
  /// A new pair with this mentor, on the case as stored.
  case newPair(StoredCase)
  case editPair(StoredCase, index: Int)
  case closePair(StoredCase, index: Int)
  /// A check-in for a case's open pair (by its mentor, or staff on the mentor's behalf).
  case checkIn(CaseID)
  /// A follow-up of a hire's meeting (nil: an extra meeting).
  case followUp(StoredCase, hire: String, meeting: String?)
  case plan(StoredCase, hire: String)
  case hire(StoredCase)
  case outcome(StoredCase, hire: String)
  case reschedule(StoredCase, hire: String)
  /// A new internship (nil) or the one with this id.
  case internship(StoredCase, id: String?)
  case availability(StoredCase)
  /// A new employer (nil) or this one; likewise openings and fairs.
  case employer(StoredRecord<Employer>?)
  case opening(StoredRecord<Opening>?)
  case fair(StoredRecord<JobFair>?)
  /// A case's registration for a fair: new (its needs) or its result.
  case registration(StoredRecord<JobFair>, caseID: String, new: Bool)
  /// A new action under a goal (`goal` set) or the action with this id, on the case as stored.
  case planAction(StoredCase, goal: PlanGoal.Kind?, action: String?)
  case planDone(StoredCase, action: String)
  case planDrop(StoredCase, action: String)
  case planReview(StoredCase)
  case planAgree(StoredCase)
  /// A new service of the guide (nil) or this one.
  case service(StoredRecord<Service>?)
}

/// A draft form on screen.
public struct DraftSession: Sendable {
  var form: any DraftEditing
  public var purpose: DraftPurpose
  /// The user said yes to logging a meeting before its planned day.
  var earlyConfirmed = false

  /// After a group or mentor was read again: save on top of the version read (typed values stay).
  mutating func rebase(on records: RecordCache) {
    switch purpose {
    case .editGroup(let base):
      if let fresh = records.groups.first(where: { $0.id == base.id }) { purpose = .editGroup(fresh) }
    case .practice(let base, let caseID):
      if let fresh = records.groups.first(where: { $0.id == base.id }) { purpose = .practice(fresh, caseID: caseID) }
    case .editMentor(let base):
      if let fresh = records.mentors.first(where: { $0.id == base.id }) { purpose = .editMentor(fresh) }
    case .employer(let base?):
      if let fresh = records.employers.first(where: { $0.id == base.id }) { purpose = .employer(fresh) }
    case .opening(let base?):
      if let fresh = records.openings.first(where: { $0.id == base.id }) { purpose = .opening(fresh) }
    case .fair(let base?):
      if let fresh = records.fairs.first(where: { $0.id == base.id }) { purpose = .fair(fresh) }
    case .registration(let base, let caseID, let new):
      if let fresh = records.fairs.first(where: { $0.id == base.id }) { purpose = .registration(fresh, caseID: caseID, new: new) }
    case .service(let base?):
      if let fresh = records.services.first(where: { $0.id == base.id }) { purpose = .service(fresh) }
    default: break
    }
  }

  /// After a conflict: save on top of the case as stored now (the typed values stay).
  mutating func rebase(on stored: StoredCase) {
    switch purpose {
    case .newPair: purpose = .newPair(stored)
    case .editPair(_, let index): purpose = .editPair(stored, index: index)
    case .closePair(_, let index): purpose = .closePair(stored, index: index)
    case .followUp(_, let hire, let meeting): purpose = .followUp(stored, hire: hire, meeting: meeting)
    case .plan(_, let hire): purpose = .plan(stored, hire: hire)
    case .hire: purpose = .hire(stored)
    case .outcome(_, let hire): purpose = .outcome(stored, hire: hire)
    case .reschedule(_, let hire): purpose = .reschedule(stored, hire: hire)
    case .internship(_, let id): purpose = .internship(stored, id: id)
    case .availability: purpose = .availability(stored)
    case .planAction(_, let goal, let action): purpose = .planAction(stored, goal: goal, action: action)
    case .planDone(_, let action): purpose = .planDone(stored, action: action)
    case .planDrop(_, let action): purpose = .planDrop(stored, action: action)
    case .planReview: purpose = .planReview(stored)
    case .planAgree: purpose = .planAgree(stored)
    default: break
    }
  }
}

extension AppState {
  mutating func handleDraft(_ key: Key) -> [Effect] {
    guard var session = draft else { return [] }
    defer { if draft != nil { draft = session } }
    let rows = session.form.rows
    guard !rows.isEmpty else { return [] }
    let row = rows[session.form.focus]
    func move(_ delta: Int) {
      session.form.validateField(session.form.focus)
      session.form.focus = max(0, min(rows.count - 1, session.form.focus + delta))
    }
    switch key {
    case .control("s"), .function(2):
      return saveDraft(&session)
    case .escape:
      if session.form.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardForm"), action: .discardDraft))
      } else {
        draft = nil
      }
    default:
      let shape = row.shape
      switch FieldInput.command(for: key, shape) {
      case .next: move(1)
      case .previous: move(-1)
      case .openList, .openCatalog: overlay = .picker(draftPicker(row, index: session.form.focus))
      case .choose(let value):
        session.form.setText(value, at: session.form.focus)
        fillFromPicked(row, value, &session)
        session.form.validateField(session.form.focus)
      case .clear: session.form.setText("", at: session.form.focus)
      case .edit: session.form.edit(key)
      case .notTyped: showInfo(strings(shape.multiple ? "form.pickNotTypeMultiple" : "form.pickNotType", strings.label(row.label)))
      case .none: break
      }
    }
    keepDraftFocusVisible(&session)
    return []
  }

  /// Ctrl-S on a draft: check every field, then save what the draft is for.
  mutating func saveDraft(_ session: inout DraftSession) -> [Effect] {
    guard let value = session.form.validated() else {
      let count = session.form.rows.filter { $0.problem != nil }.count
      showError(strings.plural("form.invalid", count))
      return []
    }
    switch session.purpose {
    case .followUp, .plan, .hire, .outcome, .reschedule, .internship, .availability:
      return savePlacementDraft(session.purpose, value) ?? []
    case .employer, .opening, .fair, .registration:
      return saveJobDraft(session.purpose, value) ?? []
    case .planAction, .planDone, .planDrop, .planReview, .planAgree:
      return savePlanDraft(session.purpose, value) ?? []
    case .service(let base):
      guard let s = value as? Service else { return [] }
      return [.saveService(s, basedOn: base)]
    case .newGroup:
      guard let g = value as? TrainingGroup else { return [] }
      return [.saveGroup(g, basedOn: nil, message: "group.created")]
    case .editGroup(let base):
      // The form's fields on top of the group as last read (participants may have changed since).
      guard let edited = value as? TrainingGroup else { return [] }
      var g = base.record
      guard carry(TrainingGroup.fields(levels: content.voorwerk.levels.map(\.id)), from: edited, to: &g) else { return [] }
      return [.saveGroup(g, basedOn: base, message: "group.saved")]
    case .practice(let base, let caseID):
      guard let edited = value as? TrainingGroup.Participant, let i = base.record.participant(caseID) else {
        showError(strings("group.participantGone"))
        return []
      }
      var g = base.record
      guard carry(TrainingGroup.practiceFields, from: edited, to: &g.participants[i]) else { return [] }
      return [.saveGroup(g, basedOn: base, message: "practice.saved")]
    case .newMentor:
      guard let m = value as? Mentor else { return [] }
      return [.saveMentor(m, basedOn: nil)]
    case .editMentor(let base):
      guard let m = value as? Mentor else { return [] }
      return [.saveMentor(m, basedOn: base)]
    case .newPair(let base):
      guard let pair = value as? MentorPair else { return [] }
      var d = base.document
      d.addPair(pair)
      d.stages.insert(.bridging)
      return [.save(d, basedOn: base, purpose: .draft("pair.saved"))]
    case .editPair(let base, let index):
      guard let pair = value as? MentorPair, base.document.mentoring.indices.contains(index) else { return [] }
      var d = base.document
      // Only the programme: check-ins the mentor logged meanwhile stay.
      guard carry(MentorPair.programmeFields, from: pair, to: &d.mentoring[index]) else { return [] }
      return [.save(d, basedOn: base, purpose: .draft("pair.updated"))]
    case .closePair(let base, let index):
      guard let closure = value as? PairClosure, base.document.mentoring.indices.contains(index) else { return [] }
      var d = base.document
      d.mentoring[index].closure = closure
      return [.save(d, basedOn: base, purpose: .draft("pair.closed"))]
    case .checkIn(let id):
      guard var checkIn = value as? CheckIn else { return [] }
      if isMentorMode { return [.logCheckIn(checkIn, id)] }
      // Staff logging for the mentor, on the case they have open.
      guard let base = caseFile?.stored, base.id == id, let index = base.document.openPairIndex else { return [] }
      var d = base.document
      checkIn.id = d.mentoring[index].nextCheckInID
      checkIn.loggedBy = user
      checkIn.loggedAt = now()
      d.mentoring[index].checkIns.append(checkIn)
      return [.save(d, basedOn: base, purpose: .draft("checkIn.saved"))]
    }
  }

  /// Copies a form's fields onto the latest version; false (with the message) when one no longer fits.
  mutating func carry<Root>(_ fields: [FormField<Root>], from source: Root, to target: inout Root) -> Bool {
    do {
      try FormField.carry(fields, from: source, to: &target)
      return true
    } catch {
      showError(strings("form.invalidElsewhere", strings.fieldName(error.path), strings.problem(error.problem)))
      return false
    }
  }

  /// The picker for a draft field: its fixed choices, or its catalog (merged with typed words).
  func draftPicker(_ row: DraftRow, index: Int) -> Picker {
    var (values, multiple) = row.kind.pickable
    switch row.options {
    case .goal:
      values = content.mentoring.goals.map(\.id)
      multiple = true
    case .activity:
      values = content.mentoring.activities.map(\.id)
      multiple = true
    case .occupation: values = [""] + content.skills.profiles.map(\.id)
    case .employer:
      // One employer for a hire or an opening, several for a fair.
      values = (multiple ? [] : [""]) + records.employers.filter { $0.record.active || row.editor.text.contains($0.id) }
        .sorted { $0.record.name.localizedStandardCompare($1.record.name) == .orderedAscending }.map(\.id)
    case .service:
      values = [""] + records.services.filter { $0.record.active || $0.id == row.editor.text }
        .sorted { serviceName($0.record) < serviceName($1.record) }.map(\.id)
      multiple = false
    case .opening:
      // Vacancies for a hire, internship places for an internship.
      var kind: Opening.Kind?
      if case .hire? = draft?.purpose { kind = .vacancy }
      if case .internship? = draft?.purpose { kind = .internship }
      values = [""] + shownOpenings.filter { ($0.record.open && (kind == nil || $0.record.type == kind)) || $0.id == row.editor.text }.map(\.id)
      multiple = false
    case .sector where values.isEmpty: values = [""] + content.skills.sectors.map(\.id)
    default: break
    }
    var p = Picker(
      title: strings.label(row.label),
      options: values.map { .init(value: $0, label: optionLabel(row.options, path: row.path, $0), keywords: keywords(row.options, $0)) },
      target: .draftField(index), multiple: multiple)
    p.searchable = row.options == .service
    let stored = vocabulary.resolve(row.editor.text, row.options)
    if multiple {
      p.chosen = Set(FormField<CaseDocument>.splitList(stored))
    } else {
      p.cursor = values.firstIndex(of: stored) ?? 0
    }
    return p
  }

  /// A value picked for draft field `index`: lists keep the typed words that are not in the catalog.
  mutating func pickDraft(_ picker: Picker, index: Int) {
    guard var session = draft else { return }
    let row = session.form.rows[index]
    var text = picker.options[picker.cursor].value
    if picker.multiple {
      let catalog = Set(picker.options.map(\.value))
      let typed = FormField<CaseDocument>.splitList(vocabulary.resolve(row.editor.text, row.options)).filter { !catalog.contains($0) }
      text = (picker.options.map(\.value).filter(picker.chosen.contains) + typed).joined(separator: ", ")
    }
    session.form.setText(text, at: index)
    fillFromPicked(row, text, &session)
    session.form.validateField(index)
    keepDraftFocusVisible(&session)
    draft = session
  }

  /// What a picked employer or opening fills in on the rest of the form.
  mutating func fillFromPicked(_ row: DraftRow, _ text: String, _ session: inout DraftSession) {
    // An employer from the register fills in its name (a hire's employer, an internship's
    // organisation) when that is still empty.
    if row.options == .employer, let employer = records.employers.first(where: { $0.id == text }),
      let name = session.form.rows.firstIndex(where: { ["employerName", "organisation"].contains($0.path) }),
      session.form.rows[name].editor.isEmpty
    {
      session.form.setText(employer.record.name, at: name)
    }
    // An opening fills in what it says: employer, job, profile, hours (for a hire), role and
    // dates (for an internship).
    if row.options == .opening, let opening = records.openings.first(where: { $0.id == text })?.record {
      let filled: [String: String] = [
        "employer": opening.employer, "employerName": employerName(opening), "organisation": employerName(opening),
        "job": opening.title, "role": opening.title, "profile": opening.profile,
        "hoursPerWeek": opening.hoursPerWeek.map(String.init) ?? "",
        "start": max(opening.start, today).description, "from": opening.start.description,
        "to": (opening.end ?? opening.start.adding(months: 3)).description,
      ]
      for (i, r) in session.form.rows.enumerated() {
        if let value = filled[r.path], !value.isEmpty { session.form.setText(value, at: i) }
      }
      showInfo(strings("opening.filledIn", opening.title, employerName(opening)))
    }
  }

  var draftBodyHeight: Int { rows - 7 }

  func keepDraftFocusVisible(_ session: inout DraftSession) {
    let row = session.form.focus
    if row < session.form.top { session.form.top = row }
    if row >= session.form.top + draftBodyHeight { session.form.top = row - draftBodyHeight + 1 }
  }

  /// The title bar's name for what the draft edits.
  var draftScreenTitle: String {
    switch draft?.purpose {
    case .newGroup?, .editGroup?: strings("screen.group")
    case .practice?: strings("screen.practice")
    case .newMentor?, .editMentor?: strings("screen.mentor")
    case .newPair?, .editPair?, .closePair?: strings("screen.pair")
    case .checkIn?: strings("screen.checkIn")
    case .followUp?: strings("screen.followUp")
    case .plan?: strings("screen.plan")
    case .hire?: strings("screen.hire")
    case .outcome?: strings("screen.outcome")
    case .reschedule?: strings("screen.reschedule")
    case .internship?: strings("screen.internship")
    case .availability?: strings("screen.availability")
    case .employer?: strings("screen.employer")
    case .opening?: strings("screen.opening")
    case .fair?: strings("screen.fairForm")
    case .registration?: strings("screen.registration")
    case .planAction?, .planDone?, .planDrop?, .planReview?, .planAgree?: strings("screen.planForm")
    case .service?: strings("screen.service")
    case nil: strings("screen.draft")
    }
  }

  func renderDraft(into buffer: inout ScreenBuffer) -> (row: Int, column: Int)? {
    guard let session = draft else { return nil }
    let f = session.form
    buffer.put(TextWidth.truncate(f.title, to: columns - 2), row: 1, column: 1, width: columns - 2, style: .title)
    let rows = f.rows
    let labelWidth = fittedLabelWidth(rows.map { strings.label($0.label) }, least: columns >= 110 ? 34 : 28)
    var cursor: (row: Int, column: Int)?
    for (i, row) in rows.enumerated().dropFirst(f.top).prefix(draftBodyHeight) {
      let focused = i == f.focus
      let shown = row.isTyped && (focused || !row.options.isCatalog) ? row.editor.text : pickedLabel(row)
      if let at = putFieldRow(
        into: &buffer, y: 3 + i - f.top, label: strings.label(row.label), required: row.required, dirty: row.isDirty, problem: row.problem,
        focused: focused, typed: row.isTyped, shown: shown, editor: row.editor, labelWidth: labelWidth)
      {
        cursor = at
      }
    }
    let focused = rows[f.focus]
    putFieldFooter(
      into: &buffer, label: strings.label(focused.label), problem: focused.problem, hint: focused.hint.map { strings.label($0) },
      lines: 2)
    return cursor
  }

  /// The labels of a picked value or values.
  func pickedLabel(_ row: DraftRow) -> String {
    if case .list = row.kind {
      let values = FormField<CaseDocument>.splitList(row.editor.text)
      if values.isEmpty { return "—" }
      return values.map { optionLabel(row.options, path: row.path, $0) }.joined(separator: ", ")
    }
    return optionLabel(row.options, path: row.path, row.editor.text)
  }
}

extension FieldKind {
  /// The values a picker offers for this kind of field, and whether several may be chosen.
  var pickable: (values: [String], multiple: Bool) {
    switch self {
    case .choice(let options): (options, false)
    case .list(let options): (options, true)
    default: ([], false)
    }
  }
}

extension OptionLabels {
  /// Typed lists whose catalog F4 offers.
  var isCatalog: Bool { self == .goal || self == .activity || self == .occupation || self == .sector }
}
