import CaseStore
import Casework
import TextCells

/// The calendar over every case the user sees: a month grid with the chosen day's entries, or
/// an agenda (overdue, the day, the rest of its week). Keys as in calcurse.
public struct CalendarState: Sendable {
  public enum Mode: String, Sendable { case month, agenda }

  public var mode: Mode
  /// The chosen day.
  public var cursor: LocalDate
  /// The chosen entry among those listed (agenda, or the day's list in the month view).
  public var selection = 0
  public var top = 0
  /// Only the user's own cases and groups.
  public var mine = false
  /// Month view: keys move in the day's list instead of the grid.
  public var focusList = false
  var agenda = Agenda(summaries: [], groups: [])
  /// The agenda's overdue tasks, worked out once per rebuild rather than per key and frame.
  var overdue: [AgendaEntry] = []
  /// False until the entries are worked out (once the groups are read).
  var built = false

  public init(mode: Mode, today: LocalDate) {
    self.mode = mode
    cursor = today
  }
}

/// A case's follow-up to log once the case has been read (from the calendar).
struct PendingFollowUp: Sendable, Equatable {
  var caseID: CaseID
  var hire: String
  var meeting: String
}

extension AppState {
  mutating func openCalendar(_ mode: CalendarState.Mode) -> [Effect] {
    closeScreens()
    calendar = CalendarState(mode: mode, today: today)
    rebuildCalendar()
    return [.loadRecords]
  }

  /// Recomputes the entries from the case list and the groups (after a load or a save).
  mutating func rebuildCalendar() {
    guard let c = calendar, records.loaded else { return }
    calendar!.agenda = Agenda(summaries: list.all, groups: records.groups.map(\.record), login: c.mine ? user : nil)
    calendar!.overdue = calendar!.agenda.overdue(today: today)
    calendar!.selection = min(c.selection, max(0, calendarEntries.count - 1))
    calendar!.built = true
  }

  var agendaText: AgendaText { AgendaText(strings: strings, cadence: content.followUp) }

  /// The rows of the agenda: the chosen day, the six days after it, then (on today) what is overdue.
  var agendaRows: [(heading: String?, entry: AgendaEntry?)] {
    guard let c = calendar else { return [] }
    var rows: [(String?, AgendaEntry?)] = []
    let day = c.agenda.between(c.cursor, c.cursor)
    rows.append((c.cursor == today ? strings("calendar.today", strings.date(today)) : "\(agendaText.weekday(c.cursor)) \(strings.date(c.cursor))", nil))
    if day.isEmpty { rows.append((strings("calendar.nothingThatDay"), nil)) }
    rows += day.map { (nil, $0) }
    // The week ahead: the six days after the chosen one (on a Sunday, the coming week).
    let rest = c.agenda.between(c.cursor.adding(days: 1), c.cursor.adding(days: 6))
    rows.append((strings("calendar.restOfWeek", strings.number(rest.count)), nil))
    rows += rest.map { (nil, $0) }
    if c.cursor == today {
      let overdue = c.overdue
      if !overdue.isEmpty {
        rows.append((strings("calendar.overdue", strings.number(overdue.count)), nil))
        rows += overdue.map { (nil, $0) }
      }
    }
    return rows
  }

  /// The entries keys act on: the agenda's, or the chosen day's in the month view.
  var calendarEntries: [AgendaEntry] {
    guard let c = calendar else { return [] }
    if c.mode == .agenda { return agendaRows.compactMap(\.entry) }
    return c.agenda.between(c.cursor, c.cursor)
  }

  var selectedCalendarEntry: AgendaEntry? {
    guard let c = calendar else { return nil }
    let entries = calendarEntries
    return entries.indices.contains(c.selection) ? entries[c.selection] : nil
  }

