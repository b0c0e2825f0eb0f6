import Casework
import CaseStore
import Foundation
import TextCells

/// `keten show`: a case as readable text.
enum CaseText {
  /// With `strings` (`--lang`), labels and values are the app's words in that language (gender,
  /// status, stages, languages, what is due); without, labels are English and values as stored,
  /// except languages, which are named.
  static func render(
    _ stored: StoredCase, summary: CaseSummary, rules: ScreeningRules, today: LocalDate, strings: Strings? = nil
  ) -> String {
    let d = stored.document
    let p = d.person
    var lines: [String] = []
    func row(_ label: String, _ value: String?, key: String? = nil) {
      guard let value, !value.isEmpty else { return }
      let shown = key.flatMap { k in strings.map { $0(k) } } ?? label
      lines.append(TextWidth.pad(shown, to: max(22, TextWidth.width(of: shown) + 2)) + value.oneLine)
    }
    let lang = strings?.language.rawValue ?? "en"
    let languages = p.languages.map { Languages.name($0, lang) }.joined(separator: ", ")
    lines.append("\(d.id)  \(p.fullName.oneLine)")
    if stored.isPartial { return partial(stored, lines: lines) }
    if stored.isReadOnly { lines.append("(read-only: written by a newer Keten)") }
    if let from = stored.migratedFrom { lines.append("(schema \(from) file; saved as schema \(CaseDocument.currentSchemaVersion) on the next change)") }
    lines.append("")
    row("Preferred name", p.preferredName, key: "field.person.preferredName")
    if let born = p.dateOfBirth { row("Born", "\(born) (" + (strings?.language == .nl ? "\(born.years(until: today)) jaar" : "age \(born.years(until: today))") + ")", key: "field.person.dateOfBirth") }
    row("Gender", strings?.gender(p.gender) ?? p.gender.rawValue, key: "field.person.gender")
    row("Nationality", p.nationality, key: "field.person.nationality")
    row("Languages", languages, key: "field.person.languages")
    row("Phone", p.phone, key: "field.person.phone")
    row("Centre", p.centre, key: "field.person.centre")
    row("Case worker", p.caseWorker, key: "field.person.caseWorker")
    row("Procedure", d.procedure.status.map { strings?.status($0) ?? $0.rawValue }, key: "field.procedure.status")
    row("Asylum application", d.procedure.applicationDate?.description, key: "field.procedure.applicationDate")
    if let permit = d.procedure.workPermitDate {
      let how = d.procedure.workPermitDateOverridden
        ? strings.map { $0("overview.permitSet") } ?? "entered by hand"
        : strings.map { $0("overview.permitDerived") } ?? "application + 4 months"
      row("Work permit from", "\(permit) (\(how))",
        key: "field.procedure.workPermitDate")
    }
    row("Stages", d.orderedStages.map { strings?.stage($0) ?? $0.rawValue }.joined(separator: ", "), key: "field.stages")
    if let closure = d.closure { row("Closed", "\(closure.on): \(closure.reason.oneLine)") }
    if let due = summary.nextDue(today: today) {
      row("Next due", "\(due.date) \(strings?.due(due.what) ?? due.what)" + (due.kind == .task && due.date < today ? " (overdue)" : ""),
        key: "column.due")
    }
    let f = d.screening.factual
    if f != FactualScreening() {
      let missing = Array(NSOrderedSet(array: rules.missingPhase1(f).map(\.section))).compactMap { $0 as? String }
      if let strings {
        let sections = missing.map { strings("interview.page.\($0)") }.joined(separator: ", ")
        row("", missing.isEmpty ? strings("screening.complete", f.updatedOn.map { strings.date($0) } ?? "—") : strings("screening.incomplete", sections),
          key: "screening.phase1")
      } else {
        row("Screening phase 1", missing.isEmpty ? "complete" : "incomplete: " + missing.joined(separator: ", "))
      }
    }
    if let last = d.screening.ambitions.last {
      let missing = rules.missingPhase2(last).map(\.field)
      if let strings {
        row("", strings.plural("show.phase2", d.screening.ambitions.count, strings.date(last.on))
          + " · " + strings(last.concluded ? "show.finished" : "show.open"), key: "screening.phase2")
      } else {
        row("Screening phase 2", "\(d.screening.ambitions.count) screening(s), latest \(last.on) "
        + (last.concluded ? "(finished)" : "(open" + (missing.isEmpty ? ")" : "; missing " + missing.joined(separator: ", ") + ")")))
      }
    }
    if !d.screening.assessments.isEmpty { row("Self-assessments", "\(d.screening.assessments.count)", key: "screening.assessments") }
    if !d.consents.isEmpty {
      let withdrawn = strings.map { " (" + $0("show.withdrawn") + ")" } ?? " (withdrawn)"
      row("Consents", d.consents.map { "\($0.id) \($0.recipient) / \($0.purpose)" + ($0.withdrawnOn == nil ? "" : withdrawn) }.joined(separator: "; "),
        key: "screening.consents")
    }
    if !d.disclosures.isEmpty {
      row("Disclosures", strings.map { $0("show.disclosures", String(d.disclosures.count), d.id.rawValue) }
        ?? "\(d.disclosures.count) (keten consent \(d.id) lists them)", key: "screening.disclosures")
    }
    if let strings {
      row("", strings("show.savedLine", String(d.revision), strings.moment(d.updatedAt), d.updatedBy), key: "show.revision")
      row("", strings("show.createdLine", strings.moment(d.createdAt), d.createdBy), key: "show.created")
    } else {
      row("Revision", "\(d.revision), saved \(Timestamp.format(d.updatedAt)) by \(d.updatedBy)")
      row("Created", "\(Timestamp.format(d.createdAt)) by \(d.createdBy)")
    }
    if !d.notes.isEmpty {
      lines.append("")
      lines.append(strings.map { $0("tab.notes") } ?? "Notes")
      for note in d.notes {
        let edited = note.editedAt == nil ? "" : " (" + (strings.map { $0("show.edited") } ?? "edited") + ")"
        lines.append("  \(strings.map { $0.moment(note.at) } ?? Timestamp.format(note.at))  \(note.author)\(edited)")
        for textLine in note.text.split(separator: "\n", omittingEmptySubsequences: false) {
          lines.append("    " + textLine)
        }
      }
    }
    return lines.joined(separator: "\n")
  }

  /// A role's partial view: what it may see, then what it may not (never an invented value).
  static func partial(_ stored: StoredCase, lines: [String]) -> String {
    var lines = lines
    let d = stored.document
    let shown = stored.sections
    lines.append("")
    func row(_ label: String, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      lines.append(label.padding(toLength: 22, withPad: " ", startingAt: 0) + value.oneLine)
    }
    if shown.contains(.names) { row("Preferred name", d.person.preferredName) }
    if shown.contains(.gender) { row("Gender", d.person.gender.rawValue) }
    if shown.contains(.contact) { row("Phone", d.person.phone) }
    if shown.contains(.languages) { row("Languages", d.person.languages.map { Languages.name($0, "en") }.joined(separator: ", ")) }
    let withheld = CaseSection.allCases.filter { !shown.contains($0) }.map(\.rawValue)
    lines.append("")
    lines.append("Not visible for your role: " + withheld.joined(separator: ", ") + ".")
    return lines.joined(separator: "\n")
  }
}
