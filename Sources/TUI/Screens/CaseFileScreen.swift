import TextCells
import Casework
import CaseStore
import Foundation

/// The tabs of a case file, in order (keys 1…9).
public enum CaseTab: String, Sendable, CaseIterable {
  case overview, intake, screening, training, mentoring, jobs, followUp, plan, notes, history

  /// The part of the case the tab shows; a tab shows only for roles that may see it.
  public var section: CaseSection {
    switch self {
    case .overview: .status
    case .intake: .personal
    case .screening: .screening
    case .training: .training
    case .mentoring: .mentoring
    case .jobs, .followUp: .placement
    case .plan: .plan
    case .notes: .notes
    case .history: .history
    }
  }
}

/// One case open on screen.
public struct CaseFileState: Sendable {
  public var stored: StoredCase {
    didSet {
      summary = CaseSummary(document: stored.document, rules: rules)
      journal = nil
      historyRequested = false
    }
  }
  /// The audit journal's entries about the case, once read for the History tab.
  public var journal: [JournalEntry]?
  var historyRequested = false
  /// What is due and the flags, worked out once per load or save rather than per frame.
  public private(set) var summary: CaseSummary
  private let rules: any CaseRules
  public var tab: CaseTab = .overview
  public var scroll = 0
  public var noteSelection = 0
  /// The action selected on the Plan tab (in the plan's order).
  public var planSelection = 0

  public init(stored: StoredCase, rules: any CaseRules) {
    self.stored = stored
    self.rules = rules
    summary = CaseSummary(document: stored.document, rules: rules)
    noteSelection = max(0, stored.document.notes.count - 1)
  }
}

extension AppState {
  mutating func handleCaseFile(_ action: KeyAction, key: Key) -> [Effect] {
    guard var file = caseFile else { return [] }
    defer { if caseFile != nil { caseFile = file } }
    let tabs = visibleTabs
    let index = tabs.firstIndex(of: file.tab) ?? 0
    if file.stored.isPartial {
      // A partial view (a trainer's) moves between its tabs and closes; nothing else.
      switch action {
      case .nextTab, .previousTab, .tabNumber, .down, .up, .back, .command:
        break
      default:
        showError(strings("case.partial"))
        return []
      }
    }
    if file.tab == .screening, let effects = handleScreeningKey(action, file) { return effects }
    if file.tab == .mentoring, let effects = handleMentoringKey(action, file) { return effects }
    if file.tab == .followUp || file.tab == .jobs, let effects = handlePlacementKey(action, file) { return effects }
    if file.tab == .plan, let effects = handlePlanKey(action, &file) { return effects }
    switch action {
    case .nextTab:
      file.tab = tabs[(index + 1) % tabs.count]
      file.scroll = 0
    case .previousTab:
      file.tab = tabs[(index - 1 + tabs.count) % tabs.count]
      file.scroll = 0
    case .tabNumber:
      // 1…9 and 0 for the tenth.
      if case .character(let c) = key, let digit = c.wholeNumberValue, case let n = digit == 0 ? 10 : digit, n <= tabs.count {
        file.tab = tabs[n - 1]
        file.scroll = 0
      } else {
        showInfo(strings("case.noSuchTab", String(tabs.count)))
      }
    case .nextNote:
      file.noteSelection = min(file.noteSelection + 1, max(0, file.stored.document.notes.count - 1))
    case .previousNote:
      file.noteSelection = max(0, file.noteSelection - 1)
    case .down:
      file.scroll += 1
    case .up:
      file.scroll = max(0, file.scroll - 1)
    case .editIntake:
      if file.stored.isReadOnly {
        showError(strings("case.readOnly", String(file.stored.document.schemaVersion)))
      } else {
        form = CaseForm(editing: file.stored, vocabulary: vocabulary)
      }
    case .addNote:
      if file.stored.isReadOnly {
        showError(strings("case.readOnly", String(file.stored.document.schemaVersion)))
      } else {
        noteEditor = NoteEditorState(caseID: file.stored.id, noteID: nil, text: "")
        file.tab = .notes
      }
    case .editNote:
      let notes = file.stored.document.notes
      guard notes.indices.contains(file.noteSelection) else {
        showInfo(strings("note.noneToEdit"))
        break
      }
      let note = notes[file.noteSelection]
      if note.author != user {
        showError(strings("note.notYours", note.author))
      } else if file.stored.isReadOnly {
        showError(strings("case.readOnly", String(file.stored.document.schemaVersion)))
      } else {
        noteEditor = NoteEditorState(caseID: file.stored.id, noteID: note.id, text: note.text)
      }
    case .back:
      caseFile = nil
      if let id = list.selected?.id, id != file.stored.id { list.select(file.stored.id) }
      keepSelectionVisible()
    case .command:
      prompt = Prompt(kind: .command)
    default:
      break
    }
    return []
  }

