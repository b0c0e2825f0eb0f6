import CaseStore
import Casework
import TextCells

/// The job counsellor's screens, opened with `J` (or `:jobs`) from the case list: the employer
/// register with each employer's open openings, the openings with their ranked candidates (and
/// from a candidate to an internship or a hire), and job fairs with their registrations.
public struct JobsState: Sendable {
  public enum Tab: String, Sendable, CaseIterable { case employers, openings, fairs }
  public var tab: Tab = .openings
  public var employerSelection = 0
  public var openingSelection = 0
  public var fairSelection = 0
  /// Closed openings and inactive employers listed too.
  public var showAll = false
  /// The candidates of one opening, while open.
  public var candidates: CandidatesState?
  /// One fair with its registrations, while open.
  public var fair: FairState?

  public init(tab: Tab = .openings) { self.tab = tab }
}

/// Open cases in bridging or matching ranked for one opening.
public struct CandidatesState: Sendable {
  public var openingID: String
  public var ranked: [JobMatching.Candidate] = []
  public var loaded = false
  public var selection = 0
}

public struct FairState: Sendable {
  public var id: String
  public var selection = 0
}

/// A hire or internship to fill in from an opening once the candidate's case has been read.
struct PendingPlacement: Sendable, Equatable {
  enum Kind: Sendable { case hire, internship }
  var caseID: CaseID
  var kind: Kind
  var openingID: String
}

extension AppState {
  /// `J` on the case list: employers, openings and fairs.
  mutating func openJobs(_ tab: JobsState.Tab = .openings) -> [Effect] {
    guard sections.contains(.placement) else {
      showError(strings("jobs.notForRole"))
      return []
    }
    closeScreens()
    jobs = JobsState(tab: tab)
    return [.loadRecords]
  }

  // MARK: What the lists show

  /// Active employers (all with `a`), by name.
  var shownEmployers: [StoredRecord<Employer>] {
    records.employers.filter { jobs?.showAll == true || $0.record.active }
      .sorted { $0.record.name.localizedStandardCompare($1.record.name) == .orderedAscending }
  }

  /// Open openings (closed ones too with `a`), the soonest start first.
  var shownOpenings: [StoredRecord<Opening>] {
    records.openings.filter { jobs?.showAll == true || $0.record.open }
      .sorted { ($0.record.open ? 0 : 1, $0.record.start, $0.id) < ($1.record.open ? 0 : 1, $1.record.start, $1.id) }
  }

  /// Fairs to come (the nearest first), then those past (the latest first).
  var shownFairs: [StoredRecord<JobFair>] {
    let (coming, past) = (records.fairs.filter { $0.record.on >= today }, records.fairs.filter { $0.record.on < today })
    return coming.sorted { ($0.record.on, $0.id) < ($1.record.on, $1.id) } + past.sorted { ($0.record.on, $0.id) > ($1.record.on, $1.id) }
  }

  var openFair: StoredRecord<JobFair>? {
    guard let id = jobs?.fair?.id else { return nil }
    return records.fairs.first { $0.id == id }
  }

  var candidatesOpening: Opening? {
    guard let id = jobs?.candidates?.openingID else { return nil }
    return records.openings.first { $0.id == id }?.record
  }

  /// The employer's name as the register has it now (the opening's copy when it is gone).
  func employerName(_ o: Opening) -> String {
    records.employers.first { $0.id == o.employer }?.record.name ?? o.employerName
  }

  /// A list's cursor moved for a moving action (true), else the item it is on, if any.
  func step<T>(_ items: [T], _ selection: inout Int, _ action: KeyAction, page: Int) -> (moved: Bool, selected: T?) {
    if let moved = movedSelection(selection, action, count: items.count, page: page) {
      selection = moved
      return (true, nil)
    }
    return (false, items.indices.contains(selection) ? items[selection] : nil)
  }

  /// Where a list's cursor goes for a moving action; nil for other actions.
  func movedSelection(_ selection: Int, _ action: KeyAction, count: Int, page: Int) -> Int? {
    let last = max(0, count - 1)
    switch action {
    case .down: return min(selection + 1, last)
    case .up: return max(0, selection - 1)
    case .first: return 0
    case .last: return last
    case .pageDown: return min(selection + max(1, page), last)
    case .pageUp: return max(0, selection - max(1, page))
    default: return nil
    }
  }

  // MARK: Keys

