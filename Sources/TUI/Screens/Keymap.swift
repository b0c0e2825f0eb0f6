import TextCells
import Casework

/// What a key does on a command screen. The keymap tables bind keys to these, and the screens'
/// handlers act on them, never on keys, so a key does exactly what help, the footer and README say.
public enum KeyAction: Sendable, Hashable {
  // Moving
  case down, up, pageDown, pageUp, halfDown, halfUp, first, last
  case nextTab, previousTab, tabNumber, nextNote, previousNote
  case nextDay, previousDay, nextMonth, previousMonth, today, switchView, switchFocus, mine
  case nextModule, previousModule, switchList
  // Opening and leaving
  case open, back, quit, command, reload
  // The case list
  case search, searchNext, searchPrevious, clearSearch, newCase, filterMenu, sort, reverse
  case filterMine, filterOverdue, filterClosed, filterClear, groups, mentoring, calendar, agenda, report, jobs, services
  // The case file
  case editIntake, addNote, editNote
  case phase1, phase2, whatChanged, newAssessment, assessmentReport, progress, exportCV, addConsent, withdrawConsent
  case suggestMentors, logCheckIn, editProgramme, closePair, concernHandled
  case logFollowUp, extraFollowUp, reschedule, editPlan, recordHire, recordOutcome
  case availability, editInternship, newInternship, rankedOpenings
  case nextAction, previousAction, addAction, editAction, completeAction, dropAction, reviewPlan, agreePlan, referService, printPlan
  // Training
  case newGroup, walkthrough, addParticipant, removeParticipant, entryTest, practice, evaluation, editGroup, groupReport
  case present, absent, excused, cycleAttendance, participantNote, delivered, lessonPlan
  // Mentoring
  case pairSort, mentoringReport, newMentor, editMentor, confirmMentor
  // Report
  case period
  // Employers, openings, fairs
  case newRecord, editRecord, newOpening, showAll, makeHire, makeInternship, register, unregister, openCase, editFair
}

/// When a binding applies, beyond its screen and tab: the footer and help show a key only when
/// it works now (log a follow-up only once there is a hire; j/k move a week in the month view
/// and an item in the agenda).
public enum KeyCondition: Sendable, Hashable {
  case hire, noHire, openPair, noOpenPair, monthView, agendaView
}

/// One key binding: the keys, the action they run (on command screens), what help says it does
/// (a strings key, `keys.…`), where it works, and the footer's words for it.
public struct KeyBinding: Sendable, Equatable {
  /// The keys as printed (e.g. "j ↓").
  public var shown: String
  public var keys: [Key]
  /// What the keys do on a command screen; nil on a form, where the input model decides.
  public var action: KeyAction?
  /// Strings key of what it does; bindings next to each other with the same one are one row of help.
  public var label: String
  /// The case-file tabs it works on (nil: everywhere on the screen).
  public var tabs: Set<CaseTab>?
  /// Strings key of the footer's words for it; nil keeps it out of the footer.
  public var footer: String?
  /// When it applies (nil: always on its screen and tabs).
  public var when: KeyCondition?

  public func works(on tab: CaseTab?) -> Bool { tabs == nil || tab.map { tabs!.contains($0) } ?? true }
}

/// Bindings next to each other with the same words, shown as one: "j ↓" and "k ↑" are
/// "j ↓ k ↑  Move down and up".
public struct KeyRow: Sendable, Equatable {
  public var shown: String
  public var label: String
  public var footer: String?
  /// The first key of each binding, for the footer ("h/l").
  public var footerKeys: String
}

