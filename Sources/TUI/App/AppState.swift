import Casework
import CaseStore
import Foundation

/// A one-line message in the status bar until the next key.
public struct StatusMessage: Sendable, Equatable {
  public enum Kind: Sendable { case info, success, error }
  public var kind: Kind
  public var text: String
}

/// Everything on screen, as a value. `update` turns a key into a new state plus effects;
/// `render` draws the state into a cell buffer. Neither does I/O.
public struct AppState: Sendable {
  public let strings: Strings
  /// Catalogs, interview questions and screening rules.
  public let content: CaseworkContent
  public let user: String
  public let today: LocalDate
  /// The rules the store lists with, so a saved case's summary matches the listed ones.
  public let rules: any CaseRules
  /// The parts of a case the signed-in user's role may see; decides the case file's tabs.
  public let sections: Set<CaseSection>
  /// Whether the signed-in user's role adds and edits case files (a trainer's does not): the
  /// intake form is then not offered, rather than refused after it was filled in.
  public var mayEditCases = true
  public var rows: Int
  public var columns: Int

  public var list: CaseList
  public var caseFile: CaseFileState?
  public var form: CaseForm?
  public var noteEditor: NoteEditorState?
  /// The skills self-assessment being answered.
  public var assessment: AssessmentState?
  /// Training groups and mentors as last read.
  public var records = RecordCache()
  /// The trainer's screens, while open.
  public var groups: GroupsState?
  /// An entry test or closing evaluation being filled in.
  public var scoreSheet: ScoreSheet?
  /// The coordinator's pairs and mentors, while open.
  public var mentoring: MentoringState?
  /// Mentors ranked for a case.
  public var suggestions: SuggestionsState?
  /// A form over a group, mentor, pair, check-in or participant's part 3.
  public var draft: DraftSession?
  /// Mentor mode: the mentor's own mentees (the only screen then).
  public var mentorDesk: MentorDesk?
  /// The calendar (month view or agenda), while open.
  public var calendar: CalendarState?
  /// The chain report, while open.
  public var report: ReportState?
  /// The job counsellor's employers, openings and fairs, while open.
  public var jobs: JobsState?
  /// A hire or internship to fill in from an opening once its case has been read.
  var pendingPlacement: PendingPlacement?
  /// The local services guide, while open.
  public var services: ServicesState?
  /// The plan action to select when the case being opened arrives (from a calendar entry).
  var pendingPlanAction: String?
  /// A new goal's words, typed before its first action's form: used when that action is saved.
  var pendingGoalTitle: (kind: PlanGoal.Kind, title: String)?
  /// The user said yes to marking a module given off the group's days.
  var deliveryConfirmed = false
  /// A follow-up to log once its case has been read (from a calendar entry).
  var pendingFollowUp: PendingFollowUp?
  /// The tab to show when the case being opened arrives.
  public var pendingTab: CaseTab?
  /// The case whose mentor suggestions open once the registry has been read again.
  public var pendingSuggestions: CaseID?
  public var overlay: Overlay?
  /// The `:` command line or the `/` search prompt while open.
  public var prompt: Prompt?
  /// The last search, for `n` and `N`.
  public var lastSearch = ""
  public var status: StatusMessage?
  public private(set) var isRunning = true
  /// The clock for timestamps of notes and saves (tests pin it).
  public var now: @Sendable () -> Date = { Date() }

  public static let minimumRows = 24
  public static let minimumColumns = 80

  public init(
    strings: Strings, content: CaseworkContent, user: String, today: LocalDate,
    rules: any CaseRules, sections: Set<CaseSection> = Set(CaseSection.allCases), rows: Int = 24, columns: Int = 80
  ) {
    self.sections = sections
    self.strings = strings
    self.content = content
    self.rules = rules
    self.user = user
    self.today = today
    self.rows = rows
    self.columns = columns
    list = CaseList(today: today, user: user)
  }

  public var isTooSmall: Bool { rows < Self.minimumRows || columns < Self.minimumColumns }

  /// True when leaving now would lose typed changes.
  public var hasUnsavedEdits: Bool {
    (form?.isDirty ?? false) || (noteEditor?.isDirty ?? false) || (assessment?.isDirty ?? false)
      || (draft?.form.isDirty ?? false) || (scoreSheet?.isDirty ?? false)
  }