  mutating func handleJobs(_ action: KeyAction) -> [Effect] {
    guard var j = jobs else { return [] }
    defer { if jobs != nil { jobs = j } }
    if j.candidates != nil { return handleCandidates(action, &j) }
    if j.fair != nil { return handleFair(action, &j) }
    let tabs = JobsState.Tab.allCases
    switch action {
    case .nextTab, .previousTab:
      let i = tabs.firstIndex(of: j.tab)! + (action == .nextTab ? 1 : tabs.count - 1)
      j.tab = tabs[i % tabs.count]
      return []
    case .back:
      jobs = nil
      return []
    case .command:
      prompt = Prompt(kind: .command)
      return []
    case .reload:
      showInfo(strings("list.reread"))
      return [.loadRecords]
    case .showAll:
      j.showAll.toggle()
      jobs = j
      (j.employerSelection, j.openingSelection) = (0, 0)
      showInfo(strings(j.showAll ? "jobs.showingAll" : "jobs.showingOpen"))
      return []
    default: break
    }
    let page = listHeight(detail: true)
    switch j.tab {
    case .employers:
      let (moved, selected) = step(shownEmployers, &j.employerSelection, action, page: page)
      if moved { return [] }
      switch action {
      case .newRecord: draft = employerDraft(nil)
      case .editRecord:
        guard let selected else { return nothingSelected() }
        draft = employerDraft(selected)
      case .newOpening:
        guard let selected else { return nothingSelected() }
        draft = openingDraft(nil, employer: selected.record, employerID: selected.id)
      default: break
      }
    case .openings:
      let (moved, selected) = step(shownOpenings, &j.openingSelection, action, page: page)
      if moved { return [] }
      switch action {
      case .open:
        guard let selected else { return nothingSelected() }
        j.candidates = CandidatesState(openingID: selected.id)
        return [.loadCandidates(selected.id)]
      case .newRecord, .newOpening: draft = openingDraft(nil, employer: nil, employerID: nil)
      case .editRecord:
        guard let selected else { return nothingSelected() }
        draft = openingDraft(selected, employer: nil, employerID: nil)
      default: break
      }
    case .fairs:
      let (moved, selected) = step(shownFairs, &j.fairSelection, action, page: page)
      if moved { return [] }
      switch action {
      case .open:
        guard let selected else { return nothingSelected() }
        j.fair = FairState(id: selected.id)
      case .newRecord: draft = fairDraft(nil)
      case .editRecord:
        guard let selected else { return nothingSelected() }
        draft = fairDraft(selected)
      default: break
      }
    }
    return []
  }

  private mutating func nothingSelected() -> [Effect] {
    showInfo(strings("jobs.nothingSelected"))
    return []
  }

  private mutating func handleCandidates(_ action: KeyAction, _ j: inout JobsState) -> [Effect] {
    guard var c = j.candidates else { return [] }
    defer { if j.candidates != nil { j.candidates = c } }
    let (moved, selected) = step(c.ranked, &c.selection, action, page: listHeight(detail: true))
    if moved { return [] }
    switch action {
    case .back: j.candidates = nil
    case .command: prompt = Prompt(kind: .command)
    case .reload:
      c.loaded = false
      showInfo(strings("list.reread"))
      return [.loadCandidates(c.openingID), .loadRecords]
    case .open:
      guard let selected else { return nothingSelected() }
      pendingTab = .jobs
      return [.open(selected.caseID)]
    case .makeHire, .makeInternship:
      guard let selected else { return nothingSelected() }
      guard let opening = candidatesOpening, opening.open else {
        showError(strings("candidates.closed"))
        return []
      }
      pendingPlacement = PendingPlacement(caseID: selected.caseID, kind: action == .makeHire ? .hire : .internship, openingID: opening.id)
      return [.open(selected.caseID)]
    default: break
    }
    return []
  }

  private mutating func handleFair(_ action: KeyAction, _ j: inout JobsState) -> [Effect] {
    guard var f = j.fair else { return [] }
    defer { if j.fair != nil { j.fair = f } }
    guard let stored = openFair else {
      j.fair = nil
      return []
    }
    let registrations = stored.record.registrations
    let (moved, selected) = step(registrations, &f.selection, action, page: listHeight(detail: true))
    if moved { return [] }
    switch action {
    case .back: j.fair = nil
    case .command: prompt = Prompt(kind: .command)
    case .reload:
      showInfo(strings("list.reread"))
      return [.loadRecords]
    case .register:
      let taken = Set(registrations.map(\.caseID))
      let options = list.all.filter { !$0.isClosed && !taken.contains($0.id.rawValue) }
        .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        .map { Picker.Option(value: $0.id.rawValue, label: "\($0.displayName) · \($0.id)") }
      if options.isEmpty {
        showInfo(strings("fair.noOneToRegister"))
      } else {
        overlay = .picker(Picker(title: strings("fair.registerTitle", stored.record.name), options: options, target: .fairRegister))
      }
    case .editRecord:
      guard let selected else { return nothingSelected() }
      draft = registrationDraft(stored, caseID: selected.caseID, new: false)
    case .editFair:
      draft = fairDraft(stored)
    case .unregister:
      guard let selected else { return nothingSelected() }
      overlay = .confirm(ConfirmDialog(question: strings("confirm.unregister", caseName(selected.caseID), stored.record.name), action: .unregister))
    case .openCase:
      guard let selected else { return nothingSelected() }
      guard let id = try? CaseID(selected.caseID) else { return nothingSelected() }
      pendingTab = .jobs
      return [.open(id)]
    default: break
    }
    return []
  }

