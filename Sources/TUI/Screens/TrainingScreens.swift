import CaseStore
import Casework
import TextCells

/// Training groups and mentors as last read from the store (few: read whole).
public struct RecordCache: Sendable {
  public var groups: [StoredRecord<TrainingGroup>] = []
  public var mentors: [StoredRecord<Mentor>] = []
  public var openings: [StoredRecord<Opening>] = []
  public var fairs: [StoredRecord<JobFair>] = []
  /// The employer register, for picking an employer by name.
  public var employers: [StoredRecord<Employer>] = []
  /// The local services guide.
  public var services: [StoredRecord<Service>] = []
  /// Open pairs per mentor over the whole store (places are taken by mentees of every centre).
  public var mentorLoad: [String: Int]?
  /// False until the records have been read once; the calendar and the report wait for the
  /// groups rather than work out every case's figures twice (at 100,000 cases, ~0.5 s each).
  public var loaded = false
  /// Why the last read failed, while nothing has been read yet.
  public var failure: String?

  public init(
    groups: [StoredRecord<TrainingGroup>] = [], mentors: [StoredRecord<Mentor>] = [], openings: [StoredRecord<Opening>] = [],
    fairs: [StoredRecord<JobFair>] = [], employers: [StoredRecord<Employer>] = []
  ) {
    self.employers = employers
    self.groups = groups
    self.mentors = mentors
    self.openings = openings
    self.fairs = fairs
  }

  /// What a screen that counts the groups shows until they are read.
  func waiting(_ strings: Strings) -> String {
    strings(failure == nil ? "records.reading" : "records.unreadable")
  }

  /// The groups a case takes part in.
  public func groups(of caseID: CaseID) -> [TrainingGroup] {
    groups.map(\.record).filter { $0.participant(caseID.rawValue) != nil }
  }

  mutating func store(_ group: StoredRecord<TrainingGroup>) { groups.upsert(group) }
  mutating func store(_ mentor: StoredRecord<Mentor>) { mentors.upsert(mentor) }
}

/// The trainer's screens: the list of groups, and one group open (overview or module walk-through).
public struct GroupsState: Sendable {
  public var selection = 0
  public var open: GroupScreen?
}

public struct GroupScreen: Sendable {
  public var id: String
  public var participant = 0
  /// The module of the walk-through (index in the programme).
  public var module = 0
  public var walking = false
}

extension AppState {
  /// `T` on the case list: the training groups.
  mutating func openGroups() -> [Effect] {
    closeScreens()
    groups = GroupsState()
    return [.loadRecords]
  }

  var openGroup: StoredRecord<TrainingGroup>? {
    guard let id = groups?.open?.id else { return nil }
    return records.groups.first { $0.id == id }
  }

  /// Name and gender of a case from the case list.
  func caseName(_ id: String) -> String {
    list.all.first { $0.id.rawValue == id }?.displayName ?? id
  }

  func caseGender(_ id: String) -> Gender { list.all.first { $0.id.rawValue == id }?.gender ?? .unspecified }

  mutating func handleGroups(_ action: KeyAction) -> [Effect] {
    guard var g = groups else { return [] }
    defer { if groups != nil { groups = g } }
    if g.open != nil { return handleGroup(action, &g) }
    let count = records.groups.count
    switch action {
    case .down: g.selection = min(g.selection + 1, max(0, count - 1))
    case .up: g.selection = max(0, g.selection - 1)
    case .first: g.selection = 0
    case .last: g.selection = max(0, count - 1)
    case .open:
      if records.groups.indices.contains(g.selection) { g.open = GroupScreen(id: records.groups[g.selection].id) }
    case .newGroup:
      draft = groupDraft(nil)
    case .back:
      groups = nil
    case .command:
      prompt = Prompt(kind: .command)
    default: break
    }
    return []
  }

  func groupDraft(_ base: StoredRecord<TrainingGroup>?) -> DraftSession {
    let programme = content.voorwerk
    let group = base?.record ?? TrainingGroup(
      name: "", centre: "", trainers: [user], language: "", days: [], capacity: 12,
      level: programme.levels[programme.levels.count / 2].id)
    let fields = TrainingGroup.fields(levels: programme.levels.map(\.id))
    let specs = fields.map { f in
      DraftSpec(f, label: .key("field.group.\(f.path)"), hint: .key("hint.group.\(f.path)"), options: ["level": OptionLabels.level, "language": .language][f.path] ?? .plain)
    }
    let title = base.map { strings("group.editTitle", $0.record.name) } ?? strings("group.newTitle")
    let form = DraftForm(title: title, value: group, specs: specs, vocabulary: vocabulary) { [today] in $0.validationIssues(today: today) }
    return DraftSession(form: form, purpose: base.map { .editGroup($0) } ?? .newGroup)
  }