  /// The screen keys go to and help describes.
  public var activeScreen: ScreenKind {
    if noteEditor != nil { return .noteEditor }
    if assessment != nil { return .assessment }
    if draft != nil { return .draft }
    if scoreSheet != nil { return .scoreSheet }
    if form != nil { return .form }
    if suggestions != nil { return .suggestions }
    if caseFile != nil { return .caseFile }
    if calendar != nil { return .calendar }
    if report != nil { return .report }
    if services != nil { return .services }
    if let j = jobs {
      if j.candidates != nil { return .candidates }
      if j.fair != nil { return .fair }
      switch j.tab {
      case .employers: return .employers
      case .openings: return .openings
      case .fairs: return .fairs
      }
    }
    if let desk = mentorDesk { return desk.detail ? .mentee : .mentees }
    if let m = mentoring { return m.tab == .pairs ? .pairs : .mentors }
    if let g = groups { return g.open == nil ? .groups : (g.open!.walking ? .walkthrough : .group) }
    return .list
  }

  // MARK: Update

  public mutating func update(_ event: Event) -> [Effect] {
    let effects = handle(event)
    return effects + historyRequest()
  }

  public mutating func apply(_ result: EffectResult) -> [Effect] {
    let effects = applyResult(result)
    return effects + historyRequest()
  }

  /// Reads the journal for the case file when its History tab shows and has not read it yet.
  private mutating func historyRequest() -> [Effect] {
    guard let file = caseFile, file.tab == .history, file.journal == nil, !file.historyRequested else { return [] }
    caseFile!.historyRequested = true
    return [.loadHistory(file.stored.id)]
  }

  private mutating func handle(_ event: Event) -> [Effect] {
    switch event {
    case .resize(let r, let c):
      rows = r
      columns = c
      if report != nil && report!.width != c { rebuildReport() }
      return []
    case .tick:
      return []
    case .key(let key):
      // Nothing reaches a screen that isn't shown: while the window is too small, keys wait
      // (Ctrl-C still quits when nothing is unsaved).
      if isTooSmall {
        if key == .control("c"), !hasUnsavedEdits { isRunning = false }
        return []
      }
      if overlay == nil, prompt == nil { status = nil }
      if key == .control("c") {
        requestQuit()
        return []
      }
      if overlay != nil { return handleOverlay(key) }
      if prompt != nil { return handlePrompt(key) }
      if key == .function(1) || (key == .character("?") && !isTyping) {
        openHelp()
        return []
      }
      // A command screen gets the action its keymap binds the key to (on the case file, on the
      // tab shown); a key its table does not bind says so instead of doing something unlisted.
      if KeyBindings.isCommandScreen(activeScreen) {
        let tab = activeScreen == .caseFile ? caseFile?.tab : nil
        guard let action = KeyBindings.binding(for: key, on: activeScreen, tab: tab, holds: holds)?.action else {
          if activeScreen == .caseFile, caseFile?.stored.isPartial == true {
            showError(strings("case.partial"))
          } else {
            showInfo(strings("keys.nothingHere", Self.keyName(key)))
          }
          return []
        }
        return perform(action, key: key)
      }
      switch activeScreen {
      case .noteEditor: return handleNoteEditor(key)
      case .assessment: return handleAssessment(key)
      case .draft: return handleDraft(key)
      case .scoreSheet: return handleScoreSheet(key)
      default: return handleForm(key)
      }
    }
  }

  /// Help for the screen shown: the keys that work here and now, as the footer chooses them
  /// (the tab, conditions such as a hire), without an interview's keys on other forms.
  mutating func openHelp() {
    var bindings = KeyBindings.shown(on: activeScreen, tab: activeScreen == .caseFile ? caseFile?.tab : nil, holds: holds)
    if activeScreen == .form, let f = form {
      // Page and entry keys belong to interviews; entries only to the pages that list them.
      var omitted: Set<String> = ["keys.addEntry", "keys.removeEntry"]
      if case .interview = f.purpose {
        if f.entryList != nil { omitted = [] }
      } else {
        omitted.insert("keys.interviewPage")
      }
      bindings.removeAll { omitted.contains($0.label) }
    }
    overlay = .help(HelpState(screen: activeScreen, bindings: bindings, title: screenTitle))
  }

