import CaseStore
import Casework
import TextCells

extension DraftPurpose {
  /// The case-file tab to show after saving.
  var caseTab: CaseTab {
    switch self {
    case .followUp, .plan, .hire, .outcome, .reschedule: .followUp
    case .internship, .availability: .jobs
    case .planAction, .planDone, .planDrop, .planReview, .planAgree: .plan
    default: .mentoring
    }
  }
}

extension AppState {
  /// Labels `field.<form>.<path>` and hints `hint.<form>.<path>` for every field of a form.
  func specs<Root>(_ form: String, _ fields: [FormField<Root>], options: [String: OptionLabels] = [:]) -> [DraftSpec<Root>] {
    fields.map { f in
      let hint = strings.has("hint.\(form).\(f.path)") ? FormLabel.key("hint.\(form).\(f.path)") : nil
      let flag: OptionLabels? = f.kind == .choice(["no", "yes"]) || f.kind == .choice(["", "no", "yes"]) ? .option("yesNo") : nil
      return DraftSpec(f, label: .key("field.\(form).\(f.path)"), hint: hint, options: options[f.path] ?? flag ?? .plain)
    }
  }

  /// The form to log a follow-up of `meeting` (nil: an extra meeting) of a hire.
  mutating func openFollowUpDraft(_ stored: StoredCase, hire: String, meeting: String?) {
    let d = stored.document
    guard let h = d.placement.hires.first(where: { $0.id == hire }) else {
      showError(strings("followUp.noHire"))
      return
    }
    if let meeting, h.followUp(for: meeting) != nil {
      showError(strings("problem.alreadyLogged", meeting))
      return
    }
    let value = FollowUp(meeting: meeting, heldOn: today, attended: Attendee.usual(for: meeting), risk: .low)
    let title = strings("followUp.title", d.person.displayName, meeting.map { meetingTitle($0) } ?? strings("followUp.extra"))
    let form = DraftForm(
      title: title, value: value,
      specs: specs(
        "followUp", FollowUp.fields,
        options: ["attended": .option("attendee"), "issues": .option("issue"), "risk": .option("risk")])
    , vocabulary: vocabulary) { [start = h.start, today] in $0.issues(start: start, today: today) }
    draft = DraftSession(form: form, purpose: .followUp(stored, hire: hire, meeting: meeting))
  }

  /// "Internal manager · week 2" for a meeting key.
  func meetingTitle(_ key: String) -> String { agendaText.meetingTitle(key) }