  mutating func handleCalendar(_ action: KeyAction) -> [Effect] {
    guard var c = calendar else { return [] }
    defer {
      if calendar != nil {
        calendar!.mode = c.mode
        calendar!.cursor = c.cursor
        calendar!.selection = c.selection
        calendar!.focusList = c.focusList
      }
    }
    func moveDay(_ days: Int) {
      c.cursor = c.cursor.adding(days: days)
      c.selection = 0
    }
    let entriesMove = c.mode == .agenda || c.focusList
    switch action {
    case .previousDay: moveDay(-1)
    case .nextDay: moveDay(1)
    case .down:
      if entriesMove { c.selection = min(c.selection + 1, max(0, calendarEntries.count - 1)) } else { moveDay(7) }
    case .up:
      if entriesMove { c.selection = max(0, c.selection - 1) } else { moveDay(-7) }
    case .nextMonth:
      c.cursor = c.cursor.adding(months: 1)
      c.selection = 0
    case .previousMonth:
      c.cursor = c.cursor.adding(months: -1)
      c.selection = 0
    case .today:
      c.cursor = today
      c.selection = 0
    case .switchView:
      c.mode = c.mode == .month ? .agenda : .month
      c.selection = 0
      c.focusList = false
    case .switchFocus:
      if c.mode == .month { c.focusList.toggle() }
    case .mine:
      calendar!.mine.toggle()
      rebuildCalendar()
      showInfo(strings(calendar!.mine ? "calendar.mineOn" : "calendar.mineOff"))
    case .open:
      guard let e = selectedCalendarEntry else {
        showInfo(strings("calendar.nothingSelected"))
        break
      }
      guard let id = e.caseID else {
        showInfo(strings("calendar.trainingDayInfo", e.name))
        break
      }
      // The tab the entry belongs to.
      pendingTab = e.hireID != nil ? .followUp
        : e.key.hasPrefix("internship") ? .jobs
        : e.key.hasPrefix("mentor") ? .mentoring
        : e.key == DueKey.rescreening ? .screening
        : e.key == DueKey.planAction || e.key == DueKey.planReview ? .plan
        : .overview
      if e.key == DueKey.planAction { pendingPlanAction = String(e.ref.prefix { $0 != "/" }) }
      return [.open(id)]
    case .logFollowUp:
      guard let e = selectedCalendarEntry, let id = e.caseID, let hire = e.hireID, let meeting = e.meetingKey else {
        showError(strings("calendar.notAMeeting"))
        break
      }
      pendingFollowUp = PendingFollowUp(caseID: id, hire: hire, meeting: meeting)
      return [.open(id)]
    case .back:
      if c.focusList {
        c.focusList = false
      } else {
        calendar = nil
      }
    case .reload:
      showInfo(strings("list.reread"))
      return [.reloadList, .loadRecords]
    case .command:
      prompt = Prompt(kind: .command)
    default: break
    }
    return []
  }

  // MARK: Render

  func renderCalendar(into buffer: inout ScreenBuffer) {
    guard let c = calendar else { return }
    let mine = c.mine ? "  · " + strings("calendar.mineLabel") : ""
    guard c.built else {
      buffer.put(strings("calendar.agendaTitle") + mine, row: 1, column: 1, width: columns - 2, style: .title)
      buffer.put(records.waiting(strings), row: 3, column: 1, width: columns - 2, style: records.failure == nil ? .hint : .error)
      return
    }
    if c.mode == .agenda {
      buffer.put(strings("calendar.agendaTitle") + mine, row: 1, column: 1, width: columns - 2, style: .title)
      renderAgenda(c, into: &buffer)
    } else {
      buffer.put("\(strings("monthFull.\(c.cursor.month)")) \(c.cursor.year)" + mine, row: 1, column: 1, width: columns - 2, style: .title)
      renderMonth(c, into: &buffer)
    }
  }

  /// The name column for a set of entries: 18 cells, less when the longest "what" needs the
  /// room (the meeting's kind stays whole; the name gives way, down to 8 cells).
  func nameWidth(_ entries: some Sequence<AgendaEntry>, room: Int) -> Int {
    let longest = entries.map { TextWidth.width(of: agendaText.title($0)) }.max() ?? 0
    return min(18, max(8, room - longest))
  }

  func entryLine(_ e: AgendaEntry, width: Int, withDate: Bool, nameWidth: Int = 18) -> String {
    let date = withDate ? "\(agendaText.weekday(e.date)) \(e.date)  " : ""
    let title = agendaText.title(e)
    let who = e.caseID.map { "\($0.rawValue)  \(TextWidth.pad(TextWidth.truncate(e.name, to: nameWidth), to: nameWidth))  " } ?? ""
    return TextWidth.truncate(date + who + title, to: width)
  }

  func entryStyle(_ e: AgendaEntry) -> Style {
    if e.isOverdue(today: today) { return .error }
    if e.key == DueKey.dropOutRisk { return .warning }
    return e.key == AgendaEntry.trainingDay ? .hint : .plain
  }

