import CaseStore
import Casework
import TextCells

/// What a mentor sees: their own mentees, as `MenteeView`s — nothing else of the case files
/// reaches this screen.
public struct MentorDesk: Sendable {
  public var mentees: [MenteeView] = []
  /// Mentees whose case file could not be read, and damaged files not named to a mentor.
  public var unreadable: [CaseID] = []
  public var damagedElsewhere = 0
  public var loaded = false
  public var selection = 0
  /// One mentee shown in full.
  public var detail = false
  public var scroll = 0

  public var selected: MenteeView? { mentees.indices.contains(selection) ? mentees[selection] : nil }
}

extension AppState {
  /// Puts the app in mentor mode: the mentee list is the only screen.
  public mutating func enterMentorMode() {
    mentorDesk = MentorDesk()
  }

  public var isMentorMode: Bool { mentorDesk != nil }

  mutating func handleMentorDesk(_ action: KeyAction) -> [Effect] {
    guard var desk = mentorDesk else { return [] }
    defer { mentorDesk = desk }
    switch action {
    case .down:
      if desk.detail { desk.scroll += 1 } else { desk.selection = min(desk.selection + 1, max(0, desk.mentees.count - 1)) }
    case .up:
      if desk.detail { desk.scroll = max(0, desk.scroll - 1) } else { desk.selection = max(0, desk.selection - 1) }
    case .open:
      if desk.selected != nil {
        desk.detail = true
        desk.scroll = 0
      }
    case .back:
      desk.detail = false
    case .quit:
      requestQuit()
    case .logCheckIn:
      guard let m = desk.selected else { break }
      draft = checkInDraft(m.pair, caseID: m.caseID, name: m.displayName)
    case .reload:
      showInfo(strings("list.reread"))
      return [.loadMentees]
    case .command:
      prompt = Prompt(kind: .command)
    default: break
    }
    return []
  }

  func renderMentorDesk(into buffer: inout ScreenBuffer) {
    guard let desk = mentorDesk else { return }
    if desk.detail, let m = desk.selected {
      renderMentee(m, scroll: desk.scroll, into: &buffer)
      return
    }
    buffer.put(strings("mentees.title"), row: 1, column: 1, width: columns - 2, style: .title)
    // Above the list, never below it (where a long list would hide it): a mentee left out.
    var notices: [String] = []
    if !desk.unreadable.isEmpty {
      notices.append(strings.plural("mentees.unreadable", desk.unreadable.count, desk.unreadable.map(\.rawValue).joined(separator: ", ")))
    }
    if desk.damagedElsewhere > 0 { notices.append(strings.plural("mentees.damagedElsewhere", desk.damagedElsewhere)) }
    // Wrapped, never cut: the end of a notice says what to do.
    let lines = notices.flatMap { wrap("! " + $0, width: columns - 2) }.prefix(max(1, rows / 3))
    for (i, line) in lines.enumerated() {
      buffer.put(line, row: 2 + i, column: 1, width: columns - 2, style: .error)
    }
    let top = 3 + max(0, lines.count - 1)
    if desk.mentees.isEmpty {
      buffer.put(strings(desk.loaded ? "mentees.empty" : "pairs.loading"), row: top + 1, column: 3, width: columns - 4, style: .hint)
      return
    }
    let lang = strings.language.rawValue
    let nameWidth = max(16, columns / 3)
    buffer.put(TextWidth.pad(strings("pairs.col.mentee"), to: nameWidth) + TextWidth.pad(strings("pairs.col.last"), to: 18) + strings("mentees.col.next"),
      row: top, column: 3, width: columns - 4, style: .heading)
    var y = top + 1
    for (i, m) in desk.mentees.enumerated() where y < rows - 3 {
      let h = PairHealth(m.pair, programme: content.mentoring, today: today)
      let next = h.isOverdue ? strings("pairs.overdue") + " (\(h.daysSinceContact) d)" : strings.date(h.dueOn)
      let line = TextWidth.pad(TextWidth.truncate(m.displayName, to: nameWidth - 1), to: nameWidth)
        + TextWidth.pad(m.pair.lastCheckIn.map { strings.date($0) } ?? strings("pairs.never"), to: 18) + next
      let selected = i == desk.selection
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(line, row: y, column: 3, width: columns - 4, style: selected ? .selected : (h.isOverdue ? .error : .plain))
      let goals = m.pair.goals.map { g in content.mentoring.goalTitle(g, lang) + (h.latest(g).map { " \($0)/5" } ?? "") }
      buffer.put(goals.joined(separator: " · "), row: y + 1, column: 5, width: columns - 6, style: .hint)
      y += 2
    }
  }

  func renderMentee(_ m: MenteeView, scroll: Int, into buffer: inout ScreenBuffer) {
    var x = 1 + buffer.put(m.fullName, row: 1, column: 1, width: columns / 2, style: .title)
    if let preferred = m.preferredName, !preferred.isEmpty, preferred != m.fullName {
      x += buffer.put(" (\(preferred))", row: 1, column: x, width: columns / 4, style: .title)
    }
    buffer.put(strings("mentee.contact", m.phone ?? "—", m.languages.isEmpty ? "—" : m.languages.map { Languages.name($0, strings.language.rawValue) }.joined(separator: ", ")),
      row: 2, column: 1, width: columns - 2)
    // The pair's lines as the coordinator's tab shows them (without the mentor's own name).
    var lines = Array(mentoringLines([m.pair]).dropFirst())
    // The actions of the person's plan given to the mentor (nothing else of the plan reaches here).
    if !m.actions.isEmpty {
      lines += [("", .plain), (strings("mentee.planActions"), .heading)]
      for a in m.actions {
        let open = a.status.isOpen
        let mark = open ? (a.due < today ? "!" : "·") : (a.status == .dropped ? "✗" : "✓")
        lines.append(("\(mark) \(a.what) — " + strings("mentee.actionDue", strings.date(a.due), strings("option.actionStatus.\(a.status.rawValue)")),
          open && a.due < today ? .error : open ? .plain : .hint))
      }
    }
    var wrapped: [(String, Style)] = []
    for (text, style) in lines { wrapped += text.isEmpty ? [("", style)] : wrap(text, width: columns - 4).map { ($0, style) } }
    let height = rows - 6
    for (i, line) in wrapped.dropFirst(min(scroll, max(0, wrapped.count - height))).prefix(height).enumerated() {
      buffer.put(line.0, row: 4 + i, column: 2, width: columns - 4, style: line.1)
    }
  }
}
