import TextCells
import Casework
import CaseStore

/// A box drawn over the screen that takes the keys until it closes.
public enum Overlay: Sendable {
  case help(HelpState)
  case picker(Picker)
  case confirm(ConfirmDialog)
  case conflict(ConflictDialog)
  case differences(DifferencesView)
  /// A read-only page of text: a skills report, a progress view, what changed.
  case text(TextOverlay)
}

/// A yes/no question.
public struct ConfirmDialog: Sendable {
  public enum Action: Sendable {
    case quit, discardForm, discardNote, removeEntry, discardAssessment, withdrawConsent
    case discardDraft, discardScores, removeParticipant
    /// Log a follow-up held before the meeting's planned day (asked first).
    case logEarly
    /// Mark a module given on a day that is not one of the group's.
    case deliverOffDay
    /// Take the selected registration off the open fair.
    case unregister
  }
  public var question: String
  public var action: Action
}

/// A scrollable page of styled lines.
public struct TextOverlay: Sendable {
  public struct Line: Sendable, Equatable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) {
      self.text = text
      self.style = style
    }
  }

  public var title: String
  public var lines: [Line]
  public var top = 0

  public init(title: String, lines: [Line]) {
    self.title = title
    self.lines = lines
  }

  /// The lines wrapped to `width` cells: a line too long goes on under itself, indented, rather
  /// than being cut.
  func wrapped(width: Int) -> [Line] {
    lines.flatMap { line -> [Line] in
      // Padding at the end of a table row is not text to wrap.
      var line = line
      while line.text.last == " " { line.text.removeLast() }
      guard TextWidth.width(of: line.text) > width else { return [line] }
      let indent = String(repeating: " ", count: min(8, line.text.prefix { $0 == " " }.count + 2))
      let first = wrap(line.text, width: width)
      guard let head = first.first else { return [line] }
      let rest = wrap(first.dropFirst().joined(separator: " "), width: width - indent.count)
      return [Line(String(line.text.prefix { $0 == " " }) + head, line.style)] + rest.map { Line(indent + $0, line.style) }
    }
  }
}

/// Shown when a save finds that someone else saved the case first.
public struct ConflictDialog: Sendable {
  public var id: CaseID
  public var message: String
}

/// Field by field: my unsaved value next to the stored one.
public struct DifferencesView: Sendable {
  public struct Row: Sendable, Equatable {
    public var label: String
    public var mine: String
    public var stored: String
  }
  public var title: String
  public var rows: [Row]
  public var top = 0
}

/// A list to choose one (or, with `multiple`, several) values from.
public struct Picker: Sendable {
  public struct Option: Sendable, Equatable {
    public var value: String
    public var label: String
    /// Other words that find it when typing to narrow the list (a profile's other names).
    public var keywords: [String] = []

    public init(value: String, label: String, keywords: [String] = []) {
      self.value = value
      self.label = label
      self.keywords = keywords
    }
  }
  public enum Target: Sendable, Equatable {
    case sort, filterMenu, filterStage, filterCentre, filterWorker
    case formField(Int)
    /// Adds the chosen value to the end of a comma-separated field (ranked lists).
    case formFieldAppend(Int)
    /// Screening tab actions that pick first (a sector, a profile, an assessment, a format).
    case screening(ScreeningPick)
    /// A field of the draft form.
    case draftField(Int)
    /// A case to add to the open training group.
    case groupAddParticipant
    /// A case to register for the open job fair.
    case fairRegister
    /// The goal a new action of the plan goes under.
    case planGoal
    /// A service of the guide to refer the selected action to.
    case planService
  }
  public var title: String
  public var options: [Option]
  public var target: Target
  public var cursor = 0
  public var multiple = false
  public var chosen: Set<String> = []
  /// Typed text narrowing a long list (more than `filterThreshold` options).
  public var filter = ""

  static let filterThreshold = 12

  /// Lists searched by words rather than read (the services guide) filter as you type however
  /// short they are.
  public var searchable = false

  /// Long lists filter as you type; short ones jump to the first letter.
  var filters: Bool { searchable || options.count > Self.filterThreshold }