  /// A case picked to register for the open fair: its needs next.
  mutating func registerPicked(_ caseID: String) {
    guard let stored = openFair else { return }
    draft = registrationDraft(stored, caseID: caseID, new: true)
  }

  /// The confirmed removal of the selected registration.
  mutating func unregisterSelected() -> [Effect] {
    guard let stored = openFair, let f = jobs?.fair, stored.record.registrations.indices.contains(f.selection) else { return [] }
    var fair = stored.record
    fair.registrations.remove(at: f.selection)
    jobs?.fair?.selection = max(0, min(f.selection, fair.registrations.count - 1))
    return [.saveFair(fair, basedOn: stored, message: "fair.unregistered")]
  }

  /// After a hire or internship from an opening is saved: the opening counts the place.
  func placementEffects(_ stored: StoredCase, _ key: String) -> [Effect] {
    let p = stored.document.placement
    let opening = key == "hire.saved" ? p.hires.last?.opening : key == "internship.saved" ? p.internships.last?.opening : nil
    guard let opening, !opening.isEmpty else { return [] }
    return [.placeInOpening(stored.id, opening)]
  }

  /// The candidates as read: ranked here by the job-matching rules.
  mutating func candidatesLoaded(_ openingID: String, _ pool: [CaseDocument]) {
    guard jobs?.candidates?.openingID == openingID, let opening = candidatesOpening else { return }
    let ranked = JobMatching(settings: content.matching, skills: content.skills).candidates(for: opening, among: pool, today: today)
    guard var c = jobs?.candidates else { return }
    c.ranked = ranked
    c.loaded = true
    c.selection = min(c.selection, max(0, ranked.count - 1))
    jobs?.candidates = c
  }

  /// The candidate's case has been read: the hire or internship form, filled in from the opening.
  mutating func openPendingPlacement(_ pending: PendingPlacement, _ stored: StoredCase) {
    let d = stored.document
    guard let opening = records.openings.first(where: { $0.id == pending.openingID })?.record else {
      showError(strings("candidates.closed"))
      return
    }
    if stored.isReadOnly || d.isClosed {
      showError(d.isClosed ? strings("placement.caseClosed") : strings("case.readOnly", String(d.schemaVersion)))
      return
    }
    switch pending.kind {
    case .hire:
      if let open = d.placement.currentHire {
        showError(strings("hire.open", open.id, open.employerName))
        return
      }
      var h = newHire(d)
      h.fill(from: opening, employerName: employerName(opening), today: today)
      draft = hireDraft(stored, h)
    case .internship:
      if let same = d.placement.internships.first(where: { $0.opening == opening.id && $0.ended == nil }) {
        showError(strings("internship.sameOpening", d.person.displayName, same.id))
        return
      }
      var i = Internship(id: d.placement.nextInternshipID, organisation: "", role: "", from: today, to: today.adding(months: 3))
      i.fill(from: opening, employerName: employerName(opening))
      draft = internshipDraft(stored, i, existing: nil)
    }
  }

  // MARK: Forms

  func employerDraft(_ base: StoredRecord<Employer>?) -> DraftSession {
    let skills = content.skills
    let form = DraftForm(
      title: base.map { strings("employer.editTitle", $0.record.name) } ?? strings("employer.newTitle"),
      value: base?.record ?? Employer(name: ""), specs: specs("employer", Employer.fields, options: ["sector": .sector]),
      vocabulary: vocabulary
    ) { [today] e in
      var issues = e.validationIssues(today: today)
      if !e.sector.isEmpty, skills.sector(e.sector) == nil {
        issues.append(.init(path: "sector", problem: .notAllowed(e.sector, options: skills.sectors.map(\.id))))
      }
      return issues
    }
    return DraftSession(form: form, purpose: .employer(base))
  }