  /// Keys of the Follow-up and Jobs tabs; nil when the key is not one of them.
  mutating func handlePlacementKey(_ action: KeyAction, _ file: CaseFileState) -> [Effect]? {
    let stored = file.stored
    let d = stored.document
    let actions: [KeyAction] = [
      .logFollowUp, .extraFollowUp, .recordHire, .editPlan, .recordOutcome, .reschedule, .editInternship, .newInternship,
      .availability, .rankedOpenings,
    ]
    guard actions.contains(action) else { return nil }
    if stored.isReadOnly || d.isClosed {
      showError(d.isClosed ? strings("placement.caseClosed") : strings("case.readOnly", String(d.schemaVersion)))
      return []
    }
    let current = d.placement.hires.last
    func needHire() -> Hire? {
      if current == nil { showError(strings("followUp.noHire")) }
      return current
    }
    switch action {
    case .logFollowUp:
      guard let h = needHire() else { return [] }
      let schedule = FollowUpSchedule(hire: h, cadence: content.followUp, today: today)
      guard let next = schedule.next else {
        showInfo(strings("followUp.allHeld"))
        return []
      }
      openFollowUpDraft(stored, hire: h.id, meeting: next.key)
    case .extraFollowUp:
      guard let h = needHire() else { return [] }
      openFollowUpDraft(stored, hire: h.id, meeting: nil)
    case .recordHire:
      if let open = d.placement.currentHire {
        showError(strings("hire.open", open.id, open.employerName))
        return []
      }
      draft = hireDraft(stored, newHire(d))
    case .editPlan:
      guard let h = needHire() else { return [] }
      let form = DraftForm(title: strings("plan.title", d.person.displayName, h.job), value: h.plan, specs: specs("plan", PostHirePlan.fields(today: today)), vocabulary: vocabulary) { _ in [] }
      draft = DraftSession(form: form, purpose: .plan(stored, hire: h.id))
    case .recordOutcome:
      guard let h = needHire() else { return [] }
      let value = h.outcome ?? HireOutcome(on: today, status: .employedSame, by: user)
      let form = DraftForm(
        title: strings("outcome.title", d.person.displayName), value: value,
        specs: specs("outcome", HireOutcome.fields, options: ["status": .option("outcome")])
      , vocabulary: vocabulary) { [start = h.start, today] in $0.issues(start: start, today: today) }
      draft = DraftSession(form: form, purpose: .outcome(stored, hire: h.id))
    case .reschedule:
      guard let h = needHire() else { return [] }
      let schedule = FollowUpSchedule(hire: h, cadence: content.followUp, today: today)
      guard let next = schedule.next else {
        showInfo(strings("followUp.allHeld"))
        return []
      }
      // A week later, or a week from today for a meeting already overdue.
      let value = Reschedule(meeting: next.key, to: max(next.due, today).adding(days: 7), reason: "", by: user, on: today)
      let form = DraftForm(
        title: strings("reschedule.title", meetingTitle(next.key), strings.date(next.due)), value: value,
        specs: specs("reschedule", Reschedule.fields)
      , vocabulary: vocabulary) { [cadence = content.followUp] in $0.issues() + cadence.rescheduleIssues($0) }
      draft = DraftSession(form: form, purpose: .reschedule(stored, hire: h.id))
    case .editInternship, .newInternship:
      let existing = action == .editInternship ? d.placement.internships.last : nil
      let value = existing ?? Internship(id: d.placement.nextInternshipID, organisation: "", role: "", from: today, to: today.adding(months: 3))
      draft = internshipDraft(stored, value, existing: existing?.id)
    case .availability:
      let form = DraftForm(title: strings("availability.title", d.person.displayName), value: d.placement, specs: specs("availability", Placement.fields), vocabulary: vocabulary) { $0.availabilityIssues() }
      draft = DraftSession(form: form, purpose: .availability(stored))
    case .rankedOpenings:
      let matching = JobMatching(settings: content.matching, skills: content.skills)
      let ranked = matching.openings(for: d, among: records.openings.map(\.record), today: today)
      overlay = .text(TextOverlay(title: strings("openings.title", d.person.displayName), lines: openingLines(ranked)))
    default: break
    }
    return []
  }

  /// A hire as the hire form starts it.
  func newHire(_ d: CaseDocument) -> Hire {
    Hire(id: d.placement.nextHireID, employerName: "", job: "", contract: .fixedTerm, start: today, hoursPerWeek: 38, recordedBy: user, recordedOn: today)
  }

  /// Which opening a hire or internship came from, picked in the form (filling in the rest); an
  /// opening that is not in the register is refused.
  func openingIssues(_ opening: String?) -> [ValidationIssue] {
    guard let opening, !opening.isEmpty, !records.openings.contains(where: { $0.id == opening }) else { return [] }
    return [.init(path: "opening", problem: .notAllowed(opening, options: ["an opening of the register (Enter)"]))]
  }

  /// The hire form: an opening and an employer picked from the registers.
  func hireDraft(_ stored: StoredCase, _ value: Hire) -> DraftSession {
    let fields = [FormField<Hire>.optionalText("opening", \.opening)] + Hire.fields
    let check = openingIssues
    let form = DraftForm(
      title: strings("hire.title", stored.document.person.displayName), value: value,
      specs: specs("hire", fields, options: ["opening": .opening, "contract": .option("contract"), "profile": .occupation, "employer": .employer]),
      vocabulary: vocabulary
    ) { [today] in $0.issues(today: today) + check($0.opening) }
    return DraftSession(form: form, purpose: .hire(stored))
  }

