import TextCells
import Casework
import CaseStore

// The home screen: every open case, sortable, filterable, searchable as you type.

extension AppState {
  /// Rows of cases that fit between the column header and the two bottom lines.
  var listPageSize: Int { max(1, rows - 4) }

  mutating func handleList(_ action: KeyAction) -> [Effect] {
    let count = list.visible.count
    switch action {
    case .down: moveSelection(by: 1)
    case .up: moveSelection(by: -1)
    case .pageDown: moveSelection(by: listPageSize)
    case .pageUp: moveSelection(by: -listPageSize)
    case .halfDown: moveSelection(by: listPageSize / 2)
    case .halfUp: moveSelection(by: -listPageSize / 2)
    case .first: moveSelection(by: -count)
    case .last: moveSelection(by: count)
    case .open:
      if let selected = list.selected { return [.open(selected.id)] }
    case .search:
      prompt = Prompt(kind: .search(origin: list.selection))
    case .searchNext: searchAgain(forward: true)
    case .searchPrevious: searchAgain(forward: false)
    case .command:
      prompt = Prompt(kind: .command)
    case .newCase:
      guard mayEditCases else {
        showError(strings("role.noNewCase"))
        break
      }
      startNewCase()
    case .sort:
      overlay = .picker(sortPicker())
    case .reverse:
      list.sort(by: list.sortColumn, ascending: !list.ascending)
      keepSelectionVisible()
    case .filterMenu:
      overlay = .picker(filterMenu())
    case .filterMine:
      var f = list.filter
      f.mine.toggle()
      applyFilter(f)
    case .filterOverdue:
      var f = list.filter
      f.overdue.toggle()
      applyFilter(f)
    case .filterClosed:
      var f = list.filter
      f.closed.toggle()
      applyFilter(f)
    case .filterClear:
      applyFilter(ListFilter())
    case .groups:
      return openGroups()
    case .mentoring:
      return openMentoring()
    case .calendar:
      return openCalendar(.month)
    case .agenda:
      return openCalendar(.agenda)
    case .report:
      return openReport()
    case .jobs:
      return openJobs()
    case .services:
      return openServices()
    case .reload:
      showInfo(strings("list.reread"))
      return [.reloadList, .loadRecords]
    case .quit:
      requestQuit()
    case .clearSearch:
      lastSearch = ""
      list.setSearch("")
    default:
      break
    }
    return []
  }

  mutating func moveSelection(by delta: Int) {
    guard !list.visible.isEmpty else { return }
    list.selection = max(0, min(list.visible.count - 1, list.selection + delta))
    keepSelectionVisible()
  }

  mutating func keepSelectionVisible() {
    let page = listPageSize
    if list.selection < list.top { list.top = list.selection }
    if list.selection >= list.top + page { list.top = list.selection - page + 1 }
    list.top = max(0, min(list.top, max(0, list.visible.count - page)))
  }

  mutating func applyFilter(_ filter: ListFilter) {
    list.setFilter(filter)
    keepSelectionVisible()
    showInfo(strings("list.shown", strings.number(list.visible.count)))
  }

  mutating func searchAgain(forward: Bool) {
    guard !lastSearch.isEmpty else {
      showInfo(strings("search.none"))
      return
    }
    list.setSearch(SearchText.fold(lastSearch))
    let start = list.selection + (forward ? 1 : -1)
    if let row = list.findMatch(from: start, forward: forward) {
      if forward ? row <= list.selection : row >= list.selection {
        showInfo(strings(forward ? "search.wrappedTop" : "search.wrappedBottom"))
      }
      list.selection = row
      keepSelectionVisible()
    } else {
      showError(strings("search.notFound", lastSearch))
    }
  }

  mutating func startNewCase() {
    form = CaseForm(creatingOn: today, worker: user, vocabulary: vocabulary)
  }

  func sortPicker() -> Picker {
    let options = ListColumn.allCases.map {
      Picker.Option(value: $0.rawValue, label: strings("column.\($0.rawValue)"))
    }
    var picker = Picker(title: strings("sort.title"), options: options, target: .sort)
    picker.cursor = ListColumn.allCases.firstIndex(of: list.sortColumn) ?? 0
    return picker
  }

  func filterMenu() -> Picker {
    let f = list.filter
    func mark(_ on: Bool) -> String { on ? "[x] " : "[ ] " }
    let options: [Picker.Option] = [
      .init(value: "stage", label: strings("filter.stage") + (f.stage.map { ": " + strings.stage($0) } ?? "…")),
      .init(value: "centre", label: strings("filter.centre") + (f.centre.map { ": " + $0 } ?? "…")),
      .init(value: "worker", label: strings("filter.worker") + (f.worker.map { ": " + $0 } ?? "…")),
      .init(value: "mine", label: mark(f.mine) + strings("filter.mine")),
      .init(value: "overdue", label: mark(f.overdue) + strings("filter.overdue")),
      .init(value: "closed", label: mark(f.closed) + strings("filter.closed")),
      .init(value: "clear", label: strings("filter.clear")),
    ]
    return Picker(title: strings("filter.title"), options: options, target: .filterMenu)
  }