  /// The opening form; a new one at `employer` when it comes from the employers list.
  func openingDraft(_ base: StoredRecord<Opening>?, employer: Employer?, employerID: String?) -> DraftSession {
    let value = base?.record ?? Opening(
      employer: employerID ?? "", employerName: employer?.name ?? "", type: .vacancy, title: "", profile: "",
      region: employer?.region ?? "", start: today)
    let fields = [FormField<Opening>.text("employer", required: true, \.employer)] + Opening.fields
    let known = Set(records.employers.map(\.id))
    let skills = content.skills
    let form = DraftForm(
      title: base.map { strings("opening.editTitle", $0.record.title) } ?? strings("opening.newTitle"), value: value,
      specs: specs(
        "opening", fields,
        options: ["employer": .employer, "type": .option("openingType"), "profile": .occupation, "language": .language]),
      vocabulary: vocabulary
    ) { [today] o in
      var issues = o.validationIssues(today: today)
      if !o.employer.isEmpty, !known.contains(o.employer) {
        issues.append(.init(path: "employer", problem: .notAllowed(o.employer, options: ["an employer of the register"])))
      }
      if !o.profile.isEmpty, skills.profile(o.profile) == nil {
        issues.append(.init(path: "profile", problem: .notAllowed(o.profile, options: ["a job profile (F4)"])))
      }
      return issues
    }
    return DraftSession(form: form, purpose: .opening(base))
  }

  func fairDraft(_ base: StoredRecord<JobFair>?) -> DraftSession {
    let known = Set(records.employers.map(\.id))
    let form = DraftForm(
      title: base.map { strings("fair.editTitle", $0.record.name) } ?? strings("fair.newTitle"),
      value: base?.record ?? JobFair(name: "", on: today),
      specs: specs("fair", JobFair.fields, options: ["type": .option("fairType"), "employers": .employer]), vocabulary: vocabulary
    ) { [today] f in
      var issues = f.validationIssues(today: today)
      for e in f.employers where !known.contains(e) {
        issues.append(.init(path: "employers", problem: .notAllowed(e, options: ["employers of the register"])))
      }
      return issues
    }
    return DraftSession(form: form, purpose: .fair(base))
  }

  /// Registering a case (its needs) or recording how the fair went for it.
  func registrationDraft(_ fair: StoredRecord<JobFair>, caseID: String, new: Bool) -> DraftSession {
    let value = fair.record.registration(caseID) ?? FairRegistration(caseID: caseID)
    let fields = new ? FairRegistration.fields.filter { ["transport", "childcare", "notes"].contains($0.path) } : FairRegistration.fields
    let title = strings(new ? "registration.newTitle" : "registration.editTitle", caseName(caseID), fair.record.name)
    // The fair's rules for this registration (results from the fair's day on, none for a no-show).
    let form = DraftForm(title: title, value: value, specs: specs("registration", fields), vocabulary: vocabulary) { [today, fair = fair.record] r in
      var alone = fair
      alone.registrations = [r]
      return alone.validationIssues(today: today).compactMap { issue in
        issue.path.hasPrefix("registrations[0].") ? ValidationIssue(path: String(issue.path.dropFirst(17)), problem: issue.problem) : nil
      }
    }
    return DraftSession(form: form, purpose: .registration(fair, caseID: caseID, new: new))
  }

  /// Saves a job draft (employer, opening, fair, registration); nil for other drafts.
  mutating func saveJobDraft(_ purpose: DraftPurpose, _ value: any Sendable) -> [Effect]? {
    switch purpose {
    case .employer(let base):
      guard let e = value as? Employer else { return [] }
      return [.saveEmployer(e, basedOn: base)]
    case .opening(let base):
      guard var o = value as? Opening else { return [] }
      if let e = records.employers.first(where: { $0.id == o.employer }) { o.employerName = e.record.name }
      return [.saveOpening(o, basedOn: base)]
    case .fair(let base):
      guard let edited = value as? JobFair else { return [] }
      // The form's fields on top of the fair as last read (registrations may have changed since).
      guard var f = base?.record else { return [.saveFair(edited, basedOn: nil, message: "fair.created")] }
      guard carry(JobFair.fields, from: edited, to: &f) else { return [] }
      return [.saveFair(f, basedOn: base, message: "fair.saved")]
    case .registration(let base, let caseID, let new):
      guard let r = value as? FairRegistration else { return [] }
      var f = base.record
      if new {
        if f.registration(caseID) != nil {
          showError(strings("fair.alreadyRegistered", caseName(caseID)))
          return []
        }
        f.registrations.append(r)
      } else {
        guard let i = f.registrations.firstIndex(where: { $0.caseID == caseID }) else {
          showError(strings("fair.registrationGone"))
          return []
        }
        guard carry(FairRegistration.fields, from: r, to: &f.registrations[i]) else { return [] }
      }
      return [.saveFair(f, basedOn: base, message: new ? "fair.registered" : "fair.resultSaved")]
    default:
      return nil
    }
  }

