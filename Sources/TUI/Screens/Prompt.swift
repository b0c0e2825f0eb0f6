import TextCells
import Casework
import CaseStore

/// The bottom-line input: `/` search (as you type) or the `:` command line.
public struct Prompt: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// `origin` is the selected row when the search started; Esc goes back there.
    case search(origin: Int)
    case command
    /// Where to write a CV or share export.
    case exportPath(CaseID, ExportKind, Language)
    /// A trainer's note on a participant for a module.
    case groupNote(groupID: String, caseID: String, module: String)
    /// What the case worker did about the mentor's concerns.
    case concernHandled(CaseID)
    /// Words to find in the services guide.
    case serviceSearch
    /// A new goal of the plan in the person's words (empty: the kind names it).
    case goalTitle(PlanGoal.Kind)
  }

  public var kind: Kind
  public var editor = TextEditor()

  public init(kind: Kind) { self.kind = kind }
}

extension AppState {
  mutating func handlePrompt(_ key: Key) -> [Effect] {
    guard var p = prompt else { return [] }
    switch key {
    case .escape:
      if case .search(let origin) = p.kind {
        list.selection = origin
        keepSelectionVisible()
      }
      prompt = nil
      return []
    case .enter:
      prompt = nil
      switch p.kind {
      case .search:
        lastSearch = p.editor.text
        list.setSearch(SearchText.fold(lastSearch))
        if !lastSearch.isEmpty, list.findMatch(from: list.selection, forward: true) == nil {
          showError(strings("search.notFound", lastSearch))
        }
        return []
      case .command:
        return runCommand(p.editor.text)
      case .exportPath(let id, let kind, let language):
        let path = p.editor.text.trimmingCharacters(in: .whitespaces)
        if path.isEmpty {
          showError(strings("export.noPath"))
          return []
        }
        return [.export(id, kind, language: language, path: path)]
      case .groupNote(let groupID, let caseID, let module):
        return saveGroupNote(groupID: groupID, caseID: caseID, module: module, text: p.editor.text)
      case .concernHandled(let id):
        return handleConcerns(id, note: p.editor.text)
      case .goalTitle(let kind):
        let title = p.editor.text.trimmingCharacters(in: .whitespacesAndNewlines)
        openNewAction(kind, goalTitle: title)
        return []
      case .serviceSearch:
        services?.search = p.editor.text.trimmingCharacters(in: .whitespaces)
        services?.selection = 0
        if shownServices.isEmpty { showInfo(strings("services.noMatch")) }
        return []
      }
    case .backspace where p.editor.isEmpty:
      prompt = nil
      if case .search(let origin) = p.kind {
        list.selection = origin
        keepSelectionVisible()
      }
      return []
    default:
      p.editor.handle(key)
      if case .search(let origin) = p.kind {
        incrementalSearch(p.editor.text, origin: origin)
      }
      prompt = p
      return []
    }
  }

  /// Moves to the first match at or after where the search started, as the user types.
  mutating func incrementalSearch(_ text: String, origin: Int) {
    let folded = SearchText.fold(text)
    lastSearch = text
    list.setSearch(folded)
    guard !folded.isEmpty else {
      list.selection = origin
      keepSelectionVisible()
      return
    }
    if let row = list.findMatch(from: origin, forward: true) {
      list.selection = row
      keepSelectionVisible()
    }
  }

  // MARK: Commands