  func renderAgenda(_ c: CalendarState, into buffer: inout ScreenBuffer) {
    let rows = agendaRows
    let height = self.rows - 5
    var entryIndex = -1
    var selectedRow = 0
    for (i, row) in rows.enumerated() where row.entry != nil {
      entryIndex += 1
      if entryIndex == c.selection { selectedRow = i }
    }
    let top = max(0, min(selectedRow - height / 2, rows.count - height))
    entryIndex = rows.prefix(top).filter { $0.entry != nil }.count - 1
    // The weekday and date, the id and the spaces between come first.
    let shownEntries = rows.dropFirst(top).prefix(height).compactMap(\.entry)
    let dates = shownEntries.map { TextWidth.width(of: "\(agendaText.weekday($0.date)) \($0.date)  ") }.max() ?? 16
    let names = nameWidth(shownEntries, room: columns - 4 - dates - 13 - 2)
    for (i, row) in rows.dropFirst(top).prefix(height).enumerated() {
      let y = 3 + i
      if let heading = row.heading {
        buffer.put(heading, row: y, column: 1, width: columns - 2, style: row.entry == nil && heading == strings("calendar.nothingThatDay") ? .hint : .heading)
        continue
      }
      guard let e = row.entry else { continue }
      entryIndex += 1
      let selected = entryIndex == c.selection
      let text = entryLine(e, width: columns - 4, withDate: true, nameWidth: names)
      buffer.put(selected ? "▸" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(TextWidth.pad(text, to: columns - 4), row: y, column: 3, width: columns - 4, style: selected ? .selected : entryStyle(e))
    }
  }

  func renderMonth(_ c: CalendarState, into buffer: inout ScreenBuffer) {
    let first = LocalDate(year: c.cursor.year, month: c.cursor.month, day: 1)!
    let counts = c.agenda.counts(year: first.year, month: first.month)
    let overdueDays = Set(c.overdue.filter { $0.date.month == first.month && $0.date.year == first.year }.map(\.date.day))
    let left = 1
    for d in 1...7 {
      buffer.put(TextWidth.padLeft(strings("weekday.\(d)"), to: 3), row: 3, column: left + (d - 1) * 5, style: .hint)
    }
    var day = first.startOfWeek
    for week in 0..<6 {
      for col in 0..<7 {
        let inMonth = day.month == first.month
        if inMonth {
          let x = left + col * 5
          let chosen = day == c.cursor
          let style: Style = chosen ? (c.focusList ? .chip : .selected) : day == today ? .key : .plain
          buffer.put(TextWidth.padLeft(String(day.day), to: 3), row: 4 + week, column: x, style: style)
          let mark = overdueDays.contains(day.day) ? "!" : (counts[day.day] ?? 0) > 0 ? "•" : " "
          buffer.put(mark, row: 4 + week, column: x + 3, style: overdueDays.contains(day.day) ? .error : .hint)
        }
        day = day.adding(days: 1)
      }
    }
    let overdue = c.overdue.count
    buffer.put(strings("calendar.monthOverdue", strings.number(overdue)), row: 11, column: left, width: 34, style: overdue > 0 ? .error : .hint)
    buffer.put(strings("calendar.legend"), row: 12, column: left, width: 34, style: .hint)
    // The chosen day's entries.
    let x = 37
    let width = columns - x - 1
    let entries = c.agenda.between(c.cursor, c.cursor)
    buffer.put("\(agendaText.weekday(c.cursor)) \(strings.date(c.cursor)) (\(strings.number(entries.count)))", row: 3, column: x, width: width, style: .heading)
    if entries.isEmpty { buffer.put(strings("calendar.nothingThatDay"), row: 4, column: x, width: width, style: .hint) }
    let names = min(16, nameWidth(entries.prefix(rows - 8), room: width - 2))
    for (i, e) in entries.prefix(rows - 8).enumerated() {
      let selected = c.focusList && i == c.selection
      let who = e.caseID == nil ? "" : "\(TextWidth.pad(TextWidth.truncate(e.name, to: names), to: names))  "
      let text = TextWidth.truncate(who + agendaText.title(e), to: width)
      buffer.put(TextWidth.pad(text, to: width), row: 4 + i, column: x, width: width, style: selected ? .selected : entryStyle(e))
    }
  }
}