  // MARK: Render

  func renderCaseFile(into buffer: inout ScreenBuffer) {
    guard let file = caseFile else { return }
    let d = file.stored.document
    // Header: name, id, age, status, stage chips, next due, flags.
    var x = 1
    x += buffer.put(d.person.fullName, row: 1, column: x, width: columns / 2, style: .title)
    if let preferred = d.person.preferredName, !preferred.isEmpty, preferred != d.person.fullName {
      x += buffer.put(" (\(preferred))", row: 1, column: x, width: columns / 4, style: .title)
    }
    buffer.put(d.id.rawValue, row: 1, column: columns - 12, style: .key)
    var info: [String] = []
    if let born = d.person.dateOfBirth {
      info.append(strings("case.age", String(born.years(until: today))))
    }
    if sections.contains(.procedure) { info.append(strings.status(d.procedure.status)) }
    if let centre = d.person.centre { info.append(centre) }
    if let worker = d.person.caseWorker { info.append(strings("case.worker", worker)) }
    buffer.put(info.joined(separator: " · "), row: 2, column: 1, width: columns - 2)
    x = 1
    for stage in ChainStage.allCases where d.stages.contains(stage) {
      x += buffer.put(" \(strings.stage(stage)) ", row: 3, column: x, style: .chip) + 1
    }
    let summary = file.summary
    var flags: [(String, Style)] = []
    if let closure = d.closure { flags.append((strings("case.closedFlag", closure.on.description), .warning)) }
    if file.stored.isReadOnly { flags.append((strings("case.readOnlyFlag"), .error)) }
    if file.stored.isPartial { flags.append((strings("case.partialFlag"), .hint)) }
    if summary.isOverdue(today: today) { flags.append((strings("case.overdueFlag"), .error)) }
    if let due = summary.nextDue(today: today) {
      flags.append((strings("case.nextDue", dueText(due), strings.date(due.date)), .plain))
    }
    // Flags that do not fit are left out whole (the Overview lists what is due), never cut.
    for (text, style) in flags where x + 1 + TextWidth.width(of: text) <= columns - 1 {
      x += buffer.put(text, row: 3, column: x + 1, width: columns - x - 2, style: style) + 2
    }
    // Tabs: full labels when they fit, else the active one full and the others shortened.
    let shown = visibleTabs
    let tabs = shown.enumerated().map { "\(($0.offset + 1) % 10) \(strings("tab.\($0.element.rawValue)"))" }
    let full = tabs.reduce(0) { $0 + TextWidth.width(of: $1) + 2 }
    x = 1
    for (i, tab) in shown.enumerated() {
      var label = tabs[i]
      if full > columns - 2, tab != file.tab { label = String(label.prefix(5)) }
      let w = TextWidth.width(of: label) + 2
      if x + w > columns { break }
      buffer.put(" \(label) ", row: 4, column: x, style: tab == file.tab ? .tabActive : .hint)
      x += w
    }
    let body = 6
    let height = rows - body - 2
    var lines: [(String, Style)] = []
    switch file.tab {
    case .overview: lines = overviewLines(d, summary: summary)
    case .intake: lines = intakeLines(d)
    case .notes:
      renderNotes(file, into: &buffer, top: body, height: height)
      return
    case .history: lines = historyLines(file)
    case .screening: lines = screeningLines(d)
    case .training: lines = trainingLines(d)
    case .mentoring: lines = mentoringLines(d.mentoring)
    case .jobs: lines = jobsLines(d)
    case .followUp: lines = followUpLines(d)
    case .plan: lines = planLines(file)
    }
    let width = columns - 4
    var wrapped: [(String, Style)] = []
    for (text, style) in lines {
      if text.isEmpty {
        wrapped.append(("", style))
      } else if file.tab == .plan {
        // The plan's lines keep their indent when they wrap (the marks and ids stay aligned).
        let indent = text.prefix { $0 == " " }.count
        let hanging = indent > 0 ? max(indent, 7) : 0
        let parts = wrap(String(text.dropFirst(indent)), width: width - max(indent, hanging))
        wrapped += parts.enumerated().map { (String(repeating: " ", count: $0.offset == 0 ? indent : hanging) + $0.element, style) }
      } else {
        wrapped += wrap(text, width: width).map { ($0, style) }
      }
    }
    var scroll = file.scroll
    // The Plan tab keeps the selected action in view.
    if file.tab == .plan, let at = wrapped.firstIndex(where: { $0.0.hasPrefix("›") }) {
      scroll = max(0, at - height + 3)
    }
    for (i, line) in wrapped.dropFirst(min(scroll, max(0, wrapped.count - height))).prefix(height).enumerated() {
      buffer.put(line.0, row: body + i, column: 2, width: width, style: line.1)
    }
  }