  /// The digit of each option (by value) in a numbered list: digits choose there.
  var digits: [String: Character] {
    guard !filters else { return [:] }
    return Dictionary(FieldInput.numbered(options.map(\.value)).map { ($0.value, $0.digit) }, uniquingKeysWith: { a, _ in a })
  }

  /// Indices of the options shown: all, or those containing the filter (any case, any accents).
  var visible: [Int] {
    guard !filter.isEmpty else { return Array(options.indices) }
    let folded = SearchText.fold(filter)
    // The label in the interface language, or the value (catalog ids are English).
    return options.indices.filter {
      SearchText.fold(options[$0].label).contains(folded) || SearchText.fold(options[$0].value).contains(folded)
        || options[$0].keywords.contains { SearchText.fold($0).contains(folded) }
    }
  }

  mutating func step(_ delta: Int) {
    let shown = visible
    guard !shown.isEmpty else { return }
    let at = shown.firstIndex(of: cursor) ?? 0
    cursor = shown[max(0, min(shown.count - 1, at + delta))]
  }

  public init(title: String, options: [Option], target: Target, multiple: Bool = false) {
    self.title = title
    self.options = options
    self.target = target
    self.multiple = multiple
  }
}

extension AppState {
  mutating func handleOverlay(_ key: Key) -> [Effect] {
    guard let current = overlay else { return [] }
    switch current {
    case .help(var help):
      if help.handle(key) { overlay = .help(help) } else { overlay = nil }
    case .picker(var picker):
      return handlePicker(&picker, key)
    case .confirm(let dialog):
      switch key {
      case .character("y"), .character("j"), .character("Y"), .character("J"):
        overlay = nil
        switch dialog.action {
        case .quit: quitNow()
        case .discardForm:
          form = nil
          showInfo(strings("form.discarded"))
        case .discardNote:
          noteEditor = nil
          showInfo(strings("note.discarded"))
        case .discardAssessment:
          assessment = nil
          showInfo(strings("assessment.discarded"))
        case .withdrawConsent:
          return withdrawLastConsent()
        case .discardDraft:
          draft = nil
          showInfo(strings("form.discarded"))
        case .deliverOffDay:
          deliveryConfirmed = true
          return handleGroups(.delivered)
        case .logEarly:
          guard var session = draft else { return [] }
          session.earlyConfirmed = true
          draft = session
          let effects = saveDraft(&session)
          if draft != nil { draft = session }
          return effects
        case .discardScores:
          scoreSheet = nil
          showInfo(strings("form.discarded"))
        case .removeParticipant:
          return removeSelectedParticipant()
        case .unregister:
          return unregisterSelected()
        case .removeEntry:
          if var f = form {
            changeEntries(&f, add: false)
            form = f
          }
        }
      case .character("n"), .character("N"), .escape:
        overlay = nil
      default: break
      }
    case .conflict(let dialog):
      switch key {
      case .character("r"), .character("R"):
        overlay = nil
        return [.reload(dialog.id, purpose: .reapply)]
      case .character("d"), .character("D"):
        overlay = nil
        return [.reload(dialog.id, purpose: .differences)]
      case .escape, .character("c"):
        overlay = nil
        showInfo(strings("conflict.keptEditing"))
      default: break
      }
    case .differences(var view):
      switch key {
      case .down, .character("j"): view.top = min(view.top + 1, max(0, view.rows.count - 1))
      case .up, .character("k"): view.top = max(0, view.top - 1)
      case .character("r"), .character("R"):
        overlay = nil
        if let id = caseFile?.stored.id ?? form?.base?.id {
          return [.reload(id, purpose: .reapply)]
        }
        return []
      case .escape, .character("q"):
        overlay = nil
        return []
      default: break
      }
      if overlay != nil { overlay = .differences(view) }
    case .text(var view):
      let count = view.wrapped(width: columns - 8).count
      switch key {
      case .down, .character("j"): view.top = min(view.top + 1, max(0, count - 1))
      case .up, .character("k"): view.top = max(0, view.top - 1)
      case .pageDown, .character(" "): view.top = min(view.top + 10, max(0, count - 1))
      case .pageUp: view.top = max(0, view.top - 10)
      case .escape, .character("q"), .enter:
        overlay = nil
        return []
      default: break
      }
      overlay = .text(view)
    }
    return []
  }

