import TextCells
import Casework

/// One key binding: the keys, what they do (a strings key, `keys.…`), where they work, and the
/// short words the footer shows for it.
public struct KeyBinding: Sendable, Equatable {
  /// The keys as printed (e.g. "j k ↓ ↑").
  public var shown: String
  public var keys: [Key]
  /// Strings key of what it does.
  public var action: String
  /// The case-file tabs it works on (nil: everywhere on the screen).
  public var tabs: Set<CaseTab>?
  /// Strings key of the footer's words for it; nil keeps it out of the footer.
  public var footer: String?

  public func works(on tab: CaseTab?) -> Bool { tabs == nil || tab.map { tabs!.contains($0) } ?? true }
}

/// The keys of each screen, in one table per screen. The table drives the app: on a command
/// screen a key reaches the screen only when the table binds it there (on the case file, on the
/// tab shown); help lists the table, the footer is built from it (only keys that work on the
/// current tab), and README's key tables are printed from it (`KeyBindings.markdown`). Tests
/// check that every key listed does something and that no key has two meanings in one place.
public enum KeyBindings {
  /// Builds a binding from keys written as people read them: "j k ↓ ↑", "Ctrl-R F5", "1…9".
  static func b(_ shown: String, _ action: String, _ footer: String? = nil, tabs: Set<CaseTab>? = nil) -> KeyBinding {
    KeyBinding(shown: shown, keys: parse(shown), action: action, tabs: tabs, footer: footer)
  }

  static func parse(_ shown: String) -> [Key] {
    var keys: [Key] = []
    for token in shown.split(separator: " ") {
      switch token {
      case "↓": keys.append(.down)
      case "↑": keys.append(.up)
      case "←": keys.append(.left)
      case "→": keys.append(.right)
      case "Enter": keys.append(.enter)
      case "Esc": keys.append(.escape)
      case "Tab": keys.append(.tab)
      case "Shift-Tab": keys.append(.backTab)
      case "Space": keys.append(.character(" "))
      case "PgDn": keys.append(.pageDown)
      case "PgUp": keys.append(.pageUp)
      case "Home": keys.append(.home)
      case "End": keys.append(.end)
      case "Backspace": keys.append(.backspace)
      case "Delete": keys.append(.delete)
      case "1…9": keys += (1...9).map { .character(Character(String($0))) }
      default:
        if token.hasPrefix("Ctrl-"), let c = token.dropFirst(5).first {
          keys.append(.control(Character(c.lowercased())))
        } else if token.hasPrefix("F"), let n = Int(token.dropFirst()) {
          keys.append(.function(n))
        } else if token.count == 1 {
          keys.append(.character(token.first!))
        }
      }
    }
    return keys
  }

  /// Screens whose keys are commands (not text): the table decides which keys reach them.
  public static func isCommandScreen(_ screen: ScreenKind) -> Bool {
    switch screen {
    case .form, .draft, .noteEditor, .assessment, .scoreSheet: false
    default: true
    }
  }

  /// The binding of `key` on `screen` (on the case file, for the tab shown), if any.
  public static func binding(for key: Key, on screen: ScreenKind, tab: CaseTab?) -> KeyBinding? {
    of(screen).first { $0.keys.contains(key) && $0.works(on: tab) }
  }

  /// The bindings help shows: on the case file, those of the tab shown.
  public static func shown(on screen: ScreenKind, tab: CaseTab?) -> [KeyBinding] {
    of(screen).filter { $0.works(on: tab) }
  }

  static let writableTabs: Set<CaseTab> = Set(CaseTab.allCases)