  /// Runs a command screen's action.
  mutating func perform(_ action: KeyAction, key: Key) -> [Effect] {
    switch activeScreen {
    case .suggestions: return handleSuggestions(action)
    case .caseFile: return handleCaseFile(action, key: key)
    case .calendar: return handleCalendar(action)
    case .report: return handleReport(action)
    case .mentees, .mentee: return handleMentorDesk(action)
    case .pairs, .mentors: return handleMentoring(action)
    case .groups, .group, .walkthrough: return handleGroups(action)
    case .employers, .openings, .fairs, .candidates, .fair: return handleJobs(action)
    case .services: return handleServices(action)
    default: return handleList(action)
    }
  }

  /// A key as messages name it.
  static func keyName(_ key: Key) -> String {
    switch key {
    case .character(" "): "Space"
    case .character(let c): String(c)
    case .control(let c): "Ctrl-" + c.uppercased()
    case .enter: "Enter"
    case .escape: "Esc"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .function(let n): "F\(n)"
    }
  }

  /// True when printable keys are text for a field rather than commands.
  var isTyping: Bool {
    if noteEditor != nil { return true }
    if let draft {
      let rows = draft.form.rows
      return rows.indices.contains(draft.form.focus) && rows[draft.form.focus].isTyped
    }
    if let form { return form.focusedFieldIsText }
    return false
  }

  /// Closes the list-level screens (groups, pairs, calendar, report, jobs, services) before
  /// another opens: one is open at a time.
  mutating func closeScreens() {
    (groups, mentoring, calendar, report, jobs, services) = (nil, nil, nil, nil, nil, nil)
  }

  /// Quits now, or asks first when there are unsaved edits.
  mutating func requestQuit() {
    if hasUnsavedEdits {
      overlay = .confirm(ConfirmDialog(question: strings("confirm.quitUnsaved"), action: .quit))
    } else {
      isRunning = false
    }
  }

  mutating func quitNow() { isRunning = false }

  mutating func showError(_ text: String) { status = StatusMessage(kind: .error, text: text) }
  mutating func showInfo(_ text: String) { status = StatusMessage(kind: .info, text: text) }
  mutating func showSuccess(_ text: String) { status = StatusMessage(kind: .success, text: text) }

  // MARK: Effect results

  /// Another session's saves: rows of the list, the open case file unless it is being edited
  /// (then a warning: saving will meet the conflict dialog), and the records.
  private mutating func applyChangesElsewhere(updated: [StoredCase], gone: [CaseID], records: Bool) -> [Effect] {
    for stored in updated { list.upsert(CaseSummary(document: stored.document, rules: rules), select: false) }
    for id in gone { list.remove(id) }
    if let file = caseFile {
      if gone.contains(file.stored.id) {
        showError(strings("live.gone", file.stored.id.rawValue))
      } else if let stored = updated.first(where: { $0.id == file.stored.id }), stored.revision > file.stored.revision {
        let by = stored.document.updatedBy
        if hasUnsavedEdits {
          showError(strings("live.savedWhileEditing", by, String(stored.revision)))
        } else {
          caseFile!.stored = stored
          caseFile!.journal = nil
          caseFile!.historyRequested = false
          showInfo(strings("live.updated", by, String(stored.revision)))
        }
      }
    }
    if !updated.isEmpty || !gone.isEmpty {
      rebuildCalendar()
      rebuildReport()
    }
    return (records ? [.loadRecords] : []) + historyRequest()
  }