  /// The internship form's fields: the opening it came from, then the agreement's.
  var internshipFormFields: [FormField<Internship>] { [.optionalText("opening", \.opening)] + Internship.fields(today: today) }

  /// The internship form (a new one when `existing` is nil).
  func internshipDraft(_ stored: StoredCase, _ value: Internship, existing: String?) -> DraftSession {
    let fields = internshipFormFields
    let check = openingIssues
    let form = DraftForm(
      title: strings(existing == nil ? "internship.newTitle" : "internship.editTitle", stored.document.person.displayName), value: value,
      specs: specs("internship", fields, options: ["opening": .opening, "employer": .employer]), vocabulary: vocabulary
    ) { [today] in $0.issues(today: today) + check($0.opening) }
    return DraftSession(form: form, purpose: .internship(stored, id: existing))
  }

  /// The ranked openings for a case, each with the parts of its score.
  func openingLines(_ ranked: [JobMatching.OpeningMatch]) -> [TextOverlay.Line] {
    if ranked.isEmpty { return [.init(strings("openings.none"), .hint)] }
    var lines: [TextOverlay.Line] = []
    for m in ranked.prefix(8) {
      let o = m.opening
      let star = m.shortage ? " ★" : ""
      lines.append(.init("\(m.score.total)/\(m.score.maximum)  \(o.title) · \(employerName(o)) · \(o.region.isEmpty ? "—" : o.region) · \(strings.date(o.start))\(star)", .heading))
      lines += scorePartLines(m.score)
    }
    return lines
  }

  /// Saves a placement draft onto the case as stored (only what the form edits).
  mutating func savePlacementDraft(_ purpose: DraftPurpose, _ value: any Sendable) -> [Effect]? {
    switch purpose {
    case .followUp(let base, let hire, let meeting):
      guard var f = value as? FollowUp, let i = base.document.placement.hires.firstIndex(where: { $0.id == hire }) else { return [] }
      // A meeting logged before its planned day is asked about first (a week-1 meeting on the
      // hire day is more likely a slip than a meeting).
      if let meeting, draft?.earlyConfirmed != true,
        let planned = FollowUpSchedule(hire: base.document.placement.hires[i], cadence: content.followUp, today: today).meeting(meeting),
        f.heldOn < planned.due
      {
        overlay = .confirm(ConfirmDialog(
          question: strings("followUp.early", meetingTitle(meeting), strings.date(planned.due), strings.date(f.heldOn)), action: .logEarly))
        return []
      }
      var d = base.document
      f.id = d.placement.hires[i].nextFollowUpID
      f.meeting = meeting
      f.loggedBy = user
      f.loggedAt = now()
      d.placement.hires[i].followUps.append(f)
      return [.save(d, basedOn: base, purpose: .draft(f.risk == .high ? "followUp.savedHighRisk" : "followUp.saved"))]
    case .plan(let base, let hire):
      guard let plan = value as? PostHirePlan, let i = base.document.placement.hires.firstIndex(where: { $0.id == hire }) else { return [] }
      var d = base.document
      d.placement.hires[i].revisePlan(plan, by: user, on: today)
      return [.save(d, basedOn: base, purpose: .draft("plan.saved"))]
    case .hire(let base):
      guard var h = value as? Hire else { return [] }
      var d = base.document
      h.id = d.placement.nextHireID
      d.placement.hires.append(h)
      d.stages.remove(.matching)
      d.stages.insert(.sustaining)
      return [.save(d, basedOn: base, purpose: .draft("hire.saved"))]
    case .outcome(let base, let hire):
      guard let o = value as? HireOutcome, let i = base.document.placement.hires.firstIndex(where: { $0.id == hire }) else { return [] }
      var d = base.document
      d.placement.hires[i].outcome = o
      return [.save(d, basedOn: base, purpose: .draft("outcome.saved"))]
    case .reschedule(let base, let hire):
      guard let r = value as? Reschedule, let i = base.document.placement.hires.firstIndex(where: { $0.id == hire }) else { return [] }
      var d = base.document
      d.placement.hires[i].reschedules.append(r)
      return [.save(d, basedOn: base, purpose: .draft("reschedule.saved"))]
    case .internship(let base, let id):
      guard let edited = value as? Internship else { return [] }
      var d = base.document
      if let id, let i = d.placement.internships.firstIndex(where: { $0.id == id }) {
        guard carry(internshipFormFields, from: edited, to: &d.placement.internships[i]) else { return [] }
      } else {
        var fresh = edited
        fresh.id = d.placement.nextInternshipID
        d.placement.internships.append(fresh)
        d.stages.insert(.matching)
      }
      return [.save(d, basedOn: base, purpose: .draft("internship.saved"))]
    case .availability(let base):
      guard let p = value as? Placement else { return [] }
      var d = base.document
      guard carry(Placement.fields, from: p, to: &d.placement) else { return [] }
      return [.save(d, basedOn: base, purpose: .draft("availability.saved"))]
    default:
      return nil
    }
  }

