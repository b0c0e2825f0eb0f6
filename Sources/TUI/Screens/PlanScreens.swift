import CaseStore
import Casework
import Foundation
import TextCells

/// The Plan tab of a case file (the individual action plan: goals with their actions, reviews,
/// agreement) and the local services guide (`S` on the list, or `:services`).
public struct ServicesState: Sendable {
  public var selection = 0
  /// Words narrowing the guide, in either language.
  public var search = ""
  /// Inactive services listed too.
  public var showAll = false
}

/// Marking an action done: the day and what came of it.
struct PlanCompletion: Sendable {
  var doneOn: LocalDate
  var result: String
  static let fields: [FormField<PlanCompletion>] = [.day("doneOn", \.doneOn), .text("result", \.result)]
}

/// Dropping an action: why.
struct PlanDropping: Sendable {
  var reason: String
  static let fields: [FormField<PlanDropping>] = [.text("reason", required: true, \.reason)]
}

extension PlanReview {
  static let formFields: [FormField<PlanReview>] = [.day("on", \.on), .text("changes", \.changes), .day("next", \.next)]
}

extension PlanAgreement {
  static let formFields: [FormField<PlanAgreement>] = [
    .choice("how", How.self, \.how), .optionalText("witness", \.witness), .day("on", \.on),
  ]
}

extension AppState {
  /// The actions of the case's plan in order, with their goal.
  func planActions(_ d: CaseDocument) -> [(goal: PlanGoal, action: PlanAction)] { d.actionPlan?.actions ?? [] }

  /// The guide by id.
  var servicesByID: [String: Service] {
    Dictionary(records.services.map { ($0.id, $0.record) }, uniquingKeysWith: { a, _ in a })
  }

  /// Keys of the Plan tab; nil when the key is not one of them.
  mutating func handlePlanKey(_ action: KeyAction, _ file: inout CaseFileState) -> [Effect]? {
    let stored = file.stored
    let d = stored.document
    let actions = planActions(d)
    switch action {
    case .nextAction:
      file.planSelection = min(file.planSelection + 1, max(0, actions.count - 1))
      return []
    case .previousAction:
      file.planSelection = max(0, file.planSelection - 1)
      return []
    case .addAction, .editAction, .completeAction, .dropAction, .reviewPlan, .agreePlan, .referService, .printPlan:
      break
    default:
      return nil
    }
    if action == .printPlan {
      guard d.actionPlan != nil else {
        showError(strings("plan.none"))
        return []
      }
      overlay = .picker(Picker(
        title: strings("plan.pickFormat"),
        options: [.init(value: "text", label: strings("export.format.plan-text")), .init(value: "html", label: strings("export.format.plan-html"))],
        target: .screening(.planFormat)))
      return []
    }
    if stored.isReadOnly || d.isClosed {
      showError(d.isClosed ? strings("placement.caseClosed") : strings("case.readOnly", String(d.schemaVersion)))
      return []
    }
    let selected = actions.indices.contains(file.planSelection) ? actions[file.planSelection].action : nil
    func needAction() -> PlanAction? {
      if selected == nil { showInfo(strings("plan.noAction")) }
      return selected
    }
    switch action {
    case .addAction:
      // Which goal first: the plan's goals, then the kinds it has none of yet.
      let existing = d.actionPlan?.goals ?? []
      let options = existing.map { Picker.Option(value: $0.kind.rawValue, label: PlanText.goalTitle($0, strings: strings)) }
        + PlanGoal.Kind.allCases.filter { k in !existing.contains { $0.kind == k } }
          .map { Picker.Option(value: $0.rawValue, label: strings("plan.newGoal", strings("option.goalKind.\($0.rawValue)"))) }
      overlay = .picker(Picker(title: strings("plan.pickGoal"), options: options, target: .planGoal))
    case .editAction:
      guard let a = needAction() else { return [] }
      draft = actionDraft(stored, a, goal: nil)
    case .completeAction:
      guard let a = needAction() else { return [] }
      guard ActionProgress(a, in: d).isOpen else {
        showInfo(strings("plan.alreadyClosed", a.id))
        return []
      }
      let form = DraftForm(
        title: strings("plan.doneTitle", a.id, a.what), value: PlanCompletion(doneOn: today, result: a.result),
        specs: specs("planDone", PlanCompletion.fields), vocabulary: vocabulary
      ) { [today] c in c.doneOn > today ? [.init(path: "doneOn", problem: .dateInFuture(c.doneOn))] : [] }
      draft = DraftSession(form: form, purpose: .planDone(stored, action: a.id))
    case .dropAction:
      guard let a = needAction() else { return [] }
      let form = DraftForm(
        title: strings("plan.dropTitle", a.id, a.what), value: PlanDropping(reason: ""), specs: specs("planDrop", PlanDropping.fields),
        vocabulary: vocabulary
      ) { _ in [] }
      draft = DraftSession(form: form, purpose: .planDrop(stored, action: a.id))
    case .reviewPlan:
      guard d.actionPlan != nil else {
        showError(strings("plan.none"))
        return []
      }
      let value = PlanReview(on: today, by: user, changes: "", next: content.plan.defaultNextReview(after: today))
      let form = DraftForm(
        title: strings("plan.reviewTitle", d.person.displayName), value: value, specs: specs("planReview", PlanReview.formFields),
        vocabulary: vocabulary
      ) { [today, settings = content.plan] in $0.issues(today: today) + settings.reviewIssues($0) }
      draft = DraftSession(form: form, purpose: .planReview(stored))
    case .agreePlan:
      guard let plan = d.actionPlan else {
        showError(strings("plan.none"))
        return []
      }
      let form = DraftForm(
        title: strings("plan.agreeTitle", d.person.displayName, String(plan.version)),
        value: PlanAgreement(on: today, how: .signed, version: plan.version), specs: specs("planAgree", PlanAgreement.formFields, options: ["how": .option("how")]),
        vocabulary: vocabulary
      ) { [today] in $0.issues(today: today) }
      draft = DraftSession(form: form, purpose: .planAgree(stored))
    case .referService:
      guard needAction() != nil else { return [] }
      let active = records.services.filter(\.record.active)
      guard !active.isEmpty else {
        showError(strings("services.noneYet"))
        return []
      }
      var picker = Picker(
        title: strings("plan.pickService"), options: active.sorted { serviceName($0.record) < serviceName($1.record) }.map(serviceOption),
        target: .planService)
      picker.searchable = true
      overlay = .picker(picker)
    default: break
    }
    return []
  }

