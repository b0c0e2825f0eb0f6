import TextCells
import Casework
import CaseStore

extension AppState {
  /// Draws the whole screen; returns where the terminal cursor goes (nil hides it).
  @discardableResult
  public func render(into buffer: inout ScreenBuffer) -> (row: Int, column: Int)? {
    if isTooSmall {
      let lines = [
        strings("tooSmall.line1"),
        strings("tooSmall.line2", String(columns), String(rows), String(Self.minimumColumns), String(Self.minimumRows)),
      ]
      for (i, line) in lines.enumerated() {
        let w = TextWidth.width(of: line)
        buffer.put(line, row: rows / 2 - 1 + i, column: max(0, (columns - w) / 2), style: i == 0 ? .error : .plain)
      }
      return nil
    }
    // Title bar.
    buffer.fill(row: 0, style: .statusBar)
    buffer.put(" Keten · \(screenTitle)", row: 0, column: 0, style: Style(bold: true, reverse: true))
    let who = "\(user) · \(strings.date(today)) "
    buffer.put(who, row: 0, column: columns - TextWidth.width(of: who), style: .statusBar)

    var cursor: (row: Int, column: Int)?
    switch activeScreen {
    case .list:
      renderList(into: &buffer)
    case .caseFile:
      renderCaseFile(into: &buffer)
    case .form:
      cursor = renderForm(into: &buffer)
    case .noteEditor:
      renderCaseFile(into: &buffer)
      cursor = renderNoteEditor(into: &buffer)
    case .assessment:
      renderAssessment(into: &buffer)
    case .draft:
      cursor = renderDraft(into: &buffer)
    case .scoreSheet:
      renderScoreSheet(into: &buffer)
    case .suggestions:
      renderSuggestions(into: &buffer)
    case .pairs, .mentors:
      renderMentoring(into: &buffer)
    case .groups, .group, .walkthrough:
      renderGroups(into: &buffer)
    case .mentees, .mentee:
      renderMentorDesk(into: &buffer)
    case .calendar:
      renderCalendar(into: &buffer)
    case .report:
      renderReport(into: &buffer)
    case .employers, .openings, .fairs, .candidates, .fair:
      renderJobs(into: &buffer)
    case .services:
      renderServices(into: &buffer)
    }

    // Key hints and status line.
    buffer.fill(row: rows - 2, style: .plain)
    buffer.put(footerText(), row: rows - 2, column: 1, width: columns - 2, style: .hint)
    buffer.fill(row: rows - 1, style: .statusBar)
    if let status {
      let style: Style
      switch status.kind {
      case .error: style = Style(foreground: .red, bold: true, reverse: true)
      case .success: style = Style(foreground: .green, bold: true, reverse: true)
      case .info: style = .statusBar
      }
      // A message too long for one line takes the footer's line too, rather than losing its end.
      let lines = TextWidth.width(of: status.text) > columns - 2 ? wrap(status.text, width: columns - 2) : [status.text]
      if lines.count > 1 {
        buffer.fill(row: rows - 2, style: style)
        buffer.put(" " + lines[0], row: rows - 2, column: 0, width: columns, style: style)
        buffer.put(" " + lines.dropFirst().joined(separator: " "), row: rows - 1, column: 0, width: columns, style: style)
      } else {
        buffer.put(" " + status.text, row: rows - 1, column: 0, width: columns, style: style)
      }
    } else {
      buffer.put(" " + statusText(), row: rows - 1, column: 0, width: columns, style: .statusBar)
    }
    if let at = renderPrompt(into: &buffer) { cursor = at }
    if overlay != nil {
      buffer.beginOverlay()
      renderOverlay(into: &buffer)
      if case .help(let help) = overlay {
        let label = TextWidth.width(of: strings("help.filter"))
        let left = (columns - min(columns - 4, 76)) / 2
        cursor = (2, left + 3 + label + TextWidth.width(of: help.filter.text))
      } else {
        cursor = nil
      }
    }
    return cursor
  }

  /// The name of the screen shown, as the title bar and help say it.
  var screenTitle: String {
    if activeScreen == .form {
      switch form?.purpose {
      case .interview?: return strings("screen.interview")
      case .consent?: return strings("screen.consent")
      default: break
      }
    }
    if activeScreen == .draft { return draftScreenTitle }
    if let sheet = scoreSheet, activeScreen == .scoreSheet {
      return strings(sheet.kind == .entryTest ? "screen.entryTest" : "screen.evaluation")
    }
    return strings("screen.\(activeScreen.rawValue)")
  }