  /// A saved employer, opening or fair: in the cache, the list's cursor on it.
  mutating func jobRecordSaved(_ saved: SavedJobRecord) {
    draft = nil
    switch saved {
    case .employer(let e):
      records.store(e)
      if let i = shownEmployers.firstIndex(where: { $0.id == e.id }) { jobs?.employerSelection = i }
      showSuccess(strings("employer.saved", e.record.name, String(e.revision)))
    case .opening(let o):
      records.store(o)
      if let i = shownOpenings.firstIndex(where: { $0.id == o.id }) { jobs?.openingSelection = i }
      showSuccess(strings("opening.saved", o.id, String(o.revision)))
    case .service(let s):
      records.store(s)
      if let i = shownServices.firstIndex(where: { $0.id == s.id }) { services?.selection = i }
      showSuccess(strings("services.saved", serviceName(s.record), String(s.revision)))
    case .fair(let f, let message):
      records.store(f)
      if jobs?.fair == nil, let i = shownFairs.firstIndex(where: { $0.id == f.id }) { jobs?.fairSelection = i }
      // A new registration is the one selected.
      if jobs?.fair?.id == f.id, message == "fair.registered" { jobs?.fair?.selection = max(0, f.record.registrations.count - 1) }
      showSuccess(strings(message, f.record.name, String(f.revision)))
    }
  }

  // MARK: Render

  /// Rows for a list, leaving the detail pane below it when `detail`.
  func listHeight(detail: Bool) -> Int { rows - 7 - (detail ? detailHeight + 1 : 0) }

  /// The detail pane: the candidates' every part of the score (a heading and six parts), else five lines.
  var detailHeight: Int { rows >= 30 ? 9 : (jobs?.candidates != nil ? 7 : 5) }

  func renderJobs(into buffer: inout ScreenBuffer) {
    guard let j = jobs else { return }
    if j.candidates != nil { return renderCandidates(into: &buffer) }
    if j.fair != nil { return renderFair(into: &buffer) }
    var x = 1
    for tab in JobsState.Tab.allCases {
      let label = " " + strings("jobs.tab.\(tab.rawValue)") + " "
      buffer.put(label, row: 1, column: x, style: j.tab == tab ? .tabActive : .hint)
      x += TextWidth.width(of: label) + 1
    }
    if j.showAll, j.tab != .fairs {
      buffer.put(strings("jobs.allShown"), row: 1, column: x + 2, width: columns - x - 3, style: .hint)
    }
    if !records.loaded {
      buffer.put(records.waiting(strings), row: 3, column: 3, width: columns - 4, style: .hint)
      return
    }
    switch j.tab {
    case .employers: renderEmployers(j, into: &buffer)
    case .openings: renderOpenings(j, into: &buffer)
    case .fairs: renderFairs(j, into: &buffer)
    }
  }

  /// A list with a heading, its rows (the selected one marked) and a detail pane below.
  func putList(
    into buffer: inout ScreenBuffer, heading: String, lines: [(String, Style)], selection: Int, empty: String,
    detail: [(String, Style)]
  ) {
    buffer.put(heading, row: 3, column: 3, width: columns - 4, style: .heading)
    if lines.isEmpty {
      buffer.put(empty, row: 4, column: 3, width: columns - 4, style: .hint)
    }
    let height = listHeight(detail: true)
    let top = max(0, selection - height + 1)
    for (i, line) in lines.enumerated().dropFirst(top).prefix(height) {
      let y = 4 + i - top
      let selected = i == selection
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(line.0, row: y, column: 3, width: columns - 4, style: selected ? .selected : line.1)
    }
    let first = 4 + height
    buffer.put(String(repeating: "─", count: columns - 2), row: first, column: 1, style: .hint)
    for (i, line) in detail.prefix(detailHeight).enumerated() {
      buffer.put(line.0, row: first + 1 + i, column: 3, width: columns - 4, style: line.1)
    }
  }

  /// Widths for flexible columns sharing what the fixed ones leave.
  private func shares(fixed: Int, _ parts: [Int]) -> [Int] {
    let room = max(parts.count * 8, columns - 4 - fixed)
    let total = parts.reduce(0, +)
    var widths = parts.map { room * $0 / total }
    widths[widths.count - 1] += room - widths.reduce(0, +)
    return widths
  }

  func cell(_ text: String, _ width: Int) -> String {
    TextWidth.pad(TextWidth.truncate(text.oneLine, to: width - 1), to: width)
  }