  /// A due item in words: post-hire meetings by role and week, the rest by their key.
  func dueText(_ item: DueItem) -> String {
    if item.key == DueKey.postHire, let meeting = item.ref.split(separator: "/").last { return meetingTitle(String(meeting)) }
    return strings.due(item.what)
  }

  func overviewLines(_ d: CaseDocument, summary: CaseSummary) -> [(String, Style)] {
    var lines: [(String, Style)] = [(strings("overview.chain"), .heading)]
    let chain = ChainStage.allCases.map { stage in
      d.stages.contains(stage) ? "[\(strings.stage(stage))]" : strings.stage(stage)
    }.joined(separator: " → ")
    lines.append((chain, .plain))
    lines.append((strings("overview.chainHint"), .hint))
    lines.append(("", .plain))
    lines.append((strings("overview.due"), .heading))
    let items = summary.dueItems
    if items.isEmpty { lines.append((strings("overview.nothingDue"), .hint)) }
    for item in items {
      let late = item.date < today && item.kind == .task
      let passed = item.date < today
      // A milestone in the past is worded by what it is: the work permit holds *since* that day.
      let text = passed && item.key == DueKey.workPermit
        ? "\(item.date)  " + strings("overview.permitSince", strings.date(item.date))
        : "\(item.date)  \(dueText(item))" + (passed ? "  (" + strings(late ? "overview.late" : "overview.passed") + ")" : "")
      lines.append((text, late ? .error : (passed ? .hint : .plain)))
    }
    lines.append(("", .plain))
    lines.append((strings("overview.procedure"), .heading))
    lines.append((strings("overview.status", strings.status(d.procedure.status)), .plain))
    if let applied = d.procedure.applicationDate {
      lines.append((strings("overview.applied", strings.date(applied)), .plain))
    }
    if let permit = d.procedure.workPermitDate {
      let how = d.procedure.workPermitDateOverridden ? strings("overview.permitSet") : strings("overview.permitDerived")
      lines.append((strings("overview.permit", strings.date(permit), how), .plain))
    }
    if let last = d.notes.last {
      lines.append(("", .plain))
      lines.append((strings("overview.lastNote", Timestamp.format(last.at).prefix(10).description, last.author), .heading))
      lines.append((last.text, .plain))
    }
    return lines
  }