  private mutating func applyResult(_ result: EffectResult) -> [Effect] {
    switch result {
    case .historyLoaded(let id, let entries):
      if caseFile?.stored.id == id { caseFile!.journal = entries }
    case .changedElsewhere(let updated, let gone, let records):
      return applyChangesElsewhere(updated: updated, gone: gone, records: records)
    case .listed(let listing):
      list.load(listing)
      rebuildCalendar()
      rebuildReport()
      if !listing.damaged.isEmpty {
        showError(strings.plural("list.damagedWarning", listing.damaged.count))
      }
    case .opened(let stored):
      if let pending = pendingFollowUp, pending.caseID == stored.id {
        pendingFollowUp = nil
        openFollowUpDraft(stored, hire: pending.hire, meeting: pending.meeting)
        return []
      }
      if let pending = pendingPlacement, pending.caseID == stored.id {
        pendingPlacement = nil
        openPendingPlacement(pending, stored)
        return []
      }
      caseFile = CaseFileState(stored: stored, rules: rules)
      if let tab = pendingTab { caseFile!.tab = tab }
      pendingTab = nil
      if let action = pendingPlanAction, let i = stored.document.actionPlan?.actions.firstIndex(where: { $0.action.id == action }) {
        caseFile!.planSelection = i
      }
      pendingPlanAction = nil
      if !visibleTabs.contains(caseFile!.tab), let first = visibleTabs.first { caseFile!.tab = first }
      if stored.isReadOnly {
        showError(strings("case.readOnly", String(stored.document.schemaVersion)))
      } else if let from = stored.migratedFrom {
        showInfo(strings("case.migrated", String(from)))
      }
    case .created(let stored):
      form = nil
      caseFile = CaseFileState(stored: stored, rules: rules)
      list.upsert(caseFile!.summary)
      showSuccess(strings("form.created", stored.id.rawValue))
    case .saved(let stored, let purpose):
      if caseFile == nil, calendar != nil || jobs != nil, case .draft(let key) = purpose {
        // Logged from the calendar, or a hire or internship from an opening's candidates: back
        // there, with the entry gone or the candidates ranked again.
        draft = nil
        list.upsert(CaseSummary(document: stored.document, rules: rules))
        rebuildCalendar()
        showSuccess(strings(key, String(stored.revision)))
        let placed = placementEffects(stored, key)
        if let c = jobs?.candidates { return placed + [.loadCandidates(c.openingID)] }
        return placed
      }
      if caseFile != nil { caseFile!.stored = stored } else { caseFile = CaseFileState(stored: stored, rules: rules) }
      list.upsert(caseFile!.summary)
      switch purpose {
      case .form:
        let purpose = form?.purpose
        form = nil
        switch purpose {
        case .interview(let page)?:
          caseFile!.tab = .screening
          let complete = page.phase == 1
            ? content.screening.isPhase1Complete(stored.document.screening.factual)
            : stored.document.openAmbitionScreening == nil
          showSuccess(strings(complete ? "interview.savedComplete" : "interview.savedPaused", String(stored.revision)))
        case .consent?:
          caseFile!.tab = .screening
          showSuccess(strings("consent.saved", String(stored.revision)))
        default:
          showSuccess(strings("form.saved", stored.id.rawValue, String(stored.revision)))
        }
      case .quick(let key):
        showSuccess(strings(key, String(stored.revision)))
      case .draft(let key):
        caseFile!.tab = draft?.purpose.caseTab ?? .mentoring
        draft = nil
        rebuildCalendar()
        showSuccess(strings(key, String(stored.revision)))
        if key == "plan.added", let actions = stored.document.actionPlan?.actions {
          // The new action is the selected one.
          let newest = actions.indices.max { Int(actions[$0].action.id.dropFirst()) ?? 0 < Int(actions[$1].action.id.dropFirst()) ?? 0 }
          caseFile!.planSelection = newest ?? 0
        }
        if mentoring != nil { return [.loadPairs] }
        return placementEffects(stored, key)
      case .assessment:
        assessment = nil
        caseFile!.tab = .screening
        showSuccess(strings("assessment.saved", String(stored.revision)))
      case .note:
        noteEditor = nil
        caseFile!.tab = .notes
        caseFile!.noteSelection = max(0, stored.document.notes.count - 1)
        showSuccess(strings("note.saved"))
      }
    case .reloaded(let stored, let purpose):
      return applyReload(stored, purpose: purpose)
    case .exported(let stored, let path):
      caseFile?.stored = stored
      showSuccess(strings("export.written", path))
    case .exportFailed(let stored, let message):
      if let stored { caseFile?.stored = stored }
      showError(strings(stored == nil ? "export.failed" : "export.failedLogged", message))
    case .recordsLoaded(let fresh, let damaged):
      // The calendar and the report count the groups: worked out again only when they changed.
      let groupsChanged = !records.loaded || records.groups.map(\.record) != fresh.groups.map(\.record)
      records = fresh
      if !damaged.isEmpty { showError(strings.plural("records.damaged", damaged.count, damaged[0].file)) }
      // An open form or sheet saves on top of the versions just read (after a conflict).
      draft?.rebase(on: records)
      if groupsChanged {
        rebuildCalendar()
        rebuildReport()
      }
      if let sheet = scoreSheet, let fresh = records.groups.first(where: { $0.id == sheet.group.id }) { scoreSheet!.group = fresh }
      if let id = pendingSuggestions, let stored = caseFile?.stored, stored.id == id { openSuggestions(stored) }
      pendingSuggestions = nil
    case .groupSaved(let saved, let message):
      records.store(saved)
      if case .newGroup? = draft?.purpose {
        groups?.open = GroupScreen(id: saved.id)
      }
      draft = nil
      if scoreSheet?.group.id == saved.id { scoreSheet = nil }
      showSuccess(strings(message, String(saved.revision)))
    case .mentorSaved(let saved):
      records.store(saved)
      draft = nil
      if let i = records.mentors.firstIndex(where: { $0.id == saved.id }) { mentoring?.mentorSelection = i }
      showSuccess(strings("mentor.saved", saved.id, String(saved.revision)))
    case .pairsLoaded(let documents):
      mentoring?.documents = documents
      mentoring?.loaded = true
    case .menteesLoaded(let found):
      mentorDesk?.mentees = found.views
      mentorDesk?.unreadable = found.unreadable
      mentorDesk?.damagedElsewhere = found.damagedElsewhere
      mentorDesk?.loaded = true
    case .candidatesLoaded(let opening, let pool):
      candidatesLoaded(opening, pool)
    case .jobRecordSaved(let saved):
      jobRecordSaved(saved)
    case .openingPlaced(let placed):
      if let placed {
        records.store(placed)
        let o = placed.record
        showSuccess(strings(o.open ? "opening.placeTaken" : "opening.filled", o.title, String(o.taken), String(o.places)))
      }
    case .checkInLogged(let view):
      draft = nil
      if let i = mentorDesk?.mentees.firstIndex(where: { $0.caseID == view.caseID }) { mentorDesk?.mentees[i] = view }
      let h = PairHealth(view.pair, programme: content.mentoring, today: today)
      showSuccess(strings("checkIn.logged", view.displayName, strings.date(h.dueOn)))
    case .failed(let error, let effect):
      return handleFailure(error, during: effect)
    }
    return []
  }