  // MARK: Render

  func renderList(into buffer: inout ScreenBuffer) {
    let layout = listLayout()
    // Column header.
    var x = 1
    buffer.fill(row: 1, style: .heading)
    for (column, w) in layout {
      var title = strings("column.\(column.rawValue)")
      if column == list.sortColumn { title += list.ascending ? " ▲" : " ▼" }
      buffer.put(title, row: 1, column: x, width: w, style: .heading)
      x += w + 1
    }
    let page = listPageSize
    if list.visible.isEmpty {
      // A trainer or mentor sees only some cases: an empty list says why, not "add one".
      let key =
        !list.all.isEmpty ? "list.emptyFilter"
        : list.readingFiles ? "list.emptyReading" : sections.contains(.status) ? "list.emptyStore" : "list.emptyRole"
      for (i, line) in wrap(strings(key), width: columns - 4).enumerated() {
        buffer.put(line, row: 3 + i, column: 2, style: .hint)
      }
      return
    }
    for i in 0..<page {
      let row = list.top + i
      guard row < list.visible.count else { break }
      let y = 2 + i
      let s = list.summary(atRow: row)
      let isSelected = row == list.selection
      let base: Style = isSelected ? .selected : .plain
      if isSelected { buffer.fill(row: y, style: base) }
      var x = 1
      for (column, w) in layout {
        var style = base
        var text: String
        switch column {
        case .id: text = s.id.rawValue
        case .name:
          text = s.displayName
          if !lastSearch.isEmpty, list.isMatch(atRow: row) {
            style.underline = true
            style.bold = true
          }
        case .centre: text = s.centre
        case .stages:
          text = ChainStage.allCases.map { s.stages.contains($0) ? strings.stageShort($0) : "··" }
            .joined(separator: " ")
        case .due:
          if let closed = s.closedOn {
            text = strings("list.closedOn", closed.description)
            style.dim = !isSelected
          } else if let due = list.nextDue(atRow: row) {
            text = due.date.description
            if list.isOverdue(atRow: row) {
              style = isSelected ? Style.error.selectedVariant : .error
            }
          } else {
            text = "—"
          }
        case .worker: text = s.caseWorker
        }
        buffer.put(TextWidth.truncate(text, to: w), row: y, column: x, width: w, style: style)
        x += w + 1
      }
    }
    // Scroll position on the right edge (a column of its own).
    let width = columns
    if list.visible.count > page {
      let thumb = (list.top * (page - 1)) / max(1, list.visible.count - page)
      for i in 0..<page {
        buffer.put(i == thumb ? "█" : "│", row: 2 + i, column: width - 1, style: .hint)
      }
    }
  }

  /// Column widths for the window: fixed id, stages and date; the rest shared by name (half),
  /// centre and worker, keeping one column free for the scroll bar.
  func listLayout() -> [(ListColumn, Int)] {
    let fixed = 11 + 11 + 10 + 6
    let rest = max(30, columns - 2 - fixed)
    let worker = max(10, min(16, rest / 5))
    let centre = max(10, min(24, (rest * 3) / 10))
    let name = rest - worker - centre
    return [(.id, 11), (.name, name), (.centre, centre), (.stages, 11), (.due, 10), (.worker, worker)]
  }

  func listStatusText() -> String {
    var parts = [strings("list.count", strings.number(list.visible.count), strings.number(list.all.count))]
    if !list.damaged.isEmpty { parts.append(strings("list.damaged", strings.number(list.damaged.count))) }
    if list.readingFiles {
      parts.append(strings("list.reading", strings.number(list.filesRead)))
    } else if list.checkingFiles {
      parts.append(strings(list.fetchingRest ? "list.fetching" : "list.checking"))
    }
    let f = list.filter
    var filters: [String] = []
    if let stage = f.stage { filters.append(strings.stage(stage)) }
    if let centre = f.centre { filters.append(centre) }
    if let worker = f.worker { filters.append(worker) }
    if f.mine { filters.append(strings("filter.mine")) }
    if f.overdue { filters.append(strings("filter.overdue")) }
    if f.closed { filters.append(strings("filter.closed")) }
    if !filters.isEmpty { parts.append(strings("list.filterSummary", filters.joined(separator: ", "))) }
    return parts.joined(separator: " · ")
  }
}