  // MARK: Tab lines

  func followUpLines(_ d: CaseDocument) -> [(String, Style)] {
    var lines: [(String, Style)] = []
    let trajectory = Trajectory(d, training: records.groups(of: d.id), cadence: content.followUp, today: today)
    lines.append((strings("trajectory.heading"), .heading))
    if trajectory.steps.isEmpty { lines.append((strings("trajectory.none"), .hint)) }
    for step in trajectory.steps {
      let text = "\(step.date)  " + strings.format("trajectory.\(step.key)", step.values.map { strings.has("option.outcome.\($0)") ? strings("option.outcome.\($0)") : $0 })
      lines.append((text, step.done ? .plain : .hint))
    }
    guard let h = d.placement.hires.last else {
      lines.append(("", .plain))
      lines.append((strings("followUp.noHireYet"), .hint))
      return lines
    }
    let schedule = FollowUpSchedule(hire: h, cadence: content.followUp, today: today)
    lines.append(("", .plain))
    lines.append((strings("hire.heading", h.job, h.employerName, strings("option.contract.\(h.contract.rawValue)"), String(h.hoursPerWeek), strings.date(h.start)), .heading))
    if let risk = h.currentRisk, let last = h.lastFollowUp {
      lines.append((strings("followUp.risk", strings("option.risk.\(risk.rawValue)"), strings.date(last.heldOn)), risk == .high ? .error : .plain))
    }
    let p = h.plan
    let approvals = p.approvals.all.map { "\(strings("plan.by.\($0.0)")) \($0.1 == nil ? "✗" : "✓")" }.joined(separator: "  ")
    lines.append((strings("plan.heading", String(h.planHistory.count + 1), strings.date(p.revisedOn), p.revisedBy) + "  " + approvals, .label))
    for (i, goal) in p.goals.enumerated() {
      lines.append(("  \(i + 1) \(strings("plan.goal.\(goal.key)")): \(goal.actions.isEmpty ? "—" : goal.actions.joined(separator: "; "))", goal.actions.isEmpty ? .hint : .plain))
    }
    lines.append(("  " + strings("plan.buddy", p.buddyName.isEmpty ? "—" : p.buddyName + (p.buddyRole.isEmpty ? "" : " (\(p.buddyRole))")), .plain))
    let held = schedule.meetings.filter { if case .held = $0.status { true } else { false } }.count
    lines.append((strings("followUp.meetings", String(held), String(schedule.meetings.count), String(schedule.overdue.count)), .heading))
    for m in schedule.meetings {
      let title = TextWidth.pad(TextWidth.truncate(meetingTitle(m.key), to: 30), to: 30)
      let date = m.due.description
      switch m.status {
      case .held(let f):
        let issues = f.issues.map { strings("option.issue.\($0.rawValue)") }.joined(separator: ", ")
        lines.append(("✓ \(date)  \(title) " + strings("followUp.held", f.heldOn.description, strings("option.risk.\(f.risk.rawValue)")) + (issues.isEmpty ? "" : " · " + issues), .plain))
      case .overdue(let days):
        lines.append(("! \(date)  \(title) " + strings("followUp.overdue", String(days)), .error))
      case .upcoming:
        let moved = m.reschedule.map { "  " + strings("followUp.moved", $0.reason) } ?? ""
        lines.append(("· \(date)  \(title)\(moved)", m.due == today ? .key : .plain))
      case .ended:
        lines.append(("– \(date)  \(title)", .hint))
      }
    }
    for f in schedule.extra {
      lines.append(("+ \(f.heldOn)  " + strings("followUp.extraHeld", strings("option.risk.\(f.risk.rawValue)")), .plain))
    }
    if let o = h.outcome {
      lines.append((strings("outcome.line", strings.date(o.on), strings("option.outcome.\(o.status.rawValue)"), o.reason), .heading))
    } else {
      lines.append((strings("outcome.due", strings.date(schedule.reviewDate)), .hint))
    }
    return lines
  }

