import CaseStore
import Casework
import Foundation
import TextCells

/// What a picker on the Screening tab chooses.
public enum ScreeningPick: Sendable, Equatable {
  case sector
  case profile
  case report
  case progressFrom
  case changedFrom
  case exportFormat
  /// A share: which active consent it goes under.
  case shareConsent
  case exportLanguage(ExportKind)
  /// The printable action plan: text or HTML.
  case planFormat
}

extension AppState {
  // MARK: Keys

  /// Keys of the Screening tab; returns nil when the key is not one of them.
  mutating func handleScreeningKey(_ action: KeyAction, _ file: CaseFileState) -> [Effect]? {
    let d = file.stored.document
    let rules = content.screening
    func writable() -> Bool {
      if file.stored.isReadOnly {
        showError(strings("case.readOnly", String(d.schemaVersion)))
        return false
      }
      return true
    }
    switch action {
    case .phase1:
      guard writable() else { return [] }
      let sections = Phase1Section.allCases
      let incomplete = sections.filter { !rules.missing($0, in: d.screening.factual).isEmpty }
      let paused = d.screening.factual.resumeSection.flatMap { Phase1Section(rawValue: $0) }
      // Resume where it was paused if that section is still open, else at the first open one.
      let resume = paused.flatMap { incomplete.contains($0) ? $0 : nil } ?? incomplete.first
      let start = resume ?? .education
      let page = InterviewPage(phase: 1, index: sections.firstIndex(of: start)!)
      form = CaseForm(document: d, base: file.stored, purpose: .interview(page), specs: interviewSpecs(page, d), vocabulary: vocabulary)
      if resume != nil { showInfo(strings("interview.resumed", strings("interview.page.\(start.rawValue)"))) }
    case .phase2:
      guard writable() else { return [] }
      let missing = rules.missingPhase1(d.screening.factual)
      guard missing.isEmpty else {
        let sections = Array(NSOrderedSet(array: missing.map(\.section))).compactMap { $0 as? String }
        showError(strings("interview.phase1First", sections.map { strings("interview.page.\($0)") }.joined(separator: ", ")))
        return []
      }
      var draft = d
      let id = draft.startAmbitionScreening(on: today, by: user)
      let page = InterviewPage(phase: 2, index: 0, ambitionID: id)
      form = CaseForm(document: draft, base: file.stored, purpose: .interview(page), specs: interviewSpecs(page, draft), vocabulary: vocabulary)
      if d.openAmbitionScreening == nil {
        // A new screening is a change even before a field is typed.
        form!.carried = [.startAmbition(today, user)]
        showInfo(strings(d.screening.ambitions.isEmpty ? "interview.phase2Started" : "interview.rescreenStarted"))
      }
    case .whatChanged:
      let done = d.screening.ambitions
      guard done.count >= 2 else {
        showError(strings("screening.needTwoScreenings"))
        return []
      }
      if done.count == 2 {
        showChanges(from: done[0], to: done[1])
      } else {
        var p = Picker(
          title: strings("screening.compareWith", strings.date(done.last!.on)),
          options: done.dropLast().reversed().map { .init(value: $0.id, label: strings.date($0.on) + "  " + $0.by) },
          target: .screening(.changedFrom))
        p.cursor = 0
        overlay = .picker(p)
      }
    case .newAssessment:
      guard writable() else { return [] }
      overlay = .picker(Picker(
        title: strings("assessment.pickSector"),
        options: content.skills.sectors.map { .init(value: $0.id, label: $0.title(strings.language.rawValue)) },
        target: .screening(.sector)))
    case .assessmentReport:
      let list = d.screening.assessments
      guard !list.isEmpty else {
        showError(strings("assessment.none"))
        return []
      }
      if list.count == 1 {
        showReport(list[0])
      } else {
        overlay = .picker(Picker(
          title: strings("assessment.pickReport"),
          options: list.reversed().map { .init(value: $0.id, label: assessmentLabel($0)) },
          target: .screening(.report)))
      }
    case .progress:
      guard let latest = d.screening.assessments.last else {
        showError(strings("assessment.none"))
        return []
      }
      let earlier = d.screening.assessments.dropLast().filter { $0.profile == latest.profile }
      guard !earlier.isEmpty else {
        showError(strings("assessment.needTwo"))
        return []
      }
      overlay = .picker(Picker(
        title: strings("assessment.pickProgress", strings.date(latest.on)),
        options: earlier.reversed().map { .init(value: $0.id, label: assessmentLabel($0)) },
        target: .screening(.progressFrom)))
    case .exportCV:
      overlay = .picker(Picker(
        title: strings("export.pickFormat"),
        options: CVFormat.allCases.map { .init(value: $0.rawValue, label: strings("export.format.\($0.rawValue)")) }
          + [.init(value: "share", label: strings("export.format.share"))],
        target: .screening(.exportFormat)))
    case .addConsent:
      guard writable() else { return [] }
      var draft = d
      draft.addConsent(recipient: "", purpose: "", givenOn: today, how: .signed, witness: nil, by: user)
      let index = draft.consents.count - 1
      form = CaseForm(document: draft, base: file.stored, purpose: .consent(index: index), specs: InterviewPages.consent(index), vocabulary: vocabulary)
      form!.carried = [.addConsent(today, user)]
    case .withdrawConsent:
      guard writable() else { return [] }
      guard let consent = d.consents.last(where: { $0.withdrawnOn == nil }) else {
        showError(strings("consent.noneActive"))
        return []
      }
      overlay = .confirm(ConfirmDialog(
        question: strings("confirm.withdrawConsent", consent.recipient, consent.purpose), action: .withdrawConsent))
    default:
      return nil
    }
    return []
  }