  private mutating func handlePicker(_ picker: inout Picker, _ key: Key) -> [Effect] {
    let typing = picker.filters
    switch key {
    case .down, .tab: picker.step(1)
    case .up, .backTab: picker.step(-1)
    case .character("j") where !typing: picker.step(1)
    case .character("k") where !typing: picker.step(-1)
    case .home: picker.cursor = picker.visible.first ?? 0
    case .end: picker.cursor = picker.visible.last ?? 0
    case .character("g") where !typing: picker.cursor = picker.visible.first ?? 0
    case .character("G") where !typing: picker.cursor = picker.visible.last ?? 0
    case .escape:
      // Esc cancels, as the footer says, with or without typed words (Backspace clears them).
      overlay = nil
      return []
    case .backspace where typing:
      picker.filter = String(picker.filter.dropLast())
      if !picker.visible.contains(picker.cursor) { picker.cursor = picker.visible.first ?? 0 }
    case .character(" ") where picker.multiple:
      let value = picker.options[picker.cursor].value
      if picker.chosen.contains(value) { picker.chosen.remove(value) } else { picker.chosen.insert(value) }
    case .character(let c) where c.isNumber && !typing:
      // A digit picks the option with that number: chooses it (one answer) or ticks it (several).
      guard let value = picker.digits.first(where: { $0.value == c })?.key,
        let i = picker.options.firstIndex(where: { $0.value == value })
      else { break }
      picker.cursor = i
      if picker.multiple {
        if picker.chosen.contains(value) { picker.chosen.remove(value) } else { picker.chosen.insert(value) }
      } else {
        overlay = nil
        return choose(picker)
      }
    case .enter:
      guard picker.visible.contains(picker.cursor) else { break }
      overlay = nil
      return choose(picker)
    case .character(let c) where typing:
      picker.filter.append(c)
      if !picker.visible.contains(picker.cursor) { picker.cursor = picker.visible.first ?? picker.cursor }
    case .character(let c):
      // Jump to the next option starting with the typed letter.
      let lower = String(c).lowercased()
      let n = picker.options.count
      for step in 1...max(1, n) {
        let i = (picker.cursor + step) % n
        if picker.options[i].label.lowercased().hasPrefix(lower) {
          picker.cursor = i
          break
        }
      }
    default: break
    }
    overlay = .picker(picker)
    return []
  }