/// The keys of each screen, in one table per screen. The table is the screen's dispatch: a key
/// reaches a command screen only as the action its table binds it to there (on the case file, on
/// the tab shown), and the handlers act on actions. Help lists the table, the footer is built
/// from it (only keys that work on the current tab), and README's key tables are printed from it
/// (`KeyBindings.markdown`). Tests check that every key listed does something and that no key
/// has two meanings in one place.
public enum KeyBindings {
  /// A binding from keys written as people read them: "j ↓", "Ctrl-R F5", "1…9".
  static func b(
    _ shown: String, _ action: KeyAction?, _ label: String, _ footer: String? = nil, tabs: Set<CaseTab>? = nil,
    when: KeyCondition? = nil
  ) -> KeyBinding {
    KeyBinding(shown: shown, keys: parse(shown), action: action, label: label, tabs: tabs, footer: footer, when: when)
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

  /// Screens whose keys are commands (not text): the table dispatches their keys.
  public static func isCommandScreen(_ screen: ScreenKind) -> Bool {
    switch screen {
    case .form, .draft, .noteEditor, .assessment, .scoreSheet: false
    default: true
    }
  }

  /// The binding of `key` on `screen` (on the case file, for the tab shown): the one whose
  /// condition holds, else any (its action then says why it cannot run, e.g. "no hire yet").
  public static func binding(
    for key: Key, on screen: ScreenKind, tab: CaseTab?, holds: (KeyCondition) -> Bool = { _ in true }
  ) -> KeyBinding? {
    let candidates = of(screen).filter { $0.keys.contains(key) && $0.works(on: tab) }
    return candidates.first { $0.when.map(holds) ?? true } ?? candidates.first
  }

  /// The bindings that work on a screen (on the case file, on the tab shown), and now.
  public static func shown(
    on screen: ScreenKind, tab: CaseTab?, holds: (KeyCondition) -> Bool = { _ in true }
  ) -> [KeyBinding] {
    of(screen).filter { $0.works(on: tab) && ($0.when.map(holds) ?? true) }
  }

  /// Bindings next to each other with the same words, as one row each.
  public static func rows(_ bindings: [KeyBinding]) -> [KeyRow] {
    var rows: [KeyRow] = []
    for binding in bindings {
      let first = binding.shown.split(separator: " ").first.map(String.init) ?? binding.shown
      if let last = rows.last, last.label == binding.label {
        rows[rows.count - 1].shown += " " + binding.shown
        rows[rows.count - 1].footerKeys += "/" + first
        if rows[rows.count - 1].footer == nil { rows[rows.count - 1].footer = binding.footer }
      } else {
        rows.append(KeyRow(shown: binding.shown, label: binding.label, footer: binding.footer, footerKeys: first))
      }
    }
    return rows
  }

  public static func of(_ screen: ScreenKind) -> [KeyBinding] {
    switch screen {
    case .list:
      return [
        b("Enter l →", .open, "keys.openCase", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("PgDn Space Ctrl-F", .pageDown, "keys.page"),
        b("PgUp Ctrl-B", .pageUp, "keys.page"),
        b("Ctrl-D", .halfDown, "keys.halfPage"),
        b("Ctrl-U", .halfUp, "keys.halfPage"),
        b("g Home", .first, "keys.firstLast"),
        b("G End", .last, "keys.firstLast"),
        b("/", .search, "keys.search", "foot.search"),
        b("n", .searchNext, "keys.searchNext"),
        b("N", .searchPrevious, "keys.searchNext"),
        b("Esc", .clearSearch, "keys.clearSearch"),
        b("a", .newCase, "keys.newCase", "foot.new"),
        b("f", .filterMenu, "keys.filterMenu", "foot.filter"),
        b("s", .sort, "keys.sort", "foot.sort"),
        b("r", .reverse, "keys.reverse"),
        b("m", .filterMine, "keys.filterMine"),
        b("o", .filterOverdue, "keys.filterOverdue"),
        b("c", .filterClosed, "keys.filterClosed"),
        b("x", .filterClear, "keys.filterClear"),
        b("T", .groups, "keys.trainingGroups", "foot.groups"),
        b("M", .mentoring, "keys.mentoring", "foot.mentoring"),
        b("C", .calendar, "keys.calendar", "foot.calendar"),
        b("A", .agenda, "keys.agenda"),
        b("R", .report, "keys.report"),
        b("J", .jobs, "keys.jobs", "foot.jobs"),
        b("S", .services, "keys.services"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b(":", .command, "keys.command"),
        b("q", .quit, "keys.quit"),
      ]
    case .caseFile:
      let screening: Set<CaseTab> = [.screening]
      let mentoring: Set<CaseTab> = [.mentoring]
      let followUp: Set<CaseTab> = [.followUp]
      let jobs: Set<CaseTab> = [.jobs]
      let scrolling = Set(CaseTab.allCases).subtracting([.notes, .plan])
      let plan: Set<CaseTab> = [.plan]
      return [
        b("Tab l →", .nextTab, "keys.tabs", "foot.tab"),
        b("Shift-Tab h ←", .previousTab, "keys.tabs"),
        b("1…9 0", .tabNumber, "keys.tabNumber"),
        b("j ↓", .down, "keys.scroll", tabs: scrolling),
        b("k ↑", .up, "keys.scroll", tabs: scrolling),
        b("j ↓", .nextNote, "keys.moveNote", tabs: [.notes]),
        b("k ↑", .previousNote, "keys.moveNote", tabs: [.notes]),
        b("e", .editIntake, "keys.editIntake", "foot.edit", tabs: [.overview, .intake]),
        b("a", .addNote, "keys.addNote", "foot.note", tabs: [.overview, .intake, .notes]),
        b("Enter E", .editNote, "keys.editNote", "foot.editNote", tabs: [.notes]),
        b("i", .phase1, "keys.phase1", "foot.phase1", tabs: screening),
        b("p", .phase2, "keys.phase2", "foot.phase2", tabs: screening),
        b("w", .whatChanged, "keys.whatChanged", tabs: screening),
        b("s", .newAssessment, "keys.newAssessment", "foot.assessment", tabs: screening),
        b("r", .assessmentReport, "keys.assessmentReport", tabs: screening),
        b("v", .progress, "keys.progress", tabs: screening),
        b("x", .exportCV, "keys.exportCV", "foot.export", tabs: screening),
        b("c", .addConsent, "keys.addConsent", tabs: screening),
        b("W", .withdrawConsent, "keys.withdrawConsent", tabs: screening),
        b("m", .suggestMentors, "keys.suggestMentors", "foot.mentors", tabs: mentoring, when: .noOpenPair),
        b("c", .logCheckIn, "keys.logCheckIn", "foot.checkIn", tabs: mentoring, when: .openPair),
        b("g", .editProgramme, "keys.editProgramme", "foot.programme", tabs: mentoring, when: .openPair),
        b("X", .closePair, "keys.closePair", "foot.closePair", tabs: mentoring, when: .openPair),
        b("H", .concernHandled, "keys.concernHandled", tabs: mentoring),
        b("f", .logFollowUp, "keys.logFollowUp", "foot.followUp", tabs: followUp, when: .hire),
        b("x", .extraFollowUp, "keys.extraFollowUp", "foot.extra", tabs: followUp, when: .hire),
        b("R", .reschedule, "keys.reschedule", "foot.reschedule", tabs: followUp, when: .hire),
        b("P", .editPlan, "keys.editPlan", "foot.plan", tabs: followUp, when: .hire),
        b("H", .recordHire, "keys.recordHire", "foot.hire", tabs: followUp.union(jobs), when: .noHire),
        b("O", .recordOutcome, "keys.recordOutcome", "foot.outcome", tabs: followUp, when: .hire),
        b("w", .availability, "keys.availability", "foot.availability", tabs: jobs),
        b("i", .editInternship, "keys.editInternship", "foot.internship", tabs: jobs),
        b("I", .newInternship, "keys.newInternship", tabs: jobs),
        b("o", .rankedOpenings, "keys.rankedOpenings", "foot.openings", tabs: jobs),
        b("j ↓", .nextAction, "keys.moveAction", tabs: plan),
        b("k ↑", .previousAction, "keys.moveAction", tabs: plan),
        b("a", .addAction, "keys.addAction", "foot.add", tabs: plan),
        b("Enter e", .editAction, "keys.editAction", "foot.edit", tabs: plan),
        b("c", .completeAction, "keys.completeAction", "foot.done", tabs: plan),
        b("x", .dropAction, "keys.dropAction", tabs: plan),
        b("s", .referService, "keys.referService", "foot.refer", tabs: plan),
        b("r", .reviewPlan, "keys.reviewPlan", "foot.review", tabs: plan),
        b("A", .agreePlan, "keys.agreePlan", tabs: plan),
        b("p", .printPlan, "keys.printPlan", "foot.print", tabs: plan),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .form:
      return [
        b("Tab ↓", nil, "keys.nextField", "foot.nextField"),
        b("Shift-Tab ↑", nil, "keys.previousField"),
        b("Enter", nil, "keys.enterField"),
        b("0 1 2 3 4 5 6 7 8 9", nil, "keys.digitChoice"),
        b("← → Home End", nil, "keys.cursor"),
        b("Backspace Delete", nil, "keys.deleteChar"),
        b("Ctrl-U Ctrl-K Ctrl-W", nil, "keys.deleteText"),
        b("F4 Ctrl-O", nil, "keys.catalogPicker"),
        b("PgDn PgUp", nil, "keys.interviewPage"),
        b("Ctrl-N", nil, "keys.addEntry"),
        b("Ctrl-D", nil, "keys.removeEntry"),
        b("Ctrl-S F2", nil, "keys.save", "foot.save"),
        b("Esc", nil, "keys.cancelForm", "foot.cancel"),
      ]
    case .draft:
      // A draft form takes keys as the case forms do, without an interview's pages and entries.
      return of(.form).filter { !["keys.interviewPage", "keys.addEntry", "keys.removeEntry"].contains($0.label) }
    case .assessment:
      return [
        b("1 2 3 4", nil, "keys.answerBand", "foot.answer"),
        b("← → h l", nil, "keys.changeBand"),
        b("↓ ↑ j k Enter", nil, "keys.nextQuestion", "foot.question"),
        b("PgDn PgUp", nil, "keys.actionFieldPage"),
        b("Tab", nil, "keys.secondLanguage"),
        b("Shift-Tab", nil, "keys.swapLanguages"),
        b("r", nil, "keys.previewReport"),
        b("Ctrl-S F2", nil, "keys.saveAssessment", "foot.save"),
        b("Esc", nil, "keys.cancelAssessment", "foot.cancel"),
      ]
    case .groups:
      return [
        b("Enter", .open, "keys.openGroup", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastGroup"),
        b("G End", .last, "keys.firstLastGroup"),
        b("n", .newGroup, "keys.newGroup", "foot.newGroup"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .group:
      return [
        b("j ↓", .down, "keys.moveParticipant"),
        b("k ↑", .up, "keys.moveParticipant"),
        b("g Home", .first, "keys.firstLastParticipant"),
        b("G End", .last, "keys.firstLastParticipant"),
        b("w", .walkthrough, "keys.walkthrough", "foot.walkthrough"),
        b("a", .addParticipant, "keys.addParticipant", "foot.add"),
        b("d", .removeParticipant, "keys.removeParticipant"),
        b("t", .entryTest, "keys.entryTest", "foot.entryTest"),
        b("i", .practice, "keys.practice", "foot.practice"),
        b("v", .evaluation, "keys.evaluation", "foot.evaluation"),
        b("e", .editGroup, "keys.editGroup"),
        b("r", .groupReport, "keys.groupReport", "foot.report"),
        b("Enter", .open, "keys.openParticipant"),
        b("Esc q", .back, "keys.backToGroups", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .walkthrough:
      return [
        b("p", .present, "keys.attendance", "foot.attendance"),
        b("a", .absent, "keys.attendance"),
        b("x", .excused, "keys.attendance"),
        b("Space", .cycleAttendance, "keys.attendanceCycle"),
        b("j ↓", .down, "keys.moveParticipant"),
        b("k ↑", .up, "keys.moveParticipant"),
        b("g Home", .first, "keys.firstLastParticipant"),
        b("G End", .last, "keys.firstLastParticipant"),
        b("h ← [", .previousModule, "keys.module", "foot.module"),
        b("l → ]", .nextModule, "keys.module"),
        b("n", .participantNote, "keys.participantNote", "foot.participantNote"),
        b("D", .delivered, "keys.delivered", "foot.delivered"),
        b("c", .lessonPlan, "keys.lessonPlan", "foot.lessonPlan"),
        b("t", .entryTest, "keys.entryTestEvaluation"),
        b("v", .evaluation, "keys.entryTestEvaluation"),
        b("r", .groupReport, "keys.groupReport"),
        b("Esc q", .back, "keys.backToGroup", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .scoreSheet:
      return [
        b("1 2 3 4 5", nil, "keys.scoreAnswer", "foot.answer"),
        b("j k ↓ ↑ Tab Shift-Tab", nil, "keys.nextQuestion", "foot.question"),
        b("Backspace", nil, "keys.scoreClear"),
        b("Ctrl-S F2", nil, "keys.save", "foot.save"),
        b("Esc", nil, "keys.cancelForm", "foot.cancel"),
      ]
    case .pairs:
      return [
        b("Enter", .open, "keys.openPairCase", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("s", .pairSort, "keys.pairSort", "foot.sort"),
        b("r", .mentoringReport, "keys.mentoringReport", "foot.report"),
        b("R", .reload, "keys.reload"),
        b("Tab Shift-Tab", .switchList, "keys.pairsMentors", "foot.mentorsTab"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .mentors:
      return [
        b("Enter e", .editMentor, "keys.editMentor", "foot.edit"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("n", .newMentor, "keys.newMentor", "foot.newMentor"),
        b("R", .reload, "keys.reload"),
        b("Tab Shift-Tab", .switchList, "keys.pairsMentors", "foot.pairsTab"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .suggestions:
      return [
        b("Enter", .confirmMentor, "keys.confirmMentor", "foot.confirmMentor"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("Esc q", .back, "keys.backToCase", "foot.back"),
      ]
    case .mentees:
      return [
        b("c", .logCheckIn, "keys.logCheckIn", "foot.checkIn"),
        b("Enter", .open, "keys.openMentee", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("R", .reload, "keys.reload"),
        b(":", .command, "keys.command"),
        b("q", .quit, "keys.quit", "foot.quit"),
      ]
    case .mentee:
      return [
        b("c", .logCheckIn, "keys.logCheckIn", "foot.checkIn"),
        b("j ↓", .down, "keys.scroll"),
        b("k ↑", .up, "keys.scroll"),
        b("R", .reload, "keys.reload"),
        b(":", .command, "keys.command"),
        b("Esc q", .back, "keys.backToMentees", "foot.back"),
      ]
    case .calendar:
      return [
        b("Enter", .open, "keys.calOpen", "foot.open"),
        b("f", .logFollowUp, "keys.logFollowUp", "foot.followUp"),
        b("h ←", .previousDay, "keys.calDay", "foot.day"),
        b("l →", .nextDay, "keys.calDay"),
        b("j ↓", .down, "keys.calWeek", "foot.week", when: .monthView),
        b("k ↑", .up, "keys.calWeek", when: .monthView),
        b("j ↓", .down, "keys.move", "foot.item", when: .agendaView),
        b("k ↑", .up, "keys.move", when: .agendaView),
        b("] J PgDn", .nextMonth, "keys.calMonth", "foot.month"),
        b("[ K PgUp", .previousMonth, "keys.calMonth"),
        b("t Home", .today, "keys.calToday", "foot.today"),
        b("a v", .switchView, "keys.calMode", "foot.view"),
        b("Tab", .switchFocus, "keys.calFocus", when: .monthView),
        b("m", .mine, "keys.calMine"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .report:
      return [
        b("j ↓", .down, "keys.scroll", "foot.scroll"),
        b("k ↑", .up, "keys.scroll"),
        b("PgDn Space", .pageDown, "keys.page", "foot.page"),
        b("PgUp", .pageUp, "keys.page"),
        b("g Home", .first, "keys.topBottom"),
        b("G End", .last, "keys.topBottom"),
        b("p Tab", .period, "keys.reportPeriod", "foot.period"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .employers:
      return [
        b("Enter e", .editRecord, "keys.editEmployer", "foot.edit"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("n", .newRecord, "keys.newEmployer", "foot.new"),
        b("o", .newOpening, "keys.newOpeningHere", "foot.newOpening"),
        b("a", .showAll, "keys.showInactive"),
        b("Tab", .nextTab, "keys.jobsTabs", "foot.jobsTab"),
        b("Shift-Tab", .previousTab, "keys.jobsTabs"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .openings:
      return [
        b("Enter", .open, "keys.candidates", "foot.candidates"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("n", .newRecord, "keys.newOpening", "foot.new"),
        b("e", .editRecord, "keys.editOpening", "foot.edit"),
        b("a", .showAll, "keys.showClosed"),
        b("Tab", .nextTab, "keys.jobsTabs", "foot.jobsTab"),
        b("Shift-Tab", .previousTab, "keys.jobsTabs"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .fairs:
      return [
        b("Enter", .open, "keys.openFair", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("n", .newRecord, "keys.newFair", "foot.new"),
        b("e", .editRecord, "keys.editFair", "foot.edit"),
        b("Tab", .nextTab, "keys.jobsTabs", "foot.jobsTab"),
        b("Shift-Tab", .previousTab, "keys.jobsTabs"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .candidates:
      return [
        b("h", .makeHire, "keys.hireCandidate", "foot.hire"),
        b("i", .makeInternship, "keys.internshipCandidate", "foot.internship"),
        b("Enter", .open, "keys.openCandidate", "foot.open"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("Ctrl-R F5", .reload, "keys.rerank"),
        b("Esc q", .back, "keys.backToOpenings", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .fair:
      return [
        b("a", .register, "keys.register", "foot.register"),
        b("Enter e", .editRecord, "keys.fairResult", "foot.result"),
        b("d", .unregister, "keys.unregister"),
        b("o", .openCase, "keys.openRegistered"),
        b("E", .editFair, "keys.editFair"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToFairs", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .services:
      return [
        b("Enter e", .editRecord, "keys.editService", "foot.edit"),
        b("j ↓", .down, "keys.move"),
        b("k ↑", .up, "keys.move"),
        b("g Home", .first, "keys.firstLastItem"),
        b("G End", .last, "keys.firstLastItem"),
        b("/", .search, "keys.searchServices", "foot.search"),
        b("x", .clearSearch, "keys.clearServiceSearch"),
        b("n", .newRecord, "keys.newService", "foot.new"),
        b("a", .showAll, "keys.showInactiveServices"),
        b("Ctrl-R F5", .reload, "keys.reload"),
        b("Esc q", .back, "keys.backToList", "foot.back"),
        b(":", .command, "keys.command"),
      ]
    case .noteEditor:
      return [
        b("← → ↑ ↓ Home End", nil, "keys.cursor"),
        b("Enter", nil, "keys.newline"),
        b("Backspace Delete", nil, "keys.deleteChar"),
        b("Ctrl-U Ctrl-K Ctrl-W", nil, "keys.deleteText"),
        b("Ctrl-S F2", nil, "keys.save", "foot.save"),
        b("Esc", nil, "keys.cancelNote", "foot.cancel"),
      ]
    }
  }

  /// Keys every screen has, shown at the end of help.
  static let global: [KeyBinding] = [
    b("? F1", nil, "keys.help", "foot.help"),
    b("Ctrl-L", nil, "keys.repaint"),
    b("Ctrl-C", nil, "keys.quitAsk"),
  ]

  static let commands: [KeyBinding] = [
    b(":open K-2026-0042", nil, "keys.cmdOpen"),
    b(":new", nil, "keys.cmdNew"),
    b(":filter stage=matching", nil, "keys.cmdFilter"),
    b(":sort name desc", nil, "keys.cmdSort"),
    b(":groups :pairs :mentors", nil, "keys.cmdScreens"),
    b(":employers :openings :fairs :jobs", nil, "keys.cmdJobs"),
    b(":services", nil, "keys.cmdServices"),
    b(":calendar :agenda", nil, "keys.cmdCalendar"),
    b(":q", nil, "keys.quit"),
  ]

  /// README's key tables, printed from the tables above.
  public static func markdown(_ strings: Strings) -> String {
    var out = ""
    for screen in ScreenKind.allCases {
      out += "### \(strings("screen.\(screen.rawValue)"))\n\n| Keys | Action |\n|---|---|\n"
      // Rows per tab set, so the case file says where each key works.
      var bindings = of(screen)
      while !bindings.isEmpty {
        let tabs = bindings[0].tabs
        let run = Array(bindings.prefix { $0.tabs == tabs })
        bindings.removeFirst(run.count)
        for row in rows(run) {
          var action = strings(row.label)
          if let tabs, screen == .caseFile {
            action += " (" + CaseTab.allCases.filter(tabs.contains).map { strings("tab.\($0.rawValue)") }.joined(separator: ", ") + ")"
          }
          out += "| `\(row.shown)` | \(action) |\n"
        }
      }
      out += "\n"
    }
    out += "### \(strings("keys.everywhere"))\n\n| Keys | Action |\n|---|---|\n"
    for row in rows(global + commands) { out += "| `\(row.shown)` | \(strings(row.label)) |\n" }
    return out
  }
}

extension AppState {
  /// The footer: the keys that work here, in the table's order, as many as fit, help last.
  func footerText() -> String {
    if isTooSmall { return "" }
    let tab = activeScreen == .caseFile ? caseFile?.tab : nil
    var parts = KeyBindings.rows(KeyBindings.shown(on: activeScreen, tab: tab, holds: holds)).compactMap { row -> String? in
      guard let footer = row.footer else { return nil }
      // A score sheet's digits: as many as the question in focus has answers.
      if row.label == "keys.scoreAnswer", let sheet = scoreSheet, sheet.rows.indices.contains(sheet.cursor) {
        return "1-\(sheet.rows[sheet.cursor].options.count) \(strings(footer))"
      }
      return "\(Self.footerKeys(row)) \(strings(footer))"
    }
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

  /// Whether a binding's condition holds now.
  func holds(_ condition: KeyCondition) -> Bool {
    let d = caseFile?.stored.document
    switch condition {
    case .hire: return d?.placement.hires.last != nil
    case .noHire: return d?.placement.hires.last == nil || d?.placement.hires.last?.outcome != nil
    case .openPair: return d?.openPair != nil
    case .noOpenPair: return d?.openPair == nil
    case .monthView: return calendar?.mode != .agenda
    case .agendaView: return calendar?.mode == .agenda
    }
  }

  /// A row's keys as the footer shows them: one binding's first two keys ("Enter/l"), or the
  /// first key of each binding of the row ("h/l").
  static func footerKeys(_ row: KeyRow) -> String {
    if row.shown.hasPrefix("1…9") { return "1-9" }
    let tokens = row.shown.split(separator: " ")
    if tokens.count > 2, tokens.allSatisfy({ $0.count == 1 && $0.first!.isNumber }) { return "\(tokens.first!)-\(tokens.last!)" }
    if row.footerKeys.contains("/") { return row.footerKeys }
    return tokens.prefix(tokens.count > 2 && tokens[0].count == 1 ? 1 : 2).joined(separator: "/")
  }

}