  public static func of(_ screen: ScreenKind) -> [KeyBinding] {
    switch screen {
    case .list:
      return [
        b("Enter l →", "keys.openCase", "foot.open"),
        b("j k ↓ ↑", "keys.move"),
        b("PgDn PgUp Space Ctrl-F Ctrl-B", "keys.page"),
        b("Ctrl-D Ctrl-U", "keys.halfPage"),
        b("g G Home End", "keys.firstLast"),
        b("/", "keys.search", "foot.search"),
        b("n N", "keys.searchNext"),
        b("Esc", "keys.clearSearch"),
        b("a", "keys.newCase", "foot.new"),
        b("f", "keys.filterMenu", "foot.filter"),
        b("s", "keys.sort", "foot.sort"),
        b("r", "keys.reverse"),
        b("m", "keys.filterMine"),
        b("o", "keys.filterOverdue"),
        b("c", "keys.filterClosed"),
        b("x", "keys.filterClear"),
        b("T", "keys.trainingGroups", "foot.groups"),
        b("M", "keys.mentoring", "foot.mentoring"),
        b("C", "keys.calendar", "foot.calendar"),
        b("A", "keys.agenda"),
        b("R", "keys.report"),
        b("Ctrl-R F5", "keys.reload"),
        b(":", "keys.command"),
        b("q", "keys.quit"),
      ]
    case .caseFile:
      let screening: Set<CaseTab> = [.screening]
      let mentoring: Set<CaseTab> = [.mentoring]
      let followUp: Set<CaseTab> = [.followUp]
      let jobs: Set<CaseTab> = [.jobs]
      return [
        b("Tab Shift-Tab h l ← →", "keys.tabs", "foot.tab"),
        b("1…9", "keys.tabNumber"),
        b("j k ↓ ↑", "keys.scroll", tabs: Set(CaseTab.allCases).subtracting([.notes])),
        b("j k ↓ ↑", "keys.moveNote", tabs: [.notes]),
        b("e", "keys.editIntake", "foot.edit", tabs: [.overview, .intake]),
        b("a", "keys.addNote", "foot.note", tabs: [.overview, .intake, .notes]),
        b("Enter E", "keys.editNote", "foot.editNote", tabs: [.notes]),
        b("i", "keys.phase1", "foot.phase1", tabs: screening),
        b("p", "keys.phase2", "foot.phase2", tabs: screening),
        b("w", "keys.whatChanged", tabs: screening),
        b("s", "keys.newAssessment", "foot.assessment", tabs: screening),
        b("r", "keys.assessmentReport", tabs: screening),
        b("v", "keys.progress", tabs: screening),
        b("x", "keys.exportCV", "foot.export", tabs: screening),
        b("c", "keys.addConsent", tabs: screening),
        b("W", "keys.withdrawConsent", tabs: screening),
        b("m", "keys.suggestMentors", "foot.mentors", tabs: mentoring),
        b("c", "keys.logCheckIn", "foot.checkIn", tabs: mentoring),
        b("g", "keys.editProgramme", "foot.programme", tabs: mentoring),
        b("X", "keys.closePair", "foot.closePair", tabs: mentoring),
        b("H", "keys.concernHandled", tabs: mentoring),
        b("f", "keys.logFollowUp", "foot.followUp", tabs: followUp),
        b("x", "keys.extraFollowUp", "foot.extra", tabs: followUp),
        b("R", "keys.reschedule", "foot.reschedule", tabs: followUp),
        b("P", "keys.editPlan", "foot.plan", tabs: followUp),
        b("H", "keys.recordHire", "foot.hire", tabs: followUp.union(jobs)),
        b("O", "keys.recordOutcome", "foot.outcome", tabs: followUp),
        b("w", "keys.availability", "foot.availability", tabs: jobs),
        b("i", "keys.editInternship", "foot.internship", tabs: jobs),
        b("I", "keys.newInternship", tabs: jobs),
        b("o", "keys.rankedOpenings", "foot.openings", tabs: jobs),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .form:
      return [
        b("Tab ↓", "keys.nextField", "foot.nextField"),
        b("Shift-Tab ↑", "keys.previousField"),
        b("Enter", "keys.enterField"),
        b("0 1 2 3 4 5 6 7 8 9", "keys.digitChoice"),
        b("← → Home End", "keys.cursor"),
        b("Backspace Delete", "keys.deleteChar"),
        b("Ctrl-U Ctrl-K Ctrl-W", "keys.deleteText"),
        b("F4 Ctrl-O", "keys.catalogPicker"),
        b("PgDn PgUp", "keys.interviewPage"),
        b("Ctrl-N", "keys.addEntry"),
        b("Ctrl-D", "keys.removeEntry"),
        b("Ctrl-S F2", "keys.save", "foot.save"),
        b("Esc", "keys.cancelForm", "foot.cancel"),
      ]
    case .draft:
      return [
        b("Tab ↓", "keys.nextField", "foot.nextField"),
        b("Shift-Tab ↑", "keys.previousField"),
        b("Enter", "keys.enterField"),
        b("0 1 2 3 4 5 6 7 8 9", "keys.digitChoice"),
        b("← → Home End", "keys.cursor"),
        b("Backspace Delete", "keys.deleteChar"),
        b("Ctrl-U Ctrl-K Ctrl-W", "keys.deleteText"),
        b("F4 Ctrl-O", "keys.catalogPicker"),
        b("Ctrl-S F2", "keys.save", "foot.save"),
        b("Esc", "keys.cancelForm", "foot.cancel"),
      ]
    case .assessment:
      return [
        b("1 2 3 4", "keys.answerBand", "foot.answer"),
        b("← → h l", "keys.changeBand"),
        b("↓ ↑ j k Enter", "keys.nextQuestion", "foot.question"),
        b("PgDn PgUp", "keys.actionFieldPage"),
        b("Tab", "keys.secondLanguage"),
        b("Shift-Tab", "keys.swapLanguages"),
        b("r", "keys.previewReport"),
        b("Ctrl-S F2", "keys.saveAssessment", "foot.save"),
        b("Esc", "keys.cancelAssessment", "foot.cancel"),
      ]
    case .groups:
      return [
        b("Enter", "keys.openGroup", "foot.open"),
        b("j k ↓ ↑ g G Home End", "keys.move"),
        b("n", "keys.newGroup", "foot.newGroup"),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .group:
      return [
        b("j k ↓ ↑", "keys.moveParticipant"),
        b("w", "keys.walkthrough", "foot.walkthrough"),
        b("a", "keys.addParticipant", "foot.add"),
        b("d", "keys.removeParticipant"),
        b("t", "keys.entryTest", "foot.entryTest"),
        b("i", "keys.practice", "foot.practice"),
        b("v", "keys.evaluation", "foot.evaluation"),
        b("e", "keys.editGroup"),
        b("r", "keys.groupReport", "foot.report"),
        b("Enter", "keys.openParticipant"),
        b("Esc q", "keys.backToGroups", "foot.back"),
        b(":", "keys.command"),
      ]
    case .walkthrough:
      return [
        b("p a x", "keys.attendance", "foot.attendance"),
        b("Space", "keys.attendanceCycle"),
        b("j k ↓ ↑", "keys.moveParticipant"),
        b("← → h l [ ]", "keys.module", "foot.module"),
        b("n", "keys.participantNote", "foot.participantNote"),
        b("D", "keys.delivered", "foot.delivered"),
        b("t v", "keys.entryTestEvaluation"),
        b("r", "keys.groupReport"),
        b("Esc q", "keys.backToGroup", "foot.back"),
        b(":", "keys.command"),
      ]
    case .scoreSheet:
      return [
        b("1 2 3 4 5", "keys.scoreAnswer", "foot.answer"),
        b("j k ↓ ↑ Tab Shift-Tab", "keys.nextQuestion", "foot.question"),
        b("Backspace", "keys.scoreClear"),
        b("Ctrl-S F2", "keys.save", "foot.save"),
        b("Esc", "keys.cancelForm", "foot.cancel"),
      ]
    case .pairs:
      return [
        b("Enter", "keys.openPairCase", "foot.open"),
        b("j k ↓ ↑", "keys.move"),
        b("s", "keys.pairSort", "foot.sort"),
        b("r", "keys.mentoringReport", "foot.report"),
        b("R", "keys.reload"),
        b("Tab Shift-Tab", "keys.pairsMentors", "foot.mentorsTab"),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .mentors:
      return [
        b("Enter e", "keys.editMentor", "foot.edit"),
        b("j k ↓ ↑", "keys.move"),
        b("n", "keys.newMentor", "foot.newMentor"),
        b("R", "keys.reload"),
        b("Tab Shift-Tab", "keys.pairsMentors", "foot.pairsTab"),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .suggestions:
      return [
        b("Enter", "keys.confirmMentor", "foot.confirmMentor"),
        b("j k ↓ ↑", "keys.move"),
        b("Esc q", "keys.backToCase", "foot.back"),
      ]
    case .mentees:
      return [
        b("c", "keys.logCheckIn", "foot.checkIn"),
        b("Enter", "keys.openMentee", "foot.open"),
        b("j k ↓ ↑", "keys.move"),
        b("R", "keys.reload"),
        b(":", "keys.command"),
        b("q Esc", "keys.quit", "foot.quit"),
      ]
    case .mentee:
      return [
        b("c", "keys.logCheckIn", "foot.checkIn"),
        b("j k ↓ ↑", "keys.scroll"),
        b("R", "keys.reload"),
        b(":", "keys.command"),
        b("Esc q", "keys.backToMentees", "foot.back"),
      ]
    case .calendar:
      return [
        b("h l ← →", "keys.calDay", "foot.day"),
        b("j k ↓ ↑", "keys.calWeek", "foot.week"),
        b("] [ J K PgDn PgUp", "keys.calMonth", "foot.month"),
        b("t Home", "keys.calToday", "foot.today"),
        b("a v", "keys.calMode", "foot.view"),
        b("Tab", "keys.calFocus"),
        b("m", "keys.calMine"),
        b("Enter", "keys.calOpen", "foot.open"),
        b("f", "keys.logFollowUp", "foot.followUp"),
        b("Ctrl-R F5", "keys.reload"),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .report:
      return [
        b("j k ↓ ↑", "keys.scroll", "foot.scroll"),
        b("PgDn PgUp Space", "keys.page", "foot.page"),
        b("g G Home End", "keys.topBottom"),
        b("p Tab", "keys.reportPeriod", "foot.period"),
        b("Ctrl-R F5", "keys.reload"),
        b("Esc q", "keys.backToList", "foot.back"),
        b(":", "keys.command"),
      ]
    case .noteEditor:
      return [
        b("← → ↑ ↓ Home End", "keys.cursor"),
        b("Enter", "keys.newline"),
        b("Backspace Delete", "keys.deleteChar"),
        b("Ctrl-U Ctrl-K Ctrl-W", "keys.deleteText"),
        b("Ctrl-S F2", "keys.save", "foot.save"),
        b("Esc", "keys.cancelNote", "foot.cancel"),
      ]
    }
  }

  /// Keys every screen has, shown at the end of help.
  static let global: [KeyBinding] = [
    b("? F1", "keys.help", "foot.help"),
    b("Ctrl-L", "keys.repaint"),
    b("Ctrl-C", "keys.quitAsk"),
  ]

  static let commands: [KeyBinding] = [
    b(":open K-2026-0042", "keys.cmdOpen"),
    b(":new", "keys.cmdNew"),
    b(":filter stage=matching", "keys.cmdFilter"),
    b(":sort name desc", "keys.cmdSort"),
    b(":groups :pairs :mentors", "keys.cmdScreens"),
    b(":calendar :agenda", "keys.cmdCalendar"),
    b(":q", "keys.quit"),
  ]

  /// README's key tables, printed from the tables above (`keten help keys` prints them too).
  public static func markdown(_ strings: Strings) -> String {
    var out = ""
    for screen in ScreenKind.allCases {
      out += "### \(strings("screen.\(screen.rawValue)"))\n\n| Keys | Action |\n|---|---|\n"
      for binding in of(screen) {
        var action = strings(binding.action)
        if let tabs = binding.tabs, screen == .caseFile {
          action += " (" + CaseTab.allCases.filter(tabs.contains).map { strings("tab.\($0.rawValue)") }.joined(separator: ", ") + ")"
        }
        out += "| `\(binding.shown)` | \(action) |\n"
      }
      out += "\n"
    }
    out += "### \(strings("keys.everywhere"))\n\n| Keys | Action |\n|---|---|\n"
    for binding in global + commands { out += "| `\(binding.shown)` | \(strings(binding.action)) |\n" }
    return out
  }
}

extension AppState {
  /// The footer: the keys that work here, in the table's order, as many as fit, help last.
  func footerText() -> String {
    let tab = activeScreen == .caseFile ? caseFile?.tab : nil
    var parts = KeyBindings.shown(on: activeScreen, tab: tab).compactMap { b -> String? in
      guard let footer = b.footer else { return nil }
      // A score sheet's digits: as many as the question in focus has answers.
      if b.action == "keys.scoreAnswer", let sheet = scoreSheet, sheet.rows.indices.contains(sheet.cursor) {
        return "1-\(sheet.rows[sheet.cursor].options.count) \(strings(footer))"
      }
      return "\(Self.footerKeys(b)) \(strings(footer))"
    }
    if isTooSmall { return "" }
    // In a form `?` is text; F1 opens help there.
    let help = ([.form, .draft, .noteEditor].contains(activeScreen) ? "F1 " : "? ") + strings("foot.help")
    if case .interview? = form?.purpose, activeScreen == .form {
      parts.insert("PgDn/PgUp " + strings("foot.section"), at: 0)
      if form?.entryList != nil { parts.insert("Ctrl-N/Ctrl-D " + strings("foot.entries"), at: 1) }
    }
    var line = ""
    let room = columns - 2 - TextWidth.width(of: help) - 2
    for part in parts {
      let next = line.isEmpty ? part : line + "  " + part
      if TextWidth.width(of: next) > room { break }
      line = next
    }
    return line.isEmpty ? help : line + "  " + help
  }

  /// A binding's keys as the footer shows them: the first two, joined by "/".
  static func footerKeys(_ b: KeyBinding) -> String {
    let tokens = b.shown.split(separator: " ")
    if b.shown == "1…9" { return "1-9" }
    if tokens.count > 2, tokens.allSatisfy({ $0.count == 1 && $0.first!.isNumber }) { return "\(tokens.first!)-\(tokens.last!)" }
    return tokens.prefix(tokens.count > 2 && tokens[0].count == 1 ? 1 : 2).joined(separator: "/")
  }
}