  private mutating func choose(_ picker: Picker) -> [Effect] {
    guard picker.options.indices.contains(picker.cursor) else { return [] }
    let value = picker.options[picker.cursor].value
    var f = list.filter
    switch picker.target {
    case .sort:
      if let column = ListColumn(rawValue: value) {
        list.sort(by: column, ascending: column == list.sortColumn ? !list.ascending : true)
        keepSelectionVisible()
      }
    case .filterMenu:
      switch value {
      case "stage":
        var p = Picker(
          title: strings("filter.stage"),
          options: [Picker.Option(value: "", label: strings("filter.any"))]
            + ChainStage.allCases.map { .init(value: $0.rawValue, label: strings.stage($0)) },
          target: .filterStage)
        p.cursor = f.stage.map { ChainStage.allCases.firstIndex(of: $0)! + 1 } ?? 0
        overlay = .picker(p)
      case "centre", "worker":
        let column: ListColumn = value == "centre" ? .centre : .worker
        let p = Picker(
          title: strings("filter.\(value)"),
          options: [Picker.Option(value: "", label: strings("filter.any"))]
            + list.values(of: column).map { .init(value: $0, label: $0) },
          target: value == "centre" ? .filterCentre : .filterWorker)
        overlay = .picker(p)
      case "mine": f.mine.toggle()
      case "overdue": f.overdue.toggle()
      case "closed": f.closed.toggle()
      default: f = ListFilter()
      }
      if overlay == nil { applyFilter(f) }
    case .filterStage:
      f.stage = ChainStage(rawValue: value)
      applyFilter(f)
    case .filterCentre:
      f.centre = value.isEmpty ? nil : value
      applyFilter(f)
    case .filterWorker:
      f.worker = value.isEmpty ? nil : value
      applyFilter(f)
    case .formField(let index):
      let text = picker.multiple
        ? picker.options.map(\.value).filter(picker.chosen.contains).joined(separator: ", ")
        : value
      let today = self.today
      let options = form?.fields[index].options ?? .plain
      let shown = vocabulary.present(text, options)
      form?.setValue(shown, at: index)
      form?.validateField(index, today: today)
      // A job profile from the catalog fills in its sector when that is still empty.
      if var f = form, f.fields[index].options == .occupation, let profile = content.skills.profile(text),
        let sector = f.fields.firstIndex(where: { $0.section == f.fields[index].section && $0.options == .sector }),
        f.fields[sector].editor.isEmpty
      {
        f.setValue(profile.sector, at: sector)
        form = f
      }
    case .formFieldAppend(let index):
      guard let f = form else { return [] }
      let options = f.fields[index].options
      var values = FormField<CaseDocument>.splitList(vocabulary.resolve(f.fields[index].editor.text, options))
      // Most wanted first: a profile already in the list keeps its place.
      if values.contains(value) {
        showInfo(strings("form.alreadyListed", optionLabel(options, path: f.fields[index].path, value)))
        return []
      }
      values.append(value)
      let today = self.today
      let shown = vocabulary.present(values.joined(separator: ", "), options)
      form?.setValue(shown, at: index)
      form?.validateField(index, today: today)
      // The profile's sector joins the sectors when it is not there yet.
      if var f = form, let profile = content.skills.profile(value),
        let sectors = f.fields.firstIndex(where: { $0.section == f.fields[index].section && $0.options == .sector })
      {
        var chosen = f.fields[sectors].editor.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
          .filter { !$0.isEmpty }
        if !chosen.contains(profile.sector) {
          chosen.append(profile.sector)
          f.setValue(chosen.joined(separator: ", "), at: sectors)
          form = f
        }
      }
    case .screening(let pick):
      chooseInScreening(pick, value: value)
    case .draftField(let index):
      pickDraft(picker, index: index)
    case .groupAddParticipant:
      return addParticipant(value)
    case .fairRegister:
      registerPicked(value)
    case .planGoal:
      planGoalPicked(value)
    case .planService:
      return planServicePicked(value)
    }
    return []
  }

  // MARK: Render