  func intakeLines(_ d: CaseDocument) -> [(String, Style)] {
    var lines: [(String, Style)] = []
    var section = ""
    for field in CaseField.all {
      let s = CaseForm.sections.first { field.path.hasPrefix($0.prefix) }?.section ?? "person"
      if s != section {
        if !lines.isEmpty { lines.append(("", .plain)) }
        lines.append((strings("section.\(s)"), .heading))
        section = s
      }
      var value = field.value(in: d)
      switch field.kind {
      case .choice, .list: if !value.isEmpty || field.path == "procedure.status" {
        value = value.split(separator: ",").map { strings.choice(field.path, $0.trimmingCharacters(in: .whitespaces)) }.joined(separator: ", ")
        if value.isEmpty { value = strings.choice(field.path, "") }
      }
      default: break
      }
      if field.path == "procedure.workPermitDate", value.isEmpty, let derived = d.procedure.workPermitDate {
        value = strings("form.derivedPermit", derived.description)
      }
      let label = TextWidth.pad(strings("field.\(field.path)"), to: 26)
      lines.append((label + (value.isEmpty ? "—" : value), .plain))
    }
    lines.append(("", .plain))
    lines.append((strings("intake.editHint"), .hint))
    return lines
  }

  /// The tabs the signed-in user's role may see, in order.
  var visibleTabs: [CaseTab] { CaseTab.allCases.filter { sections.contains($0.section) } }

  func historyLines(_ file: CaseFileState) -> [(String, Style)] {
    let stored = file.stored
    let d = stored.document
    var lines: [(String, Style)] = [
      (strings("history.created", Timestamp.format(d.createdAt), d.createdBy), .plain),
      (strings("history.updated", Timestamp.format(d.updatedAt), d.updatedBy, String(d.revision)), .plain),
    ]
    if let from = stored.migratedFrom { lines.append((strings("case.migrated", String(from)), .hint)) }
    lines.append(("", .plain))
    lines.append((strings("history.journal"), .heading))
    guard let journal = file.journal else {
      lines.append((strings("history.loading"), .hint))
      return lines
    }
    if journal.isEmpty { lines.append((strings("history.none"), .hint)) }
    // Newest first: what a case worker looks for is what happened lately.
    for entry in journal.reversed() {
      lines.append((historyLine(entry), entry.action == .open ? .hint : .plain))
    }
    return lines
  }

  /// One journal entry as a line: when, who, what (field paths for a change, never values).
  func historyLine(_ e: JournalEntry) -> String {
    var what = strings("journal.\(e.action.rawValue)")
    if let paths = e.paths, !paths.isEmpty {
      let shown = paths.prefix(4).joined(separator: ", ")
      what += ": " + shown + (paths.count > 4 ? " " + strings("history.more", String(paths.count - 4)) : "")
    } else if let detail = e.detail {
      what += ": " + detail
    }
    switch e.state {
    case .failed: what += " — " + strings("journal.failed")
    case .intent: what += " — " + strings("journal.unconfirmed")
    default: break
    }
    return Timestamp.format(e.at) + "  " + TextWidth.pad(TextWidth.truncate(e.user, to: 14), to: 14) + "  " + what
  }

  func renderNotes(_ file: CaseFileState, into buffer: inout ScreenBuffer, top: Int, height: Int) {
    let notes = file.stored.document.notes
    if notes.isEmpty {
      buffer.put(strings("notes.empty"), row: top, column: 2, style: .hint)
      return
    }
    // Each note: a heading line then its wrapped text; the selected note is kept in view.
    let width = columns - 6
    var blocks: [[(String, Style)]] = []
    for (i, note) in notes.enumerated() {
      let selected = i == min(file.noteSelection, notes.count - 1)
      var head = "\(Timestamp.format(note.at).prefix(16).replacingOccurrences(of: "T", with: " "))  \(note.author)"
      if note.editedAt != nil { head += "  " + strings("note.editedShort") }
      var block: [(String, Style)] = [(head, selected ? .selected : .label)]
      block += wrap(note.text, width: width).map { ($0, Style.plain) }
      block.append(("", .plain))
      blocks.append(block)
    }
    let selection = min(file.noteSelection, blocks.count - 1)
    var start = selection
    var used = blocks[selection].count
    while start > 0, used + blocks[start - 1].count <= height {
      start -= 1
      used += blocks[start].count
    }
    var y = top
    for block in blocks[start...] {
      for (text, style) in block {
        guard y < top + height else { return }
        if style == .selected { buffer.fill(row: y, column: 2, width: width + 2, style: .selected) }
        buffer.put(text, row: y, column: 2, width: width + 2, style: style)
        y += 1
      }
    }
  }
}