  private func renderEmployers(_ j: JobsState, into buffer: inout ScreenBuffer) {
    let shown = shownEmployers
    let lang = strings.language.rawValue
    let openCount = Dictionary(grouping: records.openings.filter(\.record.open), by: \.record.employer).mapValues(\.count)
    let w = shares(fixed: 14 + 9, [5, 4, 2])
    let heading = cell(strings("employers.col.name"), w[0]) + cell(strings("employers.col.sector"), w[1])
      + cell(strings("employers.col.region"), w[2]) + cell(strings("employers.col.contact"), 14) + strings("employers.col.open")
    let lines: [(String, Style)] = shown.map { s in
      let e = s.record
      let name = e.active ? e.name : strings("employers.inactive") + " " + e.name
      let line = cell(name, w[0]) + cell(e.sector.isEmpty ? "—" : content.skills.sectorName(e.sector, lang), w[1])
        + cell(e.region.isEmpty ? "—" : e.region, w[2]) + cell(e.contact.isEmpty ? "—" : e.contact, 14)
        + strings("employers.open", strings.number(openCount[s.id] ?? 0))
      return (line, e.active ? .plain : .hint)
    }
    var detail: [(String, Style)] = []
    if shown.indices.contains(j.employerSelection) {
      let s = shown[j.employerSelection]
      let e = s.record
      let reach = [e.contact, e.phone ?? "", e.email].filter { !$0.isEmpty }.map(\.oneLine).joined(separator: " · ")
      detail.append((strings("employers.detail.contact", reach.ifBlank("—")), .plain))
      detail.append((strings("employers.detail.hr", e.hrContact.oneLine.ifBlank("—")) + (e.notes.isEmpty ? "" : " · " + e.notes.oneLine), .plain))
      let openings = records.openings.map(\.record).filter { $0.employer == s.id && $0.open }.sorted { $0.start < $1.start }
      detail.append((openings.isEmpty ? strings("employers.detail.noOpenings") : strings.plural("employers.detail.openings", openings.count), .heading))
      for o in openings { detail.append(("  " + openingSummary(o), .plain)) }
    }
    putList(
      into: &buffer, heading: heading, lines: lines, selection: j.employerSelection,
      empty: strings(j.showAll ? "employers.none" : "employers.noneActive"), detail: detail)
  }

  /// "Magazijnier · vacature · from 4 Jan 2027 · 2 places" for one opening.
  func openingSummary(_ o: Opening) -> String {
    let when = o.end.map { strings.date(o.start) + " – " + strings.date($0) } ?? strings("opening.from", strings.date(o.start))
    var parts = [o.title.oneLine, strings("option.openingType.\(o.type.rawValue)"), when]
    parts.append(o.taken > 0 ? strings("opening.placesTaken", String(o.taken), String(o.places)) : strings.plural("opening.places", o.places))
    if content.matching.isShortage(o.profile) { parts.append(strings("opening.shortage")) }
    if !o.open { parts.append(strings("opening.closed")) }
    return parts.joined(separator: " · ")
  }

  private func renderOpenings(_ j: JobsState, into buffer: inout ScreenBuffer) {
    let shown = shownOpenings
    // The region goes to the detail pane at 80 columns, leaving titles and employers room.
    let regionWidth = columns >= 100 ? 14 : 0
    let w = shares(fixed: 12 + regionWidth + 13 + 4, [1, 1])
    let heading = cell(strings("openings.col.title"), w[0]) + cell(strings("openings.col.employer"), w[1])
      + cell(strings("openings.col.type"), 12) + (regionWidth > 0 ? cell(strings("openings.col.region"), regionWidth) : "")
      + cell(strings("openings.col.start"), 13) + strings("openings.col.places")
    let lines: [(String, Style)] = shown.map { s in
      let o = s.record
      let title = (content.matching.isShortage(o.profile) ? "★ " : "") + o.title
      var line = cell(title, w[0]) + cell(employerName(o), w[1]) + cell(strings("option.openingType.\(o.type.rawValue)"), 12)
      if regionWidth > 0 { line += cell(o.region.isEmpty ? "—" : o.region, regionWidth) }
      line += cell(strings.date(o.start), 13) + (o.taken > 0 ? "\(o.taken)/\(o.places)" : String(o.places))
      if !o.open { line += " " + strings("opening.closed") }
      return (line, o.open ? .plain : .hint)
    }
    var detail: [(String, Style)] = []
    if shown.indices.contains(j.openingSelection) {
      let o = shown[j.openingSelection].record
      let lang = strings.language.rawValue
      detail.append(("\(shown[j.openingSelection].id)  " + openingSummary(o), .heading))
      let profile = content.skills.profile(o.profile).map { $0.title(lang) } ?? o.profile
      let language = o.language.isEmpty ? "—" : Languages.name(o.language, lang) + (o.languageLevel.map { " " + $0.rawValue } ?? "")
      detail.append((strings("openings.detail.profile", profile, o.hoursPerWeek.map { String($0) } ?? "—", language), .plain))
      detail.append((strings("openings.detail.region", o.region.isEmpty ? "—" : o.region), .plain))
      if !o.notes.isEmpty { detail.append((o.notes.oneLine, .hint)) }
      detail.append((strings("openings.detail.enter"), .hint))
    }
    putList(
      into: &buffer, heading: heading, lines: lines, selection: j.openingSelection,
      empty: strings(j.showAll ? "openings.noneAtAll" : "openings.noneOpen"), detail: detail)
  }