  /// A service as a picker option: name, provider, next start; found by its words in either language.
  func serviceOption(_ s: StoredRecord<Service>) -> Picker.Option {
    let r = s.record
    let next = r.nextStart(from: today).map { strings("services.nextStart", strings.date($0)) } ?? strings("services.anyTime")
    return .init(
      value: s.id, label: "\(serviceName(r)) · \(next) · \(r.provider.isEmpty ? "—" : r.provider)",
      keywords: [r.name, r.nameEn, r.provider, r.place, strings("option.serviceType.\(r.type.rawValue)")])
  }

  func serviceName(_ s: Service) -> String { strings.language == .en && !s.nameEn.isEmpty ? s.nameEn : s.name }

  /// A goal picked for a new action: a new goal asks first for its words, then the action's form.
  mutating func planGoalPicked(_ value: String) {
    guard let file = caseFile, let kind = PlanGoal.Kind(rawValue: value) else { return }
    pendingGoalTitle = nil
    if !(file.stored.document.actionPlan?.goals.contains { $0.kind == kind } ?? false) {
      prompt = Prompt(kind: .goalTitle(kind))
      return
    }
    openNewAction(kind, goalTitle: "")
  }

  /// The form of a new action under `kind` (a new goal's words kept for when it is saved).
  mutating func openNewAction(_ kind: PlanGoal.Kind, goalTitle: String) {
    guard let file = caseFile else { return }
    pendingGoalTitle = goalTitle.isEmpty ? nil : (kind, goalTitle)
    let d = file.stored.document
    let plan = d.actionPlan ?? ActionPlan(startedOn: today, startedBy: user)
    let a = PlanAction(
      id: plan.nextActionID, what: "", partner: .employmentService, due: today.adding(days: content.plan.actionDueDays), createdOn: today)
    draft = actionDraft(file.stored, a, goal: kind)
  }