  private mutating func handleFailure(_ error: StoreError, during effect: Effect) -> [Effect] {
    if case .loadRecords = effect, !records.loaded { records.failure = error.description }
    switch (error, effect) {
    case (.conflict(_, _, _, let by, let at), .save(_, let base, .draft)):
      // Someone saved the case meanwhile: read it again and keep the form; Ctrl-S saves it on top.
      showError(strings("draft.conflict", by, Timestamp.format(at)))
      return [.reload(base.id, purpose: .reapply)]
    case (.recordConflict(_, _, _, _, let by, let at), _):
      // Someone saved this group or mentor meanwhile: read again; an open form stays open.
      showError(strings("records.conflict", by, Timestamp.format(at)))
      return [.loadRecords]
    case (.conflict(_, _, let stored, let by, let at), .save(_, let base, _)):
      overlay = .conflict(
        ConflictDialog(
          id: base.id,
          message: strings("conflict.message", base.id.rawValue, String(stored), by, Timestamp.format(at))))
    case (.invalid(let issues), .save(_, _, .form)), (.invalid(let issues), .create):
      form?.show(issues)
      let shown = issues.filter { issue in form?.index(of: issue.path) != nil }
      if shown.count < issues.count, let other = issues.first(where: { form?.index(of: $0.path) == nil }) {
        // A problem outside this page (e.g. in an earlier interview section).
        showError(strings("form.invalidElsewhere", strings.fieldName(other.path), strings.problem(other.problem)))
      } else {
        showError(strings.plural("form.invalid", issues.count))
      }
    case (.notFound(let id), .open), (.notFound(let id), .reload):
      showError(strings("error.notFound", id.rawValue))
    case (.invalid(let issues), .save(_, _, .draft)), (.invalid(let issues), .saveGroup), (.invalid(let issues), .saveMentor),
      (.invalid(let issues), .logCheckIn), (.invalid(let issues), .saveEmployer), (.invalid(let issues), .saveOpening),
      (.invalid(let issues), .saveFair), (.invalid(let issues), .saveService):
      let elsewhere = draft?.form.show(issues) ?? issues
      if let other = elsewhere.first {
        showError(strings("form.invalidElsewhere", strings.fieldName(other.path), strings.problem(other.problem)))
      } else {
        showError(strings.plural("form.invalid", issues.count))
      }
    default:
      showError(error.description)
    }
    return []
  }
}

/// Which screen has the keys.
public enum ScreenKind: String, Sendable, CaseIterable {
  case list, caseFile, form, noteEditor, assessment
  case groups, group, walkthrough, scoreSheet, pairs, mentors, suggestions, draft, mentees, mentee, calendar, report
  case employers, openings, fairs, candidates, fair, services
}