  /// Runs a `:` command; unknown commands get a message listing the valid ones.
  mutating func runCommand(_ line: String) -> [Effect] {
    let words = line.split(separator: " ", maxSplits: 1).map(String.init)
    guard let name = words.first?.lowercased() else { return [] }
    let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
    if isMentorMode, !["q", "quit", "q!", "help", "h"].contains(name) {
      showError(strings("mentees.only"))
      return []
    }
    switch name {
    case "q", "quit", "q!":
      if name == "q!" { quitNow() } else { requestQuit() }
    case "open", "o":
      do {
        let id = try CaseID(argument)
        form = nil
        noteEditor = nil
        return [.open(id)]
      } catch {
        showError(strings("command.badID", argument))
      }
    case "new":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      startNewCase()
    case "filter":
      return runFilterCommand(argument)
    case "sort":
      let parts = argument.split(separator: " ").map(String.init)
      guard let first = parts.first, let column = ListColumn(rawValue: first.lowercased()) else {
        showError(strings("command.badSort", ListColumn.allCases.map(\.rawValue).joined(separator: ", ")))
        return []
      }
      list.sort(by: column, ascending: parts.count < 2 || parts[1].lowercased() != "desc")
      keepSelectionVisible()
    case "help", "h":
      openHelp()
    case "reload":
      return [.reloadList]
    case "groups", "training":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      return openGroups()
    case "calendar", "agenda", "cal":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      return openCalendar(name == "agenda" ? .agenda : .month)
    case "report", "reports":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      calendar = nil
      return openReport()
    case "services", "guide":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      return openServices()
    case "jobs", "employers", "openings", "fairs":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      return openJobs(name == "jobs" ? .openings : JobsState.Tab(rawValue: name) ?? .openings)
    case "pairs", "mentoring", "mentors":
      guard !hasUnsavedEdits else {
        showError(strings("command.finishEditing"))
        return []
      }
      caseFile = nil
      let effects = openMentoring()
      if name == "mentors" { mentoring?.tab = .mentors }
      return effects
    default:
      showError(strings("command.unknown", name))
    }
    return []
  }

  mutating func runFilterCommand(_ argument: String) -> [Effect] {
    var f = list.filter
    for part in argument.split(separator: " ") {
      let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
      let key = pair[0].lowercased()
      let value = pair.count > 1 ? pair[1] : ""
      switch key {
      case "stage":
        guard let stage = ChainStage(rawValue: value.lowercased()) else {
          showError(strings("command.badStage", value, ChainStage.allCases.map(\.rawValue).joined(separator: ", ")))
          return []
        }
        f.stage = stage
      case "centre", "center": f.centre = value.isEmpty ? nil : value.replacingOccurrences(of: "_", with: " ")
      case "worker": f.worker = value.isEmpty ? nil : value
      case "mine": f.mine = true
      case "overdue": f.overdue = true
      case "closed": f.closed = true
      case "open": f.closed = false
      case "clear", "none": f = ListFilter()
      default:
        showError(strings("command.badFilter", key))
        return []
      }
    }
    if argument.isEmpty { f = ListFilter() }
    caseFile = nil
    applyFilter(f)
    return []
  }

  func renderPrompt(into buffer: inout ScreenBuffer) -> (row: Int, column: Int)? {
    guard let p = prompt else { return nil }
    let y = rows - 1
    buffer.fill(row: y, style: .plain)
    let lead: String
    switch p.kind {
    case .search: lead = "/"
    case .command: lead = ":"
    case .exportPath: lead = strings("export.pathPrompt")
    case .groupNote: lead = strings("group.notePrompt")
    case .concernHandled: lead = strings("mentoring.concernPrompt")
    case .serviceSearch: lead = strings("services.searchPrompt")
    case .goalTitle: lead = strings("plan.goalTitlePrompt")
    }
    buffer.put(lead, row: y, column: 0, style: .key)
    let leadWidth = TextWidth.width(of: lead)
    let text = p.editor.text
    let before = String(p.editor.lines[0][0..<p.editor.column])
    let room = columns - leadWidth - 1
    // Keep the cursor in view for long input.
    var shown = text
    var cursor = TextWidth.width(of: before)
    if cursor >= room {
      let skip = cursor - room + 1
      var dropped = 0
      var cut = Substring(text)
      while dropped < skip, let c = cut.first {
        dropped += TextWidth.width(of: c)
        cut = cut.dropFirst()
      }
      shown = String(cut)
      cursor -= dropped
    }
    buffer.put(shown, row: y, column: leadWidth, width: room, style: .plain)
    if case .search = p.kind, !text.isEmpty {
      let count = list.matchCount
      let info = strings("search.matches", strings.number(count))
      let w = TextWidth.width(of: info)
      if TextWidth.width(of: shown) + w + 4 < columns {
        buffer.put(info, row: y, column: columns - w - 1, style: count == 0 ? .error : .hint)
      }
    }
    return (y, leadWidth + cursor)
  }
}