  /// A service picked for the selected action: its referral, dated today.
  mutating func planServicePicked(_ service: String) -> [Effect] {
    guard let file = caseFile, var plan = file.stored.document.actionPlan else { return [] }
    let actions = plan.actions
    guard actions.indices.contains(file.planSelection), let at = plan.action(actions[file.planSelection].action.id) else { return [] }
    if let earlier = plan.goals[at.goal].actions[at.action].referral?.service, earlier != service {
      let name = records.services.first { $0.id == earlier }.map { serviceName($0.record) } ?? earlier
      showInfo(strings("plan.referralReplaced", name))
    }
    plan.goals[at.goal].actions[at.action].referral = Referral(service: service, on: today)
    plan.record("\(plan.goals[at.goal].actions[at.action].id) referred to \(service)", by: user, on: today)
    var d = file.stored.document
    d.actionPlan = plan
    return [.save(d, basedOn: file.stored, purpose: .quick("plan.referred"))]
  }

  /// The action form: a new one under `goal`, or the action as it is.
  func actionDraft(_ stored: StoredCase, _ a: PlanAction, goal: PlanGoal.Kind?) -> DraftSession {
    let fields = goal == nil ? PlanAction.fields : PlanAction.fields.filter { !["status", "reason", "result", "doneOn", "referral.outcome"].contains($0.path) }
    let known = Set(records.services.map(\.id))
    let title = goal.map { strings("plan.addTitle", strings("option.goalKind.\($0.rawValue)")) } ?? strings("plan.editTitle", a.id)
    let form = DraftForm(
      title: title, value: a,
      specs: specs(
        "planAction", fields,
        options: [
          "partner": .option("partner"), "status": .option("actionStatus"), "link": .option("actionLink"),
          "referral.service": .service, "referral.outcome": .option("referralOutcome"),
        ]),
      vocabulary: vocabulary
    ) { [today] a in
      var issues = a.issues(today: today)
      if let s = a.referral?.service, !known.contains(s) {
        issues.append(.init(path: "referral.service", problem: .notAllowed(s, options: ["a service of the guide (Enter)"])))
      }
      return issues
    }
    return DraftSession(form: form, purpose: .planAction(stored, goal: goal, action: goal == nil ? a.id : nil))
  }

  /// Saves a plan draft onto the case as stored, as a new version of the plan; nil for others.
  mutating func savePlanDraft(_ purpose: DraftPurpose, _ value: any Sendable) -> [Effect]? {
    func save(_ base: StoredCase, _ change: (inout ActionPlan) -> String?, message: String) -> [Effect] {
      var d = base.document
      var plan = d.actionPlan ?? ActionPlan(startedOn: today, startedBy: user)
      guard let what = change(&plan) else {
        showError(strings("plan.actionGone"))
        return []
      }
      plan.record(what, by: user, on: today)
      d.actionPlan = plan
      return [.save(d, basedOn: base, purpose: .draft(message))]
    }
    switch purpose {
    case .planAction(let base, let goal, let id):
      guard var a = value as? PlanAction else { return [] }
      // Only what was changed in the form goes onto the action as stored now: a field someone
      // else changed meanwhile keeps their value.
      let changed = Set(draft?.form.rows.filter(\.isDirty).map(\.path) ?? [])
      if let goal {
        let title = pendingGoalTitle.flatMap { $0.kind == goal ? $0.title : nil }
        pendingGoalTitle = nil
        return save(base, { plan in
          let g = plan.goal(goal)
          if let title, plan.goals[g].title.isEmpty { plan.goals[g].title = String(title.prefix(200)) }
          a.id = plan.nextActionID
          a.createdOn = today
          plan.goals[g].actions.append(a)
          return "added \(a.id) under \(plan.goals[g].id)"
        }, message: "plan.added")
      }
      guard let id else { return [] }
      return save(base, { plan in
        guard let at = plan.action(id) else { return nil }
        var current = plan.goals[at.goal].actions[at.action]
        guard carry(PlanAction.fields.filter { changed.contains($0.path) }, from: a, to: &current) else { return nil }
        if current.status == .done, current.doneOn == nil { current.doneOn = today }
        plan.goals[at.goal].actions[at.action] = current
        return "changed \(id)"
      }, message: "plan.saved")
    case .planDone(let base, let id):
      guard let c = value as? PlanCompletion else { return [] }
      return save(base, { plan in plan.complete(id, on: c.doneOn, result: c.result) ? "\(id) done" : nil }, message: "plan.done")
    case .planDrop(let base, let id):
      guard let r = value as? PlanDropping else { return [] }
      return save(base, { plan in plan.drop(id, reason: r.reason) ? "\(id) dropped" : nil }, message: "plan.dropped")
    case .planReview(let base):
      guard let r = value as? PlanReview else { return [] }
      return save(base, { plan in
        plan.reviews.append(PlanReview(on: r.on, by: user, changes: r.changes, next: r.next))
        return "reviewed"
      }, message: "plan.reviewed")
    case .planAgree(let base):
      guard var agreement = value as? PlanAgreement, var d = Optional(base.document), d.actionPlan != nil else { return [] }
      agreement.version = d.actionPlan!.version
      if agreement.how == .signed { agreement.witness = nil }
      d.actionPlan!.agreement = agreement
      return [.save(d, basedOn: base, purpose: .draft("plan.agreed"))]
    default:
      return nil
    }
  }