  private func renderFairs(_ j: JobsState, into buffer: inout ScreenBuffer) {
    let shown = shownFairs
    let w = shares(fixed: 13 + 10 + 12 + 6, [3, 2])
    let heading = cell(strings("fairs.col.on"), 13) + cell(strings("fairs.col.type"), 10) + cell(strings("fairs.col.name"), w[0])
      + cell(strings("fairs.col.place"), w[1]) + cell(strings("fairs.col.registered"), 12) + strings("fairs.col.offers")
    let lines: [(String, Style)] = shown.map { s in
      let f = s.record
      let line = cell(strings.date(f.on), 13) + cell(strings("option.fairType.\(f.type.rawValue)"), 10) + cell(f.name, w[0])
        + cell(f.place.isEmpty ? "—" : f.place, w[1]) + cell(strings.number(f.registrations.count), 12)
        + strings.number(f.registrations.reduce(0) { $0 + $1.offers })
      return (line, f.on < today ? .hint : .plain)
    }
    var detail: [(String, Style)] = []
    if shown.indices.contains(j.fairSelection) {
      detail = fairTotals(shown[j.fairSelection])
      detail.append((strings("fairs.detail.enter"), .hint))
    }
    putList(into: &buffer, heading: heading, lines: lines, selection: j.fairSelection, empty: strings("fairs.none"), detail: detail)
  }

  /// A fair's employers and totals: registered, what to arrange, who came, interviews, offers.
  func fairTotals(_ stored: StoredRecord<JobFair>) -> [(String, Style)] {
    let f = stored.record
    let names = f.employers.map { id in records.employers.first { $0.id == id }?.record.name.oneLine ?? id }
    let r = f.registrations
    // The employers take two lines when one does not hold them.
    var lines = wrap(strings("fairs.detail.employers", names.joined(separator: ", ").ifBlank("—")), width: columns - 4).prefix(2).map { ($0, Style.plain) }
    lines.append((
      strings(
        "fairs.detail.needs", strings.number(r.count), strings.number(r.filter(\.transport).count),
        strings.number(r.filter(\.childcare).count)), .plain))
    lines.append((
      strings(
        "fairs.detail.results", strings.number(r.filter { $0.attended == true }.count),
        strings.number(r.filter { $0.attended == nil }.count), strings.number(r.reduce(0) { $0 + $1.interviews }),
        strings.number(r.reduce(0) { $0 + $1.offers })), .plain))
    if stored.hiddenEntries > 0 { lines.append((strings.plural("fairs.detail.hidden", stored.hiddenEntries), .hint)) }
    return lines
  }

  private func renderCandidates(into buffer: inout ScreenBuffer) {
    guard let c = jobs?.candidates else { return }
    guard let o = candidatesOpening else {
      buffer.put(strings("candidates.closed"), row: 3, column: 3, width: columns - 4, style: .hint)
      return
    }
    buffer.put(strings("candidates.title", o.title, strings.date(o.start), employerName(o)), row: 1, column: 1, width: columns - 2, style: .title)
    let w = shares(fixed: 9 + 12 + 20, [1])
    let heading = cell(strings("candidates.col.score"), 9) + cell(strings("column.id"), 12) + cell(strings("column.name"), w[0])
      + strings("candidates.col.weakest")
    let lines: [(String, Style)] = c.ranked.map { r in
      let weakest = r.score.parts.filter { $0.maximum > 0 }.min { $0.points * 100 / $0.maximum < $1.points * 100 / $1.maximum }
      return (
        cell("\(r.score.total)/\(r.score.maximum)", 9) + cell(r.caseID.rawValue, 12) + cell(r.name, w[0])
          + (weakest.map { "\(strings("match.part.\($0.name)")) \($0.points)/\($0.maximum)" } ?? ""), .plain)
    }
    var detail: [(String, Style)] = []
    if c.ranked.indices.contains(c.selection) {
      let r = c.ranked[c.selection]
      detail.append((strings("candidates.detail", r.name, String(r.score.total), String(r.score.maximum)), .heading))
      detail += scorePartLines(r.score).map { ($0.text, $0.style) }
    }
    putList(
      into: &buffer, heading: heading, lines: lines, selection: c.selection,
      empty: strings(c.loaded ? "candidates.none" : "candidates.reading"), detail: detail)
  }