  private mutating func handleGroup(_ action: KeyAction, _ g: inout GroupsState) -> [Effect] {
    guard var screen = g.open, let stored = openGroup else {
      g.open = nil
      return []
    }
    defer { if g.open != nil { g.open = screen } }
    let group = stored.record
    let count = group.participants.count
    let programme = content.voorwerk
    let selected = group.participants.indices.contains(screen.participant) ? group.participants[screen.participant] : nil
    switch action {
    case .down:
      screen.participant = min(screen.participant + 1, max(0, count - 1))
      return []
    case .up:
      screen.participant = max(0, screen.participant - 1)
      return []
    case .first:
      screen.participant = 0
      return []
    case .last:
      screen.participant = max(0, count - 1)
      return []
    case .back:
      if screen.walking { screen.walking = false } else { g.open = nil }
      return []
    case .command:
      prompt = Prompt(kind: .command)
      return []
    case .groupReport:
      let genders = Dictionary(uniqueKeysWithValues: group.participants.map { ($0.caseID, caseGender($0.caseID)) })
      let report = TrainingReport(group: group, programme: programme, genders: genders)
      overlay = .text(TextOverlay(
        title: strings("training.report.title", group.name, group.id),
        lines: TrainingReportText.lines(report, group: group, programme: programme, strings: strings).dropFirst(2).map { .init($0) }))
      return []
    case .entryTest:
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        return []
      }
      scoreSheet = .entryTest(group: stored, caseID: p.caseID, programme: programme, strings: strings, name: caseName(p.caseID))
      return []
    case .evaluation:
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        return []
      }
      // The closing evaluation comes after the last module was given.
      if let last = programme.modules.last, group.delivered[last.id] == nil {
        showError(strings("group.evaluationAfterLast", last.id))
        return []
      }
      scoreSheet = .evaluation(group: stored, caseID: p.caseID, strings: strings, name: caseName(p.caseID))
      return []
    default:
      break
    }
    return screen.walking
      ? handleWalk(action, &screen, stored: stored, selected: selected)
      : handleGroupOverview(action, &screen, stored: stored, selected: selected)
  }

  /// The module walk-through: attendance and notes per participant, module by module.
  private mutating func handleWalk(
    _ action: KeyAction, _ screen: inout GroupScreen, stored: StoredRecord<TrainingGroup>, selected: TrainingGroup.Participant?
  ) -> [Effect] {
    let group = stored.record
    let programme = content.voorwerk
    let module = programme.modules[screen.module].id
    let marks: [KeyAction: TrainingGroup.Attendance] = [.present: .present, .absent: .absent, .excused: .excused]
    switch action {
    case .nextModule:
      screen.module = min(screen.module + 1, programme.modules.count - 1)
      screen.participant = 0
    case .previousModule:
      screen.module = max(0, screen.module - 1)
      screen.participant = 0
    case .present, .absent, .excused:
      // Attendance is of a module given: first D, then who was there.
      guard group.delivered[module] != nil else {
        showError(strings("group.notDeliveredYet", module))
        break
      }
      guard selected != nil else {
        showInfo(strings("group.noParticipant"))
        break
      }
      var updated = group
      updated.participants[screen.participant].attendance[module] = marks[action]
      screen.participant = min(screen.participant + 1, max(0, group.participants.count - 1))
      return [.saveGroup(updated, basedOn: stored, message: "group.attendanceSaved")]
    case .cycleAttendance:
      guard group.delivered[module] != nil else {
        showError(strings("group.notDeliveredYet", module))
        break
      }
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        break
      }
      var updated = group
      let cycle: [TrainingGroup.Attendance?] = [nil, .present, .absent, .excused]
      let now = cycle.firstIndex(of: p.attendance[module]) ?? 0
      updated.participants[screen.participant].attendance[module] = cycle[(now + 1) % cycle.count]
      return [.saveGroup(updated, basedOn: stored, message: "group.attendanceSaved")]
    case .delivered:
      // Given today, on a day of the group; another day is asked about first.
      if group.delivered[module] == nil, let planned = programme.plannedDay(of: screen.module, days: group.days), planned != today,
        !deliveryConfirmed
      {
        overlay = .confirm(ConfirmDialog(
          question: strings("confirm.deliverOffDay", strings.date(today), strings.date(planned), module), action: .deliverOffDay))
        break
      }
      deliveryConfirmed = false
      var updated = group
      updated.delivered[module] = group.delivered[module] == nil ? today : nil
      return [.saveGroup(updated, basedOn: stored, message: updated.delivered[module] == nil ? "group.undelivered" : "group.delivered")]
    case .lessonPlan:
      overlay = .text(TextOverlay(title: strings("lesson.title", programme.modules[screen.module].title(strings.language.rawValue)), lines: lessonLines(programme.modules[screen.module])))
    case .participantNote:
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        break
      }
      var prompt = Prompt(kind: .groupNote(groupID: group.id, caseID: p.caseID, module: module))
      prompt.editor = TextEditor(p.notes[module] ?? "")
      self.prompt = prompt
    default: break
    }
    return []
  }

  /// A module's lesson plan as lines: aims, topics, exercises, what to prepare, the skills.
  func lessonLines(_ m: VoorwerkProgramme.Module) -> [TextOverlay.Line] {
    let lang = strings.language.rawValue
    guard let plan = m.plan else { return [.init(strings("lesson.none"), .hint)] }
    var lines: [TextOverlay.Line] = [.init(strings("lesson.aims"), .heading), .init(plan.aims(lang)), .init("")]
    for (key, items) in [("lesson.topics", plan.topics), ("lesson.exercises", plan.exercises), ("lesson.prepare", plan.prepare)] {
      lines.append(.init(strings(key), .heading))
      lines += items.map { .init("• " + $0(lang)) }
      lines.append(.init(""))
    }
    lines.append(.init(strings("lesson.skills"), .heading))
    lines.append(.init(plan.skills.map { strings("skill.\($0)") }.joined(separator: " · ")))
    lines.append(.init(strings("lesson.hours", m.hoursText), .hint))
    return lines
  }

  /// The group overview: participants, entry test, part 3, evaluation, report.
  private mutating func handleGroupOverview(
    _ action: KeyAction, _ screen: inout GroupScreen, stored: StoredRecord<TrainingGroup>, selected: TrainingGroup.Participant?
  ) -> [Effect] {
    let group = stored.record
    switch action {
    case .walkthrough:
      screen.walking = true
      // Today's module when today is one of the group's days, else the first not yet given.
      let programme = content.voorwerk
      let todays = programme.modules.indices.first { programme.plannedDay(of: $0, days: group.days) == today && group.delivered[programme.modules[$0].id] == nil }
      screen.module = todays ?? programme.modules.firstIndex { group.delivered[$0.id] == nil } ?? 0
      screen.participant = 0
    case .addParticipant:
      // A trainer sees only the group's own participants: adding someone is a case worker's job.
      guard sections.contains(.personal) else {
        showError(strings("group.addNotForRole"))
        break
      }
      let taken = Set(group.participants.map(\.caseID))
      let options = list.all.filter { !$0.isClosed && !taken.contains($0.id.rawValue) }
        .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        .map { Picker.Option(value: $0.id.rawValue, label: "\($0.displayName) · \($0.id)") }
      // Places count every participant, those of cases the user may not see too.
      if group.participants.count + stored.hiddenEntries >= group.capacity {
        showError(strings("group.full", String(group.capacity)))
      } else if options.isEmpty {
        showInfo(strings("group.noOneToAdd"))
      } else {
        overlay = .picker(Picker(title: strings("group.addTitle"), options: options, target: .groupAddParticipant))
      }
    case .removeParticipant:
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        break
      }
      overlay = .confirm(ConfirmDialog(question: strings("confirm.removeParticipant", caseName(p.caseID)), action: .removeParticipant))
    case .editGroup:
      draft = groupDraft(stored)
    case .practice:
      guard let p = selected else {
        showInfo(strings("group.noParticipant"))
        break
      }
      let specs = TrainingGroup.practiceFields.map { f in
        DraftSpec(f, label: .key("field.practice.\(f.path)"), hint: .key("hint.practice.\(f.path)"))
      }
      let form = DraftForm(title: strings("practice.title", caseName(p.caseID), group.name), value: p, specs: specs, vocabulary: vocabulary) { _ in [] }
      draft = DraftSession(form: form, purpose: .practice(stored, caseID: p.caseID))
    case .open:
      guard let p = selected, let id = try? CaseID(p.caseID) else { break }
      pendingTab = .training
      return [.open(id)]
    default: break
    }
    return []
  }

  /// Removes the selected participant after a yes.
  mutating func removeSelectedParticipant() -> [Effect] {
    guard let screen = groups?.open, let stored = openGroup, stored.record.participants.indices.contains(screen.participant)
    else { return [] }
    var updated = stored.record
    updated.participants.remove(at: screen.participant)
    groups?.open?.participant = max(0, min(screen.participant, updated.participants.count - 1))
    return [.saveGroup(updated, basedOn: stored, message: "group.participantRemoved")]
  }

  mutating func addParticipant(_ caseID: String) -> [Effect] {
    guard let stored = openGroup else { return [] }
    var updated = stored.record
    updated.participants.append(.init(caseID: caseID))
    groups?.open?.participant = updated.participants.count - 1
    return [.saveGroup(updated, basedOn: stored, message: "group.participantAdded")]
  }

  mutating func saveGroupNote(groupID: String, caseID: String, module: String, text: String) -> [Effect] {
    guard let stored = records.groups.first(where: { $0.id == groupID }), let i = stored.record.participant(caseID) else { return [] }
    var updated = stored.record
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    updated.participants[i].notes[module] = trimmed.isEmpty ? nil : String(trimmed.prefix(280))
    return [.saveGroup(updated, basedOn: stored, message: "group.noteSaved")]
  }

  // MARK: Render

  func renderGroups(into buffer: inout ScreenBuffer) {
    if groups?.open != nil {
      renderGroup(into: &buffer)
      return
    }
    let g = groups ?? GroupsState()
    let programme = content.voorwerk
    let nameWidth = max(18, columns - 58)
    let header = TextWidth.pad(strings("groups.col.id"), to: 13) + TextWidth.pad(strings("groups.col.name"), to: nameWidth)
      + TextWidth.pad(strings("groups.col.days"), to: 24) + TextWidth.pad(strings("groups.col.places"), to: 10) + strings("groups.col.modules")
    buffer.put(header, row: 1, column: 2, width: columns - 3, style: .heading)
    if records.groups.isEmpty {
      buffer.put(strings("groups.empty"), row: 3, column: 2, width: columns - 3, style: .hint)
      return
    }
    let height = rows - 5
    let top = max(0, g.selection - height + 1)
    for (i, stored) in records.groups.enumerated().dropFirst(top).prefix(height) {
      let group = stored.record
      let report = TrainingReport(group: group, programme: programme, genders: [:])
      let days = compactDays(group.days)
      var line = TextWidth.pad(group.id, to: 13) + TextWidth.pad(TextWidth.truncate(group.name, to: nameWidth - 2), to: nameWidth)
      line += TextWidth.pad(TextWidth.truncate(days, to: 23), to: 24) + TextWidth.pad("\(group.participants.count + stored.hiddenEntries)/\(group.capacity)", to: 10)
      line += "\(group.delivered.count)/\(programme.modules.count)" + (report.levelSpreadIsWide ? "  ⚠" : "")
      let y = 2 + i - top
      let style: Style = i == g.selection ? .selected : .plain
      if i == g.selection { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(line, row: y, column: 2, width: columns - 3, style: style)
    }
  }

  func renderGroup(into buffer: inout ScreenBuffer) {
    guard let screen = groups?.open, let stored = openGroup else { return }
    let group = stored.record
    let programme = content.voorwerk
    let lang = strings.language.rawValue
    let genders = Dictionary(uniqueKeysWithValues: group.participants.map { ($0.caseID, caseGender($0.caseID)) })
    let report = TrainingReport(group: group, programme: programme, genders: genders)
    var x = 1
    x += buffer.put(group.name, row: 1, column: 1, width: columns - 16, style: .title)
    buffer.put(group.id, row: 1, column: columns - 13, style: .key)
    var info = [group.centre, strings("group.trainers", group.trainers.joined(separator: ", "))]
    if !group.language.isEmpty { info.append(strings("group.language", Languages.name(group.language, strings.language.rawValue))) }
    if !group.interpreters.isEmpty {
      info.append(strings("group.interpreters", group.interpreters.map { "\($0.name) (\($0.languages.map { Languages.name($0, strings.language.rawValue) }.joined(separator: ", ")))" }.joined(separator: ", ")))
    }
    // One line, shortened with "…" when the interpreters do not fit (help and `e` show them all).
    buffer.put(TextWidth.truncate(info.joined(separator: " · "), to: columns - 2), row: 2, column: 1, width: columns - 2)
    let days = compactDays(group.days)
    buffer.put(strings("group.daysLine", days, String(group.participants.count + stored.hiddenEntries), String(group.capacity),
      programme.level(group.level)?.title(lang) ?? group.level), row: 3, column: 1, width: columns - 2)
    let mix = programme.levels.map { "\(levelName($0.id)) \(report.levelMix[$0.id] ?? 0)" }.joined(separator: " · ")
    buffer.put(strings("group.mixLine", mix, String(report.untested)), row: 4, column: 1, width: columns - 2)
    // A wide spread of levels: on the next line, at the right, where the module strip leaves room.
    if report.levelSpreadIsWide {
      let warning = "⚠ " + strings("group.mixWide")
      buffer.put(warning, row: 5, column: columns - 1 - TextWidth.width(of: warning), style: .warning)
    }
    if screen.walking {
      renderWalkthrough(group, screen: screen, into: &buffer)
      return
    }
    // Module strip: ✓ delivered.
    x = 1
    for m in programme.modules {
      let text = group.delivered[m.id].map { "\(m.id) ✓ \($0.day)/\($0.month)" } ?? "\(m.id) ·"
      x += buffer.put(text, row: 5, column: x, style: group.delivered[m.id] == nil ? .hint : .success) + 2
    }
    let nameWidth = max(14, columns - 62)
    var head = TextWidth.pad(strings("group.col.participant"), to: nameWidth) + TextWidth.pad(strings("group.col.entry"), to: 12)
    head += programme.modules.map { TextWidth.pad($0.id, to: 3) }.joined() + " " + TextWidth.pad(strings("group.col.evaluation"), to: 6) + strings("group.col.internship")
    buffer.put(head, row: 7, column: 3, width: columns - 4, style: .heading)
    if group.participants.isEmpty {
      buffer.put(strings("group.noParticipants"), row: 8, column: 3, width: columns - 4, style: .hint)
    }
    if stored.hiddenEntries > 0 {
      buffer.put(
        strings.plural("group.hiddenParticipants", stored.hiddenEntries), row: rows - 3, column: 3, width: columns - 4,
        style: .hint)
    }
    let height = rows - 11
    let top = max(0, screen.participant - height + 1)
    for (i, p) in group.participants.enumerated().dropFirst(top).prefix(height) {
      let y = 8 + i - top
      let level = p.entryTest.map { levelName(programme.recommendedLevel($0).id) } ?? "—"
      var line = TextWidth.pad(TextWidth.truncate(caseName(p.caseID), to: nameWidth - 1), to: nameWidth) + TextWidth.pad(level, to: 12)
      line += programme.modules.map { TextWidth.pad(attendanceMark(p.attendance[$0.id]), to: 3) }.joined()
      line += " " + TextWidth.pad(p.evaluation == nil ? "—" : "✓", to: 6) + (p.internship?.organisation ?? (p.organisationsContacted.isEmpty ? "—" : "(\(p.organisationsContacted.count))"))
      let selected = i == screen.participant
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(line, row: y, column: 3, width: columns - 4, style: selected ? .selected : .plain)
    }
  }

  private func renderWalkthrough(_ group: TrainingGroup, screen: GroupScreen, into buffer: inout ScreenBuffer) {
    let programme = content.voorwerk
    let m = programme.modules[screen.module]
    let lang = strings.language.rawValue
    let part = programme.parts.first { $0.id == m.part }?.title(lang) ?? ""
    let planned = programme.plannedDay(of: screen.module, days: group.days).map { strings("group.plannedOn", strings.date($0)) }
    let delivered = group.delivered[m.id].map { strings("group.deliveredOn", strings.date($0)) }
      ?? ([planned, strings("group.notDelivered")].compactMap { $0 }.joined(separator: " · "))
    // A long module title gives way with … so the hours stay in view.
    let moduleLine = { (title: String) in
      self.strings("group.moduleLine", String(screen.module + 1), String(programme.modules.count), title, m.hoursText)
    }
    let room = columns - 2 - TextWidth.width(of: moduleLine(""))
    buffer.put(moduleLine(TextWidth.truncate(m.title(lang), to: max(10, room))), row: 6, column: 1, width: columns - 2, style: .title)
    for (i, line) in wrap(part + " · " + delivered, width: columns - 2).prefix(2).enumerated() {
      buffer.put(line, row: 7 + i, column: 1, width: columns - 2, style: group.delivered[m.id] == nil ? .hint : .success)
    }
    let nameWidth = max(16, columns / 3)
    buffer.put(TextWidth.pad(strings("group.col.participant"), to: nameWidth) + TextWidth.pad(strings("group.col.attendance"), to: 14) + strings("group.col.note"),
      row: 9, column: 3, width: columns - 4, style: .heading)
    let height = rows - 13
    let top = max(0, screen.participant - height + 1)
    for (i, p) in group.participants.enumerated().dropFirst(top).prefix(height) {
      let y = 10 + i - top
      let mark = p.attendance[m.id].map { strings("attendance.\($0.rawValue)") } ?? "·"
      let line = TextWidth.pad(TextWidth.truncate(caseName(p.caseID), to: nameWidth - 1), to: nameWidth) + TextWidth.pad(mark, to: 14) + (p.notes[m.id] ?? "")
      let selected = i == screen.participant
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      let style: Style = selected ? .selected : (p.attendance[m.id] == .absent ? .error : .plain)
      buffer.put(line, row: y, column: 3, width: columns - 4, style: style)
    }
  }

  /// Training days compactly: "16, 18, 20 Nov 2026" or "28 Nov, 2 Dec 2026".
  func compactDays(_ days: [LocalDate]) -> String {
    guard !days.isEmpty else { return "—" }
    var out: [String] = []
    for (i, d) in days.enumerated() {
      let next = i + 1 < days.count ? days[i + 1] : nil
      if let next, next.month == d.month, next.year == d.year {
        out.append(String(d.day))
      } else if let next, next.year == d.year {
        out.append("\(d.day) \(strings("month.\(d.month)"))")
      } else {
        out.append(strings.date(d))
      }
    }
    return out.joined(separator: ", ")
  }

  func levelName(_ id: String) -> String {
    let title = content.voorwerk.level(id)?.title(strings.language.rawValue) ?? id
    return String(title.split(separator: ":").first ?? Substring(title))
  }

  func attendanceMark(_ a: TrainingGroup.Attendance?) -> String {
    switch a {
    case .present?: "✓"
    case .absent?: "✗"
    case .excused?: "E"
    case nil: "·"
    }
  }

  // MARK: Training tab of a case

  func trainingLines(_ d: CaseDocument) -> [(String, Style)] {
    let groups = records.groups(of: d.id)
    let programme = content.voorwerk
    let lang = strings.language.rawValue
    if groups.isEmpty { return [(strings("training.tab.none"), .hint)] }
    var lines: [(String, Style)] = []
    for group in groups {
      guard let i = group.participant(d.id.rawValue) else { continue }
      let p = group.participants[i]
      if !lines.isEmpty { lines.append(("", .plain)) }
      lines.append(("\(group.name) (\(group.id)) · \(compactDays(group.days))", .heading))
      lines.append((strings("training.tab.entry", p.entryTest.map { levelName(programme.recommendedLevel($0).id) + " (\(programme.points($0)))" } ?? "—"), .plain))
      for m in programme.modules {
        let mark = p.attendance[m.id].map { strings("attendance.\($0.rawValue)") } ?? (group.delivered[m.id] == nil ? strings("attendance.notYet") : "·")
        var line = "  " + TextWidth.pad(TextWidth.truncate("\(m.id) \(m.title(lang))", to: 42), to: 44) + mark
        if let note = p.notes[m.id] { line += " — " + note }
        lines.append((line, p.attendance[m.id] == .absent ? .error : .plain))
      }
      if let internship = p.internship {
        let when = [internship.from, internship.to].compactMap { $0 }.map { strings.date($0) }.joined(separator: " – ")
        lines.append((strings("training.tab.internship", internship.organisation, when), .plain))
      }
      if !p.organisationsContacted.isEmpty {
        lines.append((strings("training.tab.contacted", p.organisationsContacted.joined(separator: ", ")), .plain))
      }
      if let e = p.evaluation {
        let scores = e.scores.map { "\(strings("evaluation.short.\($0.name)")) \($0.value)" }.joined(separator: " · ")
        lines.append((strings("training.tab.evaluation", scores, strings("evaluation.level.\(e.level.rawValue)")), .plain))
      } else {
        lines.append((strings("training.tab.noEvaluation"), .hint))
      }
    }
    return lines
  }
}