  // MARK: Render

  /// The Plan tab: the plan's head, goals with their actions (the selected one marked), reviews.
  func planLines(_ file: CaseFileState) -> [(String, Style)] {
    let d = file.stored.document
    guard let plan = d.actionPlan else {
      return [(strings("plan.noneYet"), .hint), ("", .plain), (strings("plan.startHint"), .hint)]
    }
    var lines: [(String, Style)] = [
      (strings("plan.head", strings.date(plan.startedOn), String(plan.version)), .heading),
      (PlanText.agreementText(plan, strings: strings), plan.agreement != nil && !plan.changedSinceAgreement ? .plain : .warning),
    ]
    let next = plan.nextReview(intervalMonths: content.plan.reviewIntervalMonths, workingDays: content.plan.workingDays)
    lines.append((strings("plan.nextReview", strings.date(next)), next < today ? .error : .plain))
    var index = 0
    let services = servicesByID
    for g in plan.goals {
      lines.append(("", .plain))
      lines.append((PlanText.goalTitle(g, strings: strings), .heading))
      for a in g.actions {
        let l = PlanText.actionLine(a, of: d, settings: content.plan, services: services, strings: strings, today: today)
        let selected = index == file.planSelection
        let style: Style = selected ? .selected : l.isOverdue ? .error : l.isOpen ? .plain : .hint
        lines.append(("\(selected ? "›" : " ") \(l.mark) \(l.id)  \(l.what)", style))
        let who = l.responsible.isEmpty ? l.partner : "\(l.partner) · \(l.responsible)"
        lines.append(("       " + strings("plan.actionDetail", who, strings.date(l.due), l.status), l.isOpen ? .plain : .hint))
        if !l.result.isEmpty { lines.append(("       " + strings("plan.result", l.result), .hint)) }
        if !l.referral.isEmpty { lines.append(("       " + l.referral, .hint)) }
        index += 1
      }
    }
    if !plan.reviews.isEmpty {
      lines.append(("", .plain))
      lines.append((strings("plan.reviews"), .heading))
      for r in plan.reviews.reversed() {
        lines.append(("  " + strings("plan.reviewLine", strings.date(r.on), r.changes.isEmpty ? "—" : r.changes, strings.date(r.next)), .plain))
      }
    }
    return lines
  }

  // MARK: The services guide

  /// `S` on the list: the local services guide.
  mutating func openServices() -> [Effect] {
    guard sections.contains(.plan) else {
      showError(strings("services.notForRole"))
      return []
    }
    closeScreens()
    services = ServicesState()
    return [.loadRecords]
  }

  /// The guide as shown: active ones (all with `a`) matching the search, by name.
  var shownServices: [StoredRecord<Service>] {
    let s = services ?? ServicesState()
    let language = strings.language.rawValue
    return records.services.filter { r in
      (s.showAll || r.record.active)
        && (s.search.isEmpty || r.record.matches(s.search, kindNames: [strings("option.serviceType.\(r.record.type.rawValue)")])
          || r.record.matches(s.search, kindNames: [Languages.name(r.record.languages.first ?? "", language)]))
    }.sorted { serviceName($0.record).localizedStandardCompare(serviceName($1.record)) == .orderedAscending }
  }