  func jobsLines(_ d: CaseDocument) -> [(String, Style)] {
    var lines: [(String, Style)] = [(strings("jobs.availability"), .heading)]
    let p = d.placement
    lines.append((strings("jobs.availableFrom", p.availableFrom.map(strings.date) ?? strings("jobs.now"), p.hoursPerWeek.map(String.init) ?? "—"), .plain))
    lines.append(("", .plain))
    lines.append((strings("jobs.internships", String(p.internships.count)), .heading))
    if p.internships.isEmpty { lines.append((strings("jobs.noInternships"), .hint)) }
    for i in p.internships {
      lines.append(("\(i.id)  \(i.organisation) · \(i.role.isEmpty ? "—" : i.role) · \(strings.date(i.from)) – \(strings.date(i.to))", .label))
      let signed = [("intern", i.intern), ("company", i.company), ("mediator", i.mediator)]
        .map { "\(strings("internship.sign.\($0.0)")) \($0.1.map { "✓ \($0.on)" } ?? "✗")" }.joined(separator: "  ")
      lines.append(("  " + signed, i.missingSignatures.isEmpty ? .plain : .warning))
      let unticked = i.ethics.unticked
      lines.append(("  " + (unticked.isEmpty ? strings("internship.ethicsOK") : strings("internship.ethicsMissing", unticked.map { strings("field.internship.ethics.\($0)") }.joined(separator: ", "))), unticked.isEmpty ? .plain : .warning))
      if !i.supervisor.isEmpty || !i.learningGoals.isEmpty {
        lines.append(("  " + strings("internship.supervisor", i.supervisor.isEmpty ? "—" : i.supervisor, i.learningGoals.isEmpty ? "—" : i.learningGoals.joined(separator: "; ")), .plain))
      }
      if i.isLong { lines.append(("  " + strings("internship.long", i.longerReason ?? "—"), .warning)) }
      let state: String
      if let ended = i.ended {
        state = strings("internship.ended", strings.date(ended), strings(i.certificateIssued ? "internship.certificate" : "internship.noCertificate"))
      } else if let started = i.started {
        state = strings("internship.running", strings.date(started))
      } else {
        state = strings(i.missingSignatures.isEmpty ? "internship.ready" : "internship.waiting")
      }
      lines.append(("  " + state, .plain))
    }
    let fairs = records.fairs.map(\.record).filter { $0.registration(d.id.rawValue) != nil }
    if !fairs.isEmpty {
      lines.append(("", .plain))
      lines.append((strings("jobs.fairs"), .heading))
      for f in fairs {
        let r = f.registration(d.id.rawValue)!
        let needs = [r.transport ? strings("fair.transport") : "", r.childcare ? strings("fair.childcare") : ""].filter { !$0.isEmpty }.joined(separator: ", ")
        lines.append(("\(f.on)  \(f.name)" + (needs.isEmpty ? "" : " · " + needs) + " · " + strings("fair.result", String(r.interviews), String(r.offers)), .plain))
      }
    }
    return lines
  }
}