  func statusText() -> String {
    switch activeScreen {
    case .list: return listStatusText()
    case .caseFile, .noteEditor:
      guard let d = caseFile?.stored.document else { return "" }
      return strings("case.status", d.id.rawValue, String(d.revision), d.updatedBy, strings.moment(d.updatedAt))
    case .form:
      guard let f = form else { return "" }
      let changed = f.fields.filter(\.isDirty).count + f.carried.count
      let problems = f.fields.filter { $0.problem != nil }.count
      return strings("form.status", strings.plural("form.changed", changed), strings.plural("form.problems", problems))
    case .assessment:
      guard let a = assessment else { return "" }
      return strings("assessment.status", String(a.answered), String(a.profile.questions.count))
    case .draft:
      guard let d = draft else { return "" }
      let rows = d.form.rows
      return strings(
        "form.status", strings.plural("form.changed", rows.filter(\.isDirty).count),
        strings.plural("form.problems", rows.filter { $0.problem != nil }.count))
    case .scoreSheet, .suggestions:
      return ""
    case .groups:
      return strings("groups.status", strings.number(records.groups.count))
    case .group, .walkthrough:
      guard let g = openGroup else { return "" }
      return strings("group.status", g.id, String(g.revision), g.record.updatedBy, Timestamp.format(g.record.updatedAt))
    case .pairs, .mentors:
      guard let m = mentoring else { return "" }
      let rows = pairRows(m)
      return strings("pairs.status", strings.number(rows.count), strings.number(rows.filter(\.health.isOverdue).count), strings.number(records.mentors.count))
    case .mentees, .mentee:
      return strings("mentees.status", strings.number(mentorDesk?.mentees.count ?? 0))
    case .calendar:
      guard let c = calendar else { return "" }
      return strings("calendar.status", strings.number(c.overdue.count), strings.number(c.agenda.between(today, today.adding(days: 6)).count))
    case .report:
      return strings("report.status", strings.number(report?.report?.cases ?? 0))
    case .employers, .openings, .fairs, .candidates, .fair:
      return jobsStatusText
    case .services:
      return strings("services.status", strings.number(shownServices.count), strings.number(records.services.count))
    }
  }

  // MARK: Conflicts

  mutating func applyReload(_ stored: StoredCase, purpose: ReloadPurpose) -> [Effect] {
    let pendingNote = noteEditor
    switch purpose {
    case .reapply:
      caseFile?.stored = stored
      list.upsert(CaseSummary(document: stored.document, rules: rules))
      if form != nil {
        var f = form!
        f.rebase(on: stored) { formSpecs($0, $1) }
        f.validateField(f.focus, today: today)
        form = f
        showInfo(strings("conflict.reapplied", String(stored.revision), stored.document.updatedBy))
      } else if assessment != nil {
        // The answers are kept; they are added to the newer version on the next save.
        assessment!.base = stored
        showInfo(strings("conflict.reapplied", String(stored.revision), stored.document.updatedBy))
      } else if pendingNote != nil {
        showInfo(strings("conflict.reapplied", String(stored.revision), stored.document.updatedBy))
      } else if draft != nil {
        draft!.rebase(on: stored)
        showInfo(strings("draft.rebased", String(stored.revision), stored.document.updatedBy))
      } else {
        // A one-key change (such as withdrawing a consent) is not repeated by itself.
        showInfo(strings("conflict.reloadedRepeat", String(stored.revision), stored.document.updatedBy))
      }
    case .differences:
      var rows: [DifferencesView.Row] = []
      if let f = form {
        rows = f.differences(from: stored, strings: strings)
      } else if let n = pendingNote {
        rows = [.init(label: strings("diff.note"), mine: n.editor.text, stored: strings.plural("diff.noteOthers", stored.document.notes.count))]
      }
      overlay = .differences(
        DifferencesView(
          title: strings("diff.title", stored.id.rawValue, String(stored.revision), stored.document.updatedBy),
          rows: rows))
    }
    return []
  }
}