  mutating func handleServices(_ action: KeyAction) -> [Effect] {
    guard var s = services else { return [] }
    defer { if services != nil { services = s } }
    let (moved, selected) = step(shownServices, &s.selection, action, page: listHeight(detail: true))
    if moved { return [] }
    switch action {
    case .back: services = nil
    case .command: prompt = Prompt(kind: .command)
    case .reload:
      showInfo(strings("list.reread"))
      return [.loadRecords]
    case .search:
      var p = Prompt(kind: .serviceSearch)
      p.editor = TextEditor(s.search)
      prompt = p
    case .clearSearch:
      s.search = ""
      s.selection = 0
    case .showAll:
      s.showAll.toggle()
      s.selection = 0
      showInfo(strings(s.showAll ? "services.showingAll" : "services.showingActive"))
    case .newRecord: draft = serviceDraft(nil)
    case .editRecord:
      guard let selected else {
        showInfo(strings("jobs.nothingSelected"))
        return []
      }
      draft = serviceDraft(selected)
    default: break
    }
    return []
  }

  func serviceDraft(_ base: StoredRecord<Service>?) -> DraftSession {
    let form = DraftForm(
      title: base.map { strings("services.editTitle", serviceName($0.record)) } ?? strings("services.newTitle"),
      value: base?.record ?? Service(name: "", type: .course),
      specs: specs("service", Service.fields, options: ["type": .option("serviceType"), "languages": .language]), vocabulary: vocabulary
    ) { [today] in $0.validationIssues(today: today) }
    return DraftSession(form: form, purpose: .service(base))
  }

  func renderServices(into buffer: inout ScreenBuffer) {
    guard let s = services else { return }
    let shown = shownServices
    var title = strings("services.title")
    if !s.search.isEmpty { title += " · " + strings("services.searching", s.search) }
    if s.showAll { title += " " + strings("jobs.allShown") }
    buffer.put(title, row: 1, column: 1, width: columns - 2, style: .title)
    if !records.loaded {
      buffer.put(records.waiting(strings), row: 3, column: 3, width: columns - 4, style: .hint)
      return
    }
    let typeWidth = 17
    let providerWidth = max(18, (columns - 4 - typeWidth - 14) * 35 / 100)
    let nameWidth = columns - 4 - typeWidth - 14 - providerWidth
    let heading = cell(strings("services.col.name"), nameWidth) + cell(strings("services.col.type"), typeWidth)
      + cell(strings("services.col.provider"), providerWidth) + strings("services.col.next")
    let lines: [(String, Style)] = shown.map { r in
      let next = r.record.nextStart(from: today).map { strings.date($0) } ?? (r.record.starts.isEmpty ? strings("services.anyTime") : "—")
      let name = r.record.active ? serviceName(r.record) : strings("employers.inactive") + " " + serviceName(r.record)
      let line = cell(name, nameWidth) + cell(strings("option.serviceType.\(r.record.type.rawValue)"), typeWidth)
        + cell(r.record.provider.isEmpty ? "—" : r.record.provider, providerWidth) + next
      return (line, r.record.active ? .plain : .hint)
    }
    var detail: [(String, Style)] = []
    if shown.indices.contains(s.selection) {
      let r = shown[s.selection].record
      let language = strings.language.rawValue
      var texts = [
        strings("services.detail.when", r.startDates.filter { $0 >= today }.prefix(4).map { strings.date($0) }.joined(separator: ", ").ifBlank(strings("services.anyTime")), r.duration.ifBlank("—"), r.price.ifBlank("—")),
        strings("services.detail.where", r.place.ifBlank("—"), r.languages.map { Languages.name($0, language) }.joined(separator: ", ").ifBlank("—"), r.contact.ifBlank("—")),
      ]
      if !r.conditions.isEmpty { texts.append(strings("services.detail.conditions", r.conditions)) }
      if !r.notes.isEmpty { texts.append(r.notes) }
      detail = texts.map { ($0.oneLine, .plain) }
    }
    putList(
      into: &buffer, heading: heading, lines: lines, selection: s.selection,
      empty: strings(records.services.isEmpty ? "services.none" : "services.noMatch"), detail: detail)
  }
}