  func renderOverlay(into buffer: inout ScreenBuffer) {
    guard let overlay else { return }
    switch overlay {
    case .help(let help):
      help.render(into: &buffer, strings: strings)
    case .picker(let picker):
      let shown = picker.visible
      let filterRow = picker.filters ? 1 : 0
      let numbered = !picker.digits.isEmpty
      let hint = strings(
        picker.multiple
          ? (numbered ? "picker.hintMultipleNumbered" : "picker.hintMultiple")
          : (picker.filters ? "picker.hintFilter" : (numbered ? "picker.hintNumbered" : "picker.hint")))
      let widest = max(
        (picker.options.map { TextWidth.width(of: $0.label) }.max() ?? 0) + 12, TextWidth.width(of: picker.title) + 8,
        TextWidth.width(of: hint) + 6)
      let width = min(columns - 4, max(30, widest))
      let height = min(rows - 4, max(shown.count, 1) + 4 + filterRow)
      let top = (rows - height) / 2
      let left = (columns - width) / 2
      buffer.box(row: top, column: left, height: height, width: width, title: picker.title)
      if picker.filters {
        buffer.put(strings("picker.filter", picker.filter), row: top + 1, column: left + 2, width: width - 4, style: .key)
      }
      let room = height - 4 - filterRow
      let at = shown.firstIndex(of: picker.cursor) ?? 0
      let first = max(0, min(at - room + 1, shown.count - room))
      if shown.isEmpty {
        buffer.put(strings("picker.noMatch"), row: top + 1 + filterRow, column: left + 2, width: width - 4, style: .hint)
      }
      let digits = picker.digits
      for (i, index) in shown.dropFirst(first).prefix(room).enumerated() {
        let option = picker.options[index]
        var mark = picker.multiple ? (picker.chosen.contains(option.value) ? "[x] " : "[ ] ") : ""
        if !digits.isEmpty { mark = (digits[option.value].map { "\($0) " } ?? "  ") + mark }
        let style: Style = index == picker.cursor ? .selected : .plain
        let y = top + 1 + filterRow + i
        buffer.fill(row: y, column: left + 1, width: width - 2, style: style)
        buffer.put(mark + option.label, row: y, column: left + 2, width: width - 4, style: style)
      }
      buffer.put(hint, row: top + height - 2, column: left + 2, width: width - 4, style: .hint)
    case .confirm(let dialog):
      dialogBox(into: &buffer, title: strings("confirm.title"), text: dialog.question, hint: strings("confirm.hint"))
    case .conflict(let dialog):
      dialogBox(into: &buffer, title: strings("conflict.title"), text: dialog.message, hint: strings("conflict.hint"))
    case .differences(let view):
      let width = columns - 4
      let height = rows - 4
      buffer.box(row: 2, column: 2, height: height, width: width, title: view.title)
      let labelWidth = 20
      let valueWidth = (width - labelWidth - 6) / 2
      buffer.put(strings("diff.field"), row: 3, column: 4, width: labelWidth, style: .heading)
      buffer.put(strings("diff.mine"), row: 3, column: 5 + labelWidth, width: valueWidth, style: .heading)
      buffer.put(strings("diff.stored"), row: 3, column: 6 + labelWidth + valueWidth, width: valueWidth, style: .heading)
      if view.rows.isEmpty {
        buffer.put(strings("diff.none"), row: 5, column: 4, width: width - 4, style: .hint)
      }
      for (i, r) in view.rows.dropFirst(view.top).prefix(height - 5).enumerated() {
        buffer.put(r.label, row: 4 + i, column: 4, width: labelWidth, style: .label)
        buffer.put(r.mine.isEmpty ? "—" : r.mine, row: 4 + i, column: 5 + labelWidth, width: valueWidth, style: .success)
        buffer.put(r.stored.isEmpty ? "—" : r.stored, row: 4 + i, column: 6 + labelWidth + valueWidth, width: valueWidth, style: .warning)
      }
      buffer.put(strings("diff.hint"), row: 2 + height - 2, column: 4, width: width - 4, style: .hint)
    case .text(let view):
      let width = columns - 4
      let height = rows - 4
      buffer.box(row: 2, column: 2, height: height, width: width, title: view.title)
      let visible = height - 4
      let lines = view.wrapped(width: width - 4)
      let top = min(view.top, max(0, lines.count - visible))
      for (i, line) in lines.dropFirst(top).prefix(visible).enumerated() {
        buffer.put(line.text, row: 4 + i, column: 4, width: width - 4, style: line.style)
      }
      let more = lines.count > visible ? "  (\(top + 1)–\(min(lines.count, top + visible))/\(lines.count))" : ""
      buffer.put(strings("text.hint") + more, row: 2 + height - 2, column: 4, width: width - 4, style: .hint)
    }
  }

  func dialogBox(into buffer: inout ScreenBuffer, title: String, text: String, hint: String) {
    let width = min(columns - 4, 70)
    let lines = wrap(text, width: width - 4)
    let height = lines.count + 5
    let top = (rows - height) / 2
    let left = (columns - width) / 2
    buffer.box(row: top, column: left, height: height, width: width, title: title, style: .dialog)
    for (i, line) in lines.enumerated() {
      buffer.put(line, row: top + 2 + i, column: left + 2, width: width - 4)
    }
    buffer.put(hint, row: top + height - 2, column: left + 2, width: width - 4, style: .key)
  }
}

/// Splits text into lines of at most `width` cells, at spaces where possible.
func wrap(_ text: String, width: Int) -> [String] {
  var editor = TextEditor(text, multiline: true)
  _ = editor.handle(.home)
  return editor.visualRows(width: width + 1).map { row in
    String(editor.lines[row.line][row.range]).trimmingCharacters(in: .whitespaces)
  }
}