  /// Marks the last active consent withdrawn today; it stays on record.
  mutating func withdrawLastConsent() -> [Effect] {
    guard let file = caseFile, let i = file.stored.document.consents.lastIndex(where: { $0.withdrawnOn == nil }) else {
      return []
    }
    var draft = file.stored.document
    draft.consents[i].withdrawnOn = today
    return [.save(draft, basedOn: file.stored, purpose: .quick("consent.withdrawnSaved"))]
  }

  mutating func chooseInScreening(_ pick: ScreeningPick, value: String) {
    guard let file = caseFile else { return }
    let d = file.stored.document
    let language = strings.language.rawValue
    switch pick {
    case .sector:
      overlay = .picker(Picker(
        title: strings("assessment.pickProfile", content.skills.sectorName(value, language)),
        options: content.skills.profiles(in: value).map { .init(value: $0.id, label: $0.title(language)) },
        target: .screening(.profile)))
    case .profile:
      guard let profile = content.skills.profile(value) else { return }
      assessment = AssessmentState(base: file.stored, profile: profile, today: today, user: user, languages: content.skills.languages, first: language)
    case .report:
      if let a = d.screening.assessments.first(where: { $0.id == value }) { showReport(a) }
    case .progressFrom:
      if let earlier = d.screening.assessments.first(where: { $0.id == value }), let latest = d.screening.assessments.last {
        showProgress(from: earlier, to: latest)
      }
    case .changedFrom:
      if let old = d.screening.ambitions.first(where: { $0.id == value }), let new = d.screening.ambitions.last {
        showChanges(from: old, to: new)
      }
    case .exportFormat:
      if value == "share" {
        let active = d.consents.filter { $0.isActive(on: today) }
        guard !active.isEmpty else {
          showError(strings("export.noConsent"))
          return
        }
        overlay = .picker(Picker(
          title: strings("export.pickConsent"),
          options: active.map { .init(value: $0.id, label: "\($0.recipient) · \($0.purpose) (\(strings.date($0.givenOn)))") },
          target: .screening(.shareConsent)))
        return
      }
      guard let format = CVFormat(rawValue: value) else { return }
      pickExportLanguage(.cv(format))
    case .planFormat:
      pickExportLanguage(.plan(html: value == "html", services: servicesByID))
    case .shareConsent:
      guard let consent = d.consents.first(where: { $0.id == value }) else { return }
      pickExportLanguage(.share(recipient: consent.recipient, purpose: consent.purpose))
    case .exportLanguage(let kind):
      guard let chosen = Language(rawValue: value) else { return }
      let name: String
      switch kind {
      case .cv(let format): name = "\(d.id.rawValue)-cv-\(chosen.rawValue).\(format.fileExtension)"
      case .share(let recipient, _):
        let safe = String(recipient.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        name = "\(d.id.rawValue)-share-\(safe).json"
      case .plan(let html, _): name = "\(d.id.rawValue)-plan-\(chosen.rawValue).\(html ? "html" : "txt")"
      }
      var p = Prompt(kind: .exportPath(d.id, kind, chosen))
      p.editor = TextEditor(name)
      prompt = p
    }
  }

  mutating func pickExportLanguage(_ kind: ExportKind) {
    var isPlan = false
    if case .plan = kind { isPlan = true }
    var p = Picker(
      title: strings(isPlan ? "plan.pickLanguage" : "export.pickLanguage"),
      options: Language.allCases.map { .init(value: $0.rawValue, label: strings("language.\($0.rawValue)")) },
      target: .screening(.exportLanguage(kind)))
    p.cursor = Language.allCases.firstIndex(of: strings.language) ?? 0
    overlay = .picker(p)
  }

  func assessmentLabel(_ a: SkillsAssessment) -> String {
    let language = strings.language.rawValue
    guard let profile = content.skills.profile(a.profile) else { return "\(strings.date(a.on))  \(a.profile)" }
    let report = SkillsReport(assessment: a, profile: profile)
    return "\(strings.date(a.on))  \(profile.title(language))  \(report.symbol) \(report.percent)%"
  }

  // MARK: Views

  mutating func showReport(_ a: SkillsAssessment) {
    let language = strings.language.rawValue
    guard let profile = content.skills.profile(a.profile) else {
      showError(strings("assessment.unknownProfile", a.profile))
      return
    }
    let report = SkillsReport(assessment: a, profile: profile)
    var lines: [TextOverlay.Line] = [
      .init(strings("report.overall", report.symbol, String(report.percent)), .heading),
      .init(strings("report.scale"), .hint),
      .init(""),
    ]
    let width = 28
    for (field, spec) in zip(report.fields, profile.actionFields) {
      lines.append(.init("\(field.symbol)  \(TextWidth.pad(String(field.percent) + "%", to: 5)) \(TextWidth.pad(spec.title(language), to: width))  \(bar(field.percent))"))
    }
    if report.unanswered > 0 {
      lines.append(.init(""))
      lines.append(.init(strings("report.unanswered", String(report.unanswered)), .warning))
    }
    overlay = .text(TextOverlay(
      title: strings("assessment.reportTitle", profile.title(language), strings.date(a.on)), lines: lines))
  }

  mutating func showProgress(from earlier: SkillsAssessment, to latest: SkillsAssessment) {
    let language = strings.language.rawValue
    guard let profile = content.skills.profile(latest.profile) else { return }
    let before = SkillsReport(assessment: earlier, profile: profile)
    let after = SkillsReport(assessment: latest, profile: profile)
    var lines: [TextOverlay.Line] = [
      .init(TextWidth.pad("", to: 30) + TextWidth.pad(strings.date(earlier.on), to: 14) + strings.date(latest.on), .heading)
    ]
    for (row, spec) in zip(after.progress(since: before), profile.actionFields) {
      let delta = row.after - row.before
      let change = delta == 0 ? "=" : (delta > 0 ? "+\(delta)" : "\(delta)")
      lines.append(.init(
        TextWidth.pad(spec.title(language), to: 30) + TextWidth.pad("\(SkillsReport.symbol(percent: row.before)) \(row.before)%", to: 14)
          + TextWidth.pad("\(SkillsReport.symbol(percent: row.after)) \(row.after)%", to: 10) + change,
        delta > 0 ? .success : (delta < 0 ? .warning : .plain)))
    }
    lines.append(.init(""))
    lines.append(.init(
      TextWidth.pad(strings("report.overallShort"), to: 30) + TextWidth.pad("\(before.symbol) \(before.percent)%", to: 14)
        + "\(after.symbol) \(after.percent)%", .heading))
    overlay = .text(TextOverlay(title: strings("progress.title", profile.title(language)), lines: lines))
  }

  mutating func showChanges(from old: AmbitionScreening, to new: AmbitionScreening) {
    let changes = ScreeningComparison.changes(from: old, to: new)
    var lines: [TextOverlay.Line] = []
    if changes.isEmpty { lines.append(.init(strings("changes.none"), .hint)) }
    for change in changes {
      lines.append(.init(strings("field.ambitions.\(change.field)"), .heading))
      let before = change.before.map { ambitionValue(change.field, $0) }.joined(separator: ", ")
      let after = change.after.map { ambitionValue(change.field, $0) }.joined(separator: ", ")
      lines.append(.init("  − " + (before.isEmpty ? "—" : before), .warning))
      lines.append(.init("  + " + (after.isEmpty ? "—" : after), .success))
      lines.append(.init(""))
    }
    overlay = .text(TextOverlay(
      title: strings("changes.title", strings.date(old.on), strings.date(new.on)), lines: lines))
  }

  func ambitionValue(_ field: String, _ value: String) -> String {
    let language = strings.language.rawValue
    switch field {
    case "occupations": return content.skills.occupationName(value, language)
    case "sectors": return content.skills.sectorName(value, language)
    case "retraining": return strings("option.retraining.\(value)")
    case "obstacles": return strings("option.obstacle.\(value)")
    default: return value
    }
  }

  func bar(_ percent: Int) -> String {
    let cells = 20
    let filled = (percent * cells + 50) / 100
    return String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
  }

  // MARK: Tab content

  func screeningLines(_ d: CaseDocument) -> [(String, Style)] {
    let rules = content.screening
    let language = strings.language.rawValue
    let f = d.screening.factual
    var lines: [(String, Style)] = []
    // Phase 1.
    let missing = rules.missingPhase1(f)
    lines.append((strings("screening.phase1"), .heading))
    if f == FactualScreening() {
      lines.append((strings("screening.phase1NotStarted"), .hint))
    } else if missing.isEmpty {
      lines.append((strings("screening.complete", f.updatedOn.map(strings.date) ?? "—"), .success))
    } else {
      let sections = Phase1Section.allCases.filter { s in missing.contains { $0.section == s.rawValue } }
      lines.append((strings("screening.incomplete", sections.map { strings("interview.page.\($0.rawValue)") }.joined(separator: ", ")), .warning))
      for item in missing.prefix(6) {
        let entry = item.entry.map { " \($0 + 1)" } ?? ""
        lines.append(("   · " + strings("interview.page.\(item.section)") + entry + ": " + missingLabel(item), .hint))
      }
      if missing.count > 6 { lines.append(("   · " + strings("screening.more", String(missing.count - 6)), .hint)) }
    }
    if !f.education.isEmpty || f.noEducation {
      let text = f.noEducation && f.education.isEmpty ? strings("screening.noEducation")
        : f.education.map { ($0.isced.map { "ISCED \($0)" } ?? "?") + ($0.field.isEmpty ? "" : " \($0.field)") }.joined(separator: "; ")
      lines.append((TextWidth.pad(strings("interview.page.education"), to: 16) + text, .plain))
    }
    if !f.work.isEmpty || f.noWork {
      let text = f.noWork && f.work.isEmpty ? strings("screening.noWork")
        : f.work.map { content.skills.occupationName($0.occupation, language) }.joined(separator: "; ")
      lines.append((TextWidth.pad(strings("interview.page.work"), to: 16) + text, .plain))
    }
    if !f.motherTongues.isEmpty || !f.languages.isEmpty {
      let levels = f.languages.map { l in
        "\(Languages.name(l.language, language)) " + l.levels.map { $0?.rawValue ?? "?" }.joined(separator: "/")
      }
      lines.append((TextWidth.pad(strings("interview.page.languages"), to: 16) + (f.motherTongues.map { Languages.name($0, language) } + levels).joined(separator: "; "), .plain))
    }
    lines.append(("", .plain))
    // Phase 2.
    lines.append((strings("screening.phase2"), .heading))
    if d.screening.ambitions.isEmpty {
      lines.append((strings(missing.isEmpty ? "screening.phase2Ready" : "screening.phase2Waits"), .hint))
    }
    for a in d.screening.ambitions.reversed() {
      let occupations = a.occupations.map { content.skills.occupationName($0, language) }.joined(separator: ", ")
      let state = a.concluded ? "" : "  (" + strings("screening.open") + ")"
      lines.append(("\(a.on)  \(TextWidth.pad(a.by, to: 10)) \(occupations.isEmpty ? "—" : occupations)" + (a.regions.isEmpty ? "" : " · " + a.regions.joined(separator: ", ")) + state, a.concluded ? .plain : .warning))
      if !a.concluded {
        let missing = rules.missingPhase2(a)
        lines.append(("   · " + (missing.isEmpty ? strings("screening.readyToFinish") : strings("screening.missing", missing.map(missingLabel).joined(separator: ", "))), .hint))
      }
    }
    if let due = rules.rescreenDue(d) {
      lines.append((strings("screening.rescreenDue", strings.date(due), String(rules.settings.rescreenIntervalMonths)), due < today ? .error : .plain))
    }
    lines.append(("", .plain))
    // Skills self-assessments.
    lines.append((strings("screening.assessments"), .heading))
    if d.screening.assessments.isEmpty { lines.append((strings("assessment.none"), .hint)) }
    for a in d.screening.assessments.reversed() { lines.append((assessmentLabel(a), .plain)) }
    lines.append(("", .plain))
    // Consents and disclosures.
    lines.append((strings("screening.consents"), .heading))
    if d.consents.isEmpty { lines.append((strings("consent.none"), .hint)) }
    for c in d.consents {
      var line = "\(c.id)  \(c.recipient) · \(c.purpose) · \(strings("option.consentForm.\(c.how.rawValue)")) \(strings.date(c.givenOn))"
      if let w = c.witness, !w.isEmpty { line += " · " + strings("consent.witness", w) }
      if let withdrawn = c.withdrawnOn { line += " · " + strings("consent.withdrawn", strings.date(withdrawn)) }
      lines.append((line, c.withdrawnOn == nil ? .plain : .hint))
    }
    lines.append((strings("screening.disclosures"), .heading))
    if d.disclosures.isEmpty { lines.append((strings("disclosure.none"), .hint)) }
    for x in d.disclosures.suffix(8).reversed() {
      let to = x.recipient == Disclosure.toThePerson ? strings("disclosure.self") : "\(x.recipient) · \(x.purpose)"
      lines.append(("\(Timestamp.format(x.at).prefix(16).replacingOccurrences(of: "T", with: " "))  \(x.by) → \(to): \(x.what)", .plain))
    }
    lines.append(("", .plain))
    lines.append((strings("screening.keys"), .hint))
    return lines
  }

  func missingLabel(_ item: MissingItem) -> String {
    if strings.has("missing.\(item.field)") { return strings("missing.\(item.field)") }
    let language = strings.language.rawValue
    let all = content.interview.hardCriteria + content.interview.softCriteria + content.interview.softSkills
    return all.first { $0.id == item.field }?.title(language) ?? item.field
  }
}