  /// Each part of a score: name, points of its maximum, and what it was worked out from.
  func scorePartLines(_ score: JobMatching.Score) -> [TextOverlay.Line] {
    score.parts.map { part in
      let label = TextWidth.pad(strings("match.part.\(part.name)"), to: 16)
      let points = TextWidth.padLeft("\(part.points)/\(part.maximum)", to: 6)
      let values = part.shownValues(strings: strings, skills: content.skills)
      return .init("   \(label)\(points)  " + strings.format("match.detail.\(part.detail.key)", values), part.points < part.maximum ? .hint : .plain)
    }
  }

  private func renderFair(into buffer: inout ScreenBuffer) {
    guard let f = jobs?.fair, let stored = openFair else { return }
    let fair = stored.record
    let place = fair.place.isEmpty ? "" : " · " + fair.place
    buffer.put(
      "\(fair.name) · \(strings("option.fairType.\(fair.type.rawValue)")) · \(strings.date(fair.on))\(place)", row: 1, column: 1,
      width: columns - 2, style: .title)
    let w = shares(fixed: 12 + 10 + 10 + 9 + 8 + 6, [1])
    let heading = cell(strings("column.name"), w[0]) + cell(strings("column.id"), 12) + cell(strings("fair.col.transport"), 10)
      + cell(strings("fair.col.childcare"), 10) + cell(strings("fair.col.came"), 9) + cell(strings("fair.col.interviews"), 8)
      + strings("fair.col.offers")
    let lines: [(String, Style)] = fair.registrations.map { r in
      let yes = strings("option.yesNo.yes")
      let came = r.attended.map { strings($0 ? "option.yesNo.yes" : "option.yesNo.no") } ?? "—"
      let line = cell(caseName(r.caseID), w[0]) + cell(r.caseID, 12) + cell(r.transport ? yes : "—", 10)
        + cell(r.childcare ? yes : "—", 10) + cell(came, 9) + cell(String(r.interviews), 8) + String(r.offers)
      return (line, r.attended == false ? .hint : .plain)
    }
    var detail = fairTotals(stored)
    if fair.registrations.indices.contains(f.selection), !fair.registrations[f.selection].notes.isEmpty {
      detail.insert((strings("fair.notes", fair.registrations[f.selection].notes.oneLine), .plain), at: 0)
    }
    putList(into: &buffer, heading: heading, lines: lines, selection: f.selection, empty: strings("fair.noRegistrations"), detail: detail)
  }

  var jobsStatusText: String {
    guard let j = jobs else { return "" }
    if let c = j.candidates { return strings.plural("candidates.status", c.ranked.count) }
    if let f = openFair { return strings("group.status", f.id, String(f.revision), f.record.updatedBy, strings.moment(f.record.updatedAt)) }
    return strings(
      "jobs.status", strings.number(records.employers.filter(\.record.active).count),
      strings.number(records.openings.filter(\.record.open).count), strings.number(records.fairs.filter { $0.record.on >= today }.count))
  }
}

/// An employer, opening or fair as saved.
public enum SavedJobRecord: Sendable {
  case employer(StoredRecord<Employer>)
  case opening(StoredRecord<Opening>)
  case fair(StoredRecord<JobFair>, message: String)
  case service(StoredRecord<Service>)
}

extension RecordCache {
  mutating func store(_ employer: StoredRecord<Employer>) { employers.upsert(employer) }
  mutating func store(_ opening: StoredRecord<Opening>) { openings.upsert(opening) }
  mutating func store(_ service: StoredRecord<Service>) { services.upsert(service) }
  mutating func store(_ fair: StoredRecord<JobFair>) { fairs.upsert(fair) }
}

extension Array {
  /// Replaces the record with the same id, or adds it.
  mutating func upsert<R: StoreRecord>(_ record: StoredRecord<R>) where Element == StoredRecord<R> {
    if let i = firstIndex(where: { $0.id == record.id }) { self[i] = record } else { append(record) }
  }
}

extension String {
  func ifBlank(_ other: String) -> String { trimmingCharacters(in: .whitespaces).isEmpty ? other : self }
}
