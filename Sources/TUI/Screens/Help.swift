import TextCells
import Casework

/// One key binding as help shows it.
public struct KeyBinding: Sendable, Equatable {
  /// The keys, as printed (e.g. "j ↓").
  public var keys: String
  /// Strings key of what it does.
  public var action: String
}

/// The keys of each screen; help shows them and the README lists them.
public enum KeyBindings {
  public static func of(_ screen: ScreenKind) -> [KeyBinding] {
    switch screen {
    case .list:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.move"),
        .init(keys: "PgDn PgUp Space", action: "keys.page"),
        .init(keys: "g G Home End", action: "keys.firstLast"),
        .init(keys: "Enter l →", action: "keys.openCase"),
        .init(keys: "/", action: "keys.search"),
        .init(keys: "n N", action: "keys.searchNext"),
        .init(keys: "Esc", action: "keys.clearSearch"),
        .init(keys: "a", action: "keys.newCase"),
        .init(keys: "s", action: "keys.sort"),
        .init(keys: "r", action: "keys.reverse"),
        .init(keys: "f", action: "keys.filterMenu"),
        .init(keys: "m", action: "keys.filterMine"),
        .init(keys: "o", action: "keys.filterOverdue"),
        .init(keys: "c", action: "keys.filterClosed"),
        .init(keys: "x", action: "keys.filterClear"),
        .init(keys: "T", action: "keys.trainingGroups"),
        .init(keys: "M", action: "keys.mentoring"),
        .init(keys: "C", action: "keys.calendar"),
        .init(keys: "A", action: "keys.agenda"),
        .init(keys: "R", action: "keys.report"),
        .init(keys: "Ctrl-R F5", action: "keys.reload"),
        .init(keys: ":", action: "keys.command"),
        .init(keys: "? F1", action: "keys.help"),
        .init(keys: "q Ctrl-C", action: "keys.quit"),
      ] + commands
    case .caseFile:
      return [
        .init(keys: "Tab Shift-Tab h l", action: "keys.tabs"),
        .init(keys: "1…9", action: "keys.tabNumber"),
        .init(keys: "j k ↓ ↑", action: "keys.scroll"),
        .init(keys: "e", action: "keys.editIntake"),
        .init(keys: "a", action: "keys.addNote"),
        .init(keys: "Enter E", action: "keys.editNote"),
        .init(keys: "i", action: "keys.phase1"),
        .init(keys: "p", action: "keys.phase2"),
        .init(keys: "w", action: "keys.whatChanged"),
        .init(keys: "s", action: "keys.newAssessment"),
        .init(keys: "r", action: "keys.report"),
        .init(keys: "v", action: "keys.progress"),
        .init(keys: "x", action: "keys.exportCV"),
        .init(keys: "c", action: "keys.addConsent"),
        .init(keys: "W", action: "keys.withdrawConsent"),
        .init(keys: "m", action: "keys.suggestMentors"),
        .init(keys: "c", action: "keys.logCheckIn"),
        .init(keys: "g", action: "keys.editProgramme"),
        .init(keys: "X", action: "keys.closePair"),
        .init(keys: "H", action: "keys.concernHandled"),
        .init(keys: "f", action: "keys.logFollowUp"),
        .init(keys: "x", action: "keys.extraFollowUp"),
        .init(keys: "R", action: "keys.reschedule"),
        .init(keys: "P", action: "keys.editPlan"),
        .init(keys: "H", action: "keys.recordHire"),
        .init(keys: "O", action: "keys.recordOutcome"),
        .init(keys: "w", action: "keys.availability"),
        .init(keys: "i I", action: "keys.internship"),
        .init(keys: "o", action: "keys.rankedOpenings"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: ":", action: "keys.command"),
        .init(keys: "? F1", action: "keys.help"),
      ] + commands
    case .form:
      return [
        .init(keys: "Tab ↓ Enter", action: "keys.nextField"),
        .init(keys: "Shift-Tab ↑", action: "keys.previousField"),
        .init(keys: "← → Home End", action: "keys.cursor"),
        .init(keys: "Ctrl-U Ctrl-K Ctrl-W", action: "keys.deleteText"),
        .init(keys: "Enter Space", action: "keys.openPicker"),
        .init(keys: "F4 Ctrl-O", action: "keys.catalogPicker"),
        .init(keys: "PgDn PgUp", action: "keys.interviewPage"),
        .init(keys: "Ctrl-N", action: "keys.addEntry"),
        .init(keys: "Ctrl-D", action: "keys.removeEntry"),
        .init(keys: "Ctrl-S F2", action: "keys.save"),
        .init(keys: "Esc", action: "keys.cancelForm"),
        .init(keys: "F1", action: "keys.help"),
      ]
    case .assessment:
      return [
        .init(keys: "1 2 3 4", action: "keys.answerBand"),
        .init(keys: "← → h l", action: "keys.changeBand"),
        .init(keys: "↓ ↑ j k Enter", action: "keys.nextQuestion"),
        .init(keys: "PgDn PgUp", action: "keys.actionFieldPage"),
        .init(keys: "Tab", action: "keys.secondLanguage"),
        .init(keys: "Shift-Tab", action: "keys.swapLanguages"),
        .init(keys: "r", action: "keys.previewReport"),
        .init(keys: "Ctrl-S F2", action: "keys.saveAssessment"),
        .init(keys: "Esc", action: "keys.cancelAssessment"),
        .init(keys: "F1", action: "keys.help"),
      ]
    case .groups:
      return [
        .init(keys: "j k ↓ ↑ g G", action: "keys.move"),
        .init(keys: "Enter", action: "keys.openGroup"),
        .init(keys: "n", action: "keys.newGroup"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .group:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.moveParticipant"),
        .init(keys: "w", action: "keys.walkthrough"),
        .init(keys: "a", action: "keys.addParticipant"),
        .init(keys: "d", action: "keys.removeParticipant"),
        .init(keys: "t", action: "keys.entryTest"),
        .init(keys: "i", action: "keys.practice"),
        .init(keys: "v", action: "keys.evaluation"),
        .init(keys: "e", action: "keys.editGroup"),
        .init(keys: "r", action: "keys.groupReport"),
        .init(keys: "Enter", action: "keys.openParticipant"),
        .init(keys: "Esc q", action: "keys.backToGroups"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .walkthrough:
      return [
        .init(keys: "← → h l [ ]", action: "keys.module"),
        .init(keys: "j k ↓ ↑", action: "keys.moveParticipant"),
        .init(keys: "p a x", action: "keys.attendance"),
        .init(keys: "Space", action: "keys.attendanceCycle"),
        .init(keys: "n", action: "keys.participantNote"),
        .init(keys: "D", action: "keys.delivered"),
        .init(keys: "t v", action: "keys.entryTestEvaluation"),
        .init(keys: "Esc q", action: "keys.backToGroup"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .scoreSheet:
      return [
        .init(keys: "1 … 5", action: "keys.scoreAnswer"),
        .init(keys: "j k ↓ ↑ Tab", action: "keys.nextQuestion"),
        .init(keys: "Backspace", action: "keys.scoreClear"),
        .init(keys: "Ctrl-S F2", action: "keys.save"),
        .init(keys: "Esc", action: "keys.cancelForm"),
        .init(keys: "F1", action: "keys.help"),
      ]
    case .pairs:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.move"),
        .init(keys: "Enter", action: "keys.openPairCase"),
        .init(keys: "s", action: "keys.pairSort"),
        .init(keys: "r", action: "keys.mentoringReport"),
        .init(keys: "R", action: "keys.reload"),
        .init(keys: "Tab", action: "keys.pairsMentors"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .mentors:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.move"),
        .init(keys: "n", action: "keys.newMentor"),
        .init(keys: "Enter e", action: "keys.editMentor"),
        .init(keys: "Tab", action: "keys.pairsMentors"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .suggestions:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.move"),
        .init(keys: "Enter", action: "keys.confirmMentor"),
        .init(keys: "Esc q", action: "keys.backToCase"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .draft:
      return [
        .init(keys: "Tab ↓ Enter", action: "keys.nextField"),
        .init(keys: "Shift-Tab ↑", action: "keys.previousField"),
        .init(keys: "← → Home End", action: "keys.cursor"),
        .init(keys: "Enter Space", action: "keys.openPicker"),
        .init(keys: "F4 Ctrl-O", action: "keys.catalogPicker"),
        .init(keys: "Ctrl-S F2", action: "keys.save"),
        .init(keys: "Esc", action: "keys.cancelForm"),
        .init(keys: "F1", action: "keys.help"),
      ]
    case .mentees:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.move"),
        .init(keys: "c", action: "keys.logCheckIn"),
        .init(keys: "Enter", action: "keys.openMentee"),
        .init(keys: "R", action: "keys.reload"),
        .init(keys: "q Ctrl-C", action: "keys.quit"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .calendar:
      return [
        .init(keys: "h l ← →", action: "keys.calDay"),
        .init(keys: "j k ↓ ↑", action: "keys.calWeek"),
        .init(keys: "] [ PgDn PgUp", action: "keys.calMonth"),
        .init(keys: "t Home", action: "keys.calToday"),
        .init(keys: "a v", action: "keys.calMode"),
        .init(keys: "Tab", action: "keys.calFocus"),
        .init(keys: "m", action: "keys.calMine"),
        .init(keys: "Enter", action: "keys.calOpen"),
        .init(keys: "f", action: "keys.logFollowUp"),
        .init(keys: "Ctrl-R F5", action: "keys.reload"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: ":", action: "keys.command"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .report:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.scroll"),
        .init(keys: "PgDn PgUp Space", action: "keys.page"),
        .init(keys: "g G Home End", action: "keys.topBottom"),
        .init(keys: "p Tab", action: "keys.reportPeriod"),
        .init(keys: "Ctrl-R F5", action: "keys.reload"),
        .init(keys: "Esc q", action: "keys.backToList"),
        .init(keys: ":", action: "keys.command"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .mentee:
      return [
        .init(keys: "j k ↓ ↑", action: "keys.scroll"),
        .init(keys: "c", action: "keys.logCheckIn"),
        .init(keys: "Esc q", action: "keys.backToMentees"),
        .init(keys: "? F1", action: "keys.help"),
      ]
    case .noteEditor:
      return [
        .init(keys: "← → ↑ ↓ Home End", action: "keys.cursor"),
        .init(keys: "Enter", action: "keys.newline"),
        .init(keys: "Backspace Delete", action: "keys.deleteChar"),
        .init(keys: "Ctrl-S F2", action: "keys.save"),
        .init(keys: "Esc", action: "keys.cancelNote"),
        .init(keys: "F1", action: "keys.help"),
      ]
    }
  }

  static let commands: [KeyBinding] = [
    .init(keys: ":open K-2026-0042", action: "keys.cmdOpen"),
    .init(keys: ":new", action: "keys.cmdNew"),
    .init(keys: ":filter stage=matching", action: "keys.cmdFilter"),
    .init(keys: ":sort name desc", action: "keys.cmdSort"),
    .init(keys: ":groups :pairs :mentors", action: "keys.cmdScreens"),
    .init(keys: ":calendar :agenda", action: "keys.cmdCalendar"),
    .init(keys: ":q", action: "keys.quit"),
  ]
}

/// The help overlay: the current screen's keys, narrowed as the user types.
public struct HelpState: Sendable {
  public var screen: ScreenKind
  public var filter = TextEditor()
  public var top = 0

  public init(screen: ScreenKind) { self.screen = screen }

  /// Handles a key; false closes help.
  mutating func handle(_ key: Key) -> Bool {
    switch key {
    case .escape, .function(1): return false
    case .character("?") where filter.isEmpty: return false
    case .character("q") where filter.isEmpty: return false
    case .down: top += 1
    case .up: top = max(0, top - 1)
    default:
      filter.handle(key)
      top = 0
    }
    return true
  }

  func visibleBindings(_ strings: Strings) -> [KeyBinding] {
    let all = KeyBindings.of(screen)
    let query = filter.text.lowercased()
    guard !query.isEmpty else { return all }
    return all.filter {
      $0.keys.lowercased().contains(query) || strings($0.action).lowercased().contains(query)
    }
  }

  func render(into buffer: inout ScreenBuffer, strings: Strings) {
    let width = min(buffer.columns - 4, 76)
    let height = buffer.rows - 2
    let left = (buffer.columns - width) / 2
    buffer.box(
      row: 1, column: left, height: height, width: width,
      title: strings("help.title", strings("screen.\(screen.rawValue)")))
    buffer.put(strings("help.filter"), row: 2, column: left + 2, style: .label)
    let labelWidth = TextWidth.width(of: strings("help.filter"))
    buffer.put(filter.text, row: 2, column: left + 3 + labelWidth, width: width - labelWidth - 6, style: .field)
    let bindings = visibleBindings(strings)
    let room = height - 5
    let start = min(top, max(0, bindings.count - room))
    for (i, b) in bindings.dropFirst(start).prefix(room).enumerated() {
      buffer.put(b.keys, row: 4 + i, column: left + 2, width: 24, style: .key)
      buffer.put(strings(b.action), row: 4 + i, column: left + 27, width: width - 29)
    }
    if bindings.isEmpty {
      buffer.put(strings("help.noMatch"), row: 4, column: left + 2, style: .hint)
    }
    buffer.put(strings("help.hint"), row: height - 1, column: left + 2, width: width - 4, style: .hint)
  }
}
