import CaseStore
import Casework
import TextCells

/// The coordinator's mentoring screens: open pairs with their health, and the mentor registry.
public struct MentoringState: Sendable {
  public enum Tab: Sendable { case pairs, mentors }
  public var tab: Tab = .pairs
  /// Case files with pairs, as last read (open and closed pairs, for the list and the report).
  public var documents: [CaseDocument] = []
  public var loaded = false
  public var sort: PairSort = .leastActive
  public var pairSelection = 0
  public var mentorSelection = 0
}

/// Mentors ranked for one case, from its Mentoring tab.
public struct SuggestionsState: Sendable {
  public var base: StoredCase
  public var offered: [MentorMatching.Suggestion]
  public var excluded: [(mentor: Mentor, reason: MentorMatching.Exclusion)]
  public var selection = 0
}

extension AppState {
  /// `M` on the case list: mentoring pairs (Tab: the mentors).
  mutating func openMentoring() -> [Effect] {
    closeScreens()
    mentoring = MentoringState()
    return [.loadPairs, .loadRecords]
  }

  func pairRows(_ m: MentoringState) -> [PairRow] {
    m.sort.sorted(PairRow.open(m.documents, programme: content.mentoring, today: today))
  }

  /// Open pairs per mentor id over the whole store (as read with the records), else from the
  /// case list.
  var activePairCounts: [String: Int] { records.mentorLoad ?? CaseSummary.activePairCounts(list.all) }

  mutating func handleMentoring(_ action: KeyAction) -> [Effect] {
    guard var m = mentoring else { return [] }
    defer { if mentoring != nil { mentoring = m } }
    switch action {
    case .switchList:
      m.tab = m.tab == .pairs ? .mentors : .pairs
      return []
    case .back:
      mentoring = nil
      return []
    case .command:
      prompt = Prompt(kind: .command)
      return []
    default: break
    }
    if m.tab == .mentors {
      let count = records.mentors.count
      switch action {
      case .down: m.mentorSelection = min(m.mentorSelection + 1, max(0, count - 1))
      case .up: m.mentorSelection = max(0, m.mentorSelection - 1)
      case .newMentor: draft = mentorDraft(nil)
      case .editMentor:
        if records.mentors.indices.contains(m.mentorSelection) { draft = mentorDraft(records.mentors[m.mentorSelection]) }
      case .reload:
        showInfo(strings("list.reread"))
        return [.loadRecords]
      default: break
      }
      return []
    }
    let rows = pairRows(m)
    switch action {
    case .down: m.pairSelection = min(m.pairSelection + 1, max(0, rows.count - 1))
    case .up: m.pairSelection = max(0, m.pairSelection - 1)
    case .pairSort:
      let all = PairSort.allCases
      m.sort = all[(all.firstIndex(of: m.sort)! + 1) % all.count]
      showInfo(strings("pairs.sorted", strings("pairs.sort.\(m.sort.rawValue)")))
    case .mentoringReport:
      let report = MentoringReport(cases: m.documents, programme: content.mentoring, today: today)
      overlay = .text(TextOverlay(
        title: strings("mentoring.report.title"),
        lines: MentoringReportText.lines(report, programme: content.mentoring, strings: strings).dropFirst(2).map { .init($0) }))
    case .open:
      guard rows.indices.contains(m.pairSelection) else { break }
      pendingTab = .mentoring
      return [.open(rows[m.pairSelection].caseID)]
    case .reload:
      showInfo(strings("list.reread"))
      return [.loadPairs]
    default: break
    }
    return []
  }

  func mentorDraft(_ base: StoredRecord<Mentor>?) -> DraftSession {
    let mentor = base?.record ?? Mentor(name: "", login: "", maxMentees: 2)
    let options: [String: OptionLabels] = [
      "ageBand": .plain, "gender": .intake, "sector": .sector, "profile": .occupation, "sameGenderOnly": .option("yesNo"),
      "active": .option("yesNo"), "languages": .language,
    ]
    let specs = Mentor.fields.map { f in
      DraftSpec(f, label: .key("field.mentor.\(f.path)"), hint: .key("hint.mentor.\(f.path)"), options: options[f.path] ?? .plain)
    }
    let title = base.map { strings("mentor.editTitle", $0.record.name) } ?? strings("mentor.newTitle")
    let others = records.mentors.filter { $0.id != base?.id }.map(\.record.login)
    let skills = content.skills
    let form = DraftForm(title: title, value: mentor, specs: specs, vocabulary: vocabulary) { [today] m in
      var issues = m.validationIssues(today: today)
      if others.contains(m.login) { issues.append(.init(path: "login", problem: .notAllowed(m.login, options: ["a login no other mentor has"]))) }
      if let s = m.sector, skills.sector(s) == nil { issues.append(.init(path: "sector", problem: .notAllowed(s, options: skills.sectors.map(\.id)))) }
      if let p = m.profile, skills.profile(p) == nil { issues.append(.init(path: "profile", problem: .notAllowed(p, options: ["a job profile (F4)"]))) }
      return issues
    }
    return DraftSession(form: form, purpose: base.map { .editMentor($0) } ?? .newMentor)
  }

  // MARK: Render

  func renderMentoring(into buffer: inout ScreenBuffer) {
    guard let m = mentoring else { return }
    var x = 1
    for (tab, key) in [(MentoringState.Tab.pairs, "mentoring.tab.pairs"), (.mentors, "mentoring.tab.mentors")] {
      let label = " " + strings(key) + " "
      buffer.put(label, row: 1, column: x, style: m.tab == tab ? .tabActive : .hint)
      x += TextWidth.width(of: label) + 1
    }
    if m.tab == .mentors {
      renderMentors(m, into: &buffer)
      return
    }
    buffer.put(strings("pairs.sortedBy", strings("pairs.sort.\(m.sort.rawValue)")), row: 1, column: x + 2, width: columns - x - 3, style: .hint)
    // The case id tells two mentees of one name apart; the names share what the other columns leave.
    let room = max(20, columns - 4 - 12 - 13 - 7 - 10 - 14)
    let menteeWidth = room * 55 / 100
    let mentorWidth = room - menteeWidth
    let head = TextWidth.pad(strings("pairs.col.mentee"), to: menteeWidth) + TextWidth.pad(strings("column.id"), to: 12)
      + TextWidth.pad(strings("pairs.col.mentor"), to: mentorWidth)
      + TextWidth.pad(strings("pairs.col.last"), to: 13) + TextWidth.padLeft(strings("pairs.col.days"), to: 5) + "  "
      + TextWidth.pad(strings("pairs.col.hours"), to: 10) + strings("pairs.col.state")
    buffer.put(head, row: 3, column: 3, width: columns - 4, style: .heading)
    let rows = pairRows(m)
    if rows.isEmpty {
      buffer.put(strings(m.loaded ? "pairs.empty" : "pairs.loading"), row: 4, column: 3, width: columns - 4, style: .hint)
      return
    }
    let height = self.rows - 7
    let top = max(0, m.pairSelection - height + 1)
    for (i, r) in rows.enumerated().dropFirst(top).prefix(height) {
      let y = 4 + i - top
      let h = r.health
      var state: [String] = []
      if h.isOverdue { state.append(strings("pairs.overdue")) }
      if h.openConcerns > 0 { state.append(strings("pairs.concern")) }
      var line = TextWidth.pad(TextWidth.truncate(r.menteeName, to: menteeWidth - 1), to: menteeWidth)
      line += TextWidth.pad(r.caseID.rawValue, to: 12)
      line += TextWidth.pad(TextWidth.truncate(r.pair.mentorName, to: mentorWidth - 1), to: mentorWidth)
      line += TextWidth.pad(r.pair.lastCheckIn.map { strings.date($0) } ?? strings("pairs.never"), to: 13)
      line += TextWidth.padLeft(String(h.daysSinceContact), to: 5) + "  "
      line += TextWidth.pad("\(strings.hours(minutes: h.minutesLogged))/\(strings.hours(minutes: h.minutesPlanned)) \(strings("unit.hours"))", to: 10)
        + state.joined(separator: " ")
      let selected = i == m.pairSelection
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(line, row: y, column: 3, width: columns - 4, style: selected ? .selected : (state.isEmpty ? .plain : .error))
    }
  }

  private func renderMentors(_ m: MentoringState, into buffer: inout ScreenBuffer) {
    let counts = activePairCounts
    // Wider screens give the room to names and languages rather than leave it empty.
    let extra = max(0, columns - 80)
    let nameWidth = 20 + extra / 2
    let languageWidth = 14 + extra / 2
    let head = TextWidth.pad(strings("mentors.col.name"), to: nameWidth) + TextWidth.pad(strings("mentors.col.login"), to: 11)
      + TextWidth.pad(strings("mentors.col.age"), to: 9) + TextWidth.pad(strings("mentors.col.languages"), to: languageWidth)
      + TextWidth.pad(strings("mentors.col.sector"), to: 14) + strings("mentors.col.mentees")
    buffer.put(head, row: 3, column: 3, width: columns - 4, style: .heading)
    if records.mentors.isEmpty {
      buffer.put(strings("mentors.empty"), row: 4, column: 3, width: columns - 4, style: .hint)
      return
    }
    let height = rows - 7
    let top = max(0, m.mentorSelection - height + 1)
    let lang = strings.language.rawValue
    for (i, stored) in records.mentors.enumerated().dropFirst(top).prefix(height) {
      let mentor = stored.record
      let y = 4 + i - top
      var line = TextWidth.pad(TextWidth.truncate(mentor.name, to: nameWidth - 1), to: nameWidth)
        + TextWidth.pad(TextWidth.truncate(mentor.login, to: 10), to: 11)
      line += TextWidth.pad(mentor.ageBand?.rawValue ?? "—", to: 9)
        + TextWidth.pad(
          TextWidth.truncate(mentor.languages.map { Languages.name($0, strings.language.rawValue) }.joined(separator: ", "), to: languageWidth - 1),
          to: languageWidth)
      line += TextWidth.pad(TextWidth.truncate(mentor.sector.map { content.skills.sectorName($0, lang) } ?? "—", to: 13), to: 14)
      // Places as everywhere: free of the maximum.
      line += mentor.active ? strings("mentors.free", String(max(0, mentor.maxMentees - (counts[mentor.id] ?? 0))), String(mentor.maxMentees))
        : strings("mentors.inactive")
      if mentor.sameGenderOnly { line += "  " + strings("mentors.sameGender") }
      let selected = i == m.mentorSelection
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(line, row: y, column: 3, width: columns - 4, style: selected ? .selected : (mentor.active ? .plain : .hint))
    }
  }

  // MARK: Suggestions

  mutating func openSuggestions(_ stored: StoredCase) {
    let matching = MentorMatching(programme: content.mentoring, skills: content.skills)
    let (offered, excluded) = matching.rank(
      mentee: .init(document: stored.document, skills: content.skills, today: today), mentors: records.mentors.map(\.record),
      activePairs: activePairCounts, currentMentor: stored.document.openPair?.mentor)
    suggestions = SuggestionsState(base: stored, offered: offered, excluded: excluded)
  }

  mutating func handleSuggestions(_ action: KeyAction) -> [Effect] {
    guard var s = suggestions else { return [] }
    defer { if suggestions != nil { suggestions = s } }
    switch action {
    case .down: s.selection = min(s.selection + 1, max(0, s.offered.count - 1))
    case .up: s.selection = max(0, s.selection - 1)
    case .back: suggestions = nil
    case .confirmMentor:
      guard s.offered.indices.contains(s.selection) else { break }
      let mentor = s.offered[s.selection].mentor
      let pair = content.mentoring.newPair(mentor: mentor, start: today, goals: [], confirmedBy: user, today: today)
      suggestions = nil
      draft = pairDraft(pair, purpose: .newPair(s.base), title: strings("pair.newTitle", s.base.document.person.displayName, mentor.name))
    default: break
    }
    return []
  }

  func pairDraft(_ pair: MentorPair, purpose: DraftPurpose, title: String) -> DraftSession {
    let specs = MentorPair.programmeFields.map { f in
      DraftSpec(f, label: .key("field.pair.\(f.path)"), hint: .key("hint.pair.\(f.path)"), options: f.path == "goals" ? .goal : .plain)
    }
    let usual = content.mentoring.defaults
    let usualWeek = usual.minutesPerMeeting * 7 / max(1, usual.frequencyDays)
    let form = DraftForm(title: title, value: pair, specs: specs, vocabulary: vocabulary) {
      $0.programmeIssues() + $0.belowProgrammeIssues(usualMinutesPerWeek: usualWeek, usualMonths: usual.durationMonths)
    }
    return DraftSession(form: form, purpose: purpose)
  }

  func renderSuggestions(into buffer: inout ScreenBuffer) {
    guard let s = suggestions else { return }
    let maximum = MentorMatching(programme: content.mentoring, skills: content.skills).maximumScore
    buffer.put(strings("suggest.title", s.base.document.person.displayName), row: 1, column: 1, width: columns - 2, style: .title)
    if s.offered.isEmpty {
      buffer.put(strings("suggest.none"), row: 3, column: 3, width: columns - 4, style: .hint)
    }
    var y = 3
    for (i, suggestion) in s.offered.enumerated() where y < rows - 5 {
      let selected = i == s.selection
      let m = suggestion.mentor
      let head = "\(TextWidth.padLeft(String(suggestion.score), to: 3))/\(maximum) \(TrainingReportText.bar(suggestion.score * 100 / max(1, maximum), width: 10))  \(m.name) · \(m.ageBand?.rawValue ?? "—") · \(strings.gender(m.gender))"
      if selected { buffer.fill(row: y, column: 1, width: columns - 2, style: .selected) }
      buffer.put(selected ? "›" : " ", row: y, column: 1, style: selected ? .selected : .plain)
      buffer.put(head, row: y, column: 3, width: columns - 4, style: selected ? .selected : .plain)
      let parts = suggestion.parts.map { MentorMatching.words($0, strings: strings, skills: content.skills) }
      for line in wrap(parts.joined(separator: " · "), width: columns - 10).prefix(2) {
        y += 1
        buffer.put(line, row: y, column: 8, width: columns - 9, style: .hint)
      }
      y += 2
    }
    if !s.excluded.isEmpty, y < rows - 3 {
      let text = s.excluded.map { "\($0.mentor.name) (\(strings("suggest.excluded.\($0.reason.rawValue)")))" }.joined(separator: ", ")
      buffer.put(strings("suggest.notOffered", text), row: rows - 3, column: 1, width: columns - 2, style: .hint)
    }
  }

  // MARK: The Mentoring tab of a case

  /// The pairs newest first: programme, health, progress per goal, check-ins, outcome.
  func mentoringLines(_ pairs: [MentorPair]) -> [(String, Style)] {
    var lines: [(String, Style)] = []
    let lang = strings.language.rawValue
    let programme = content.mentoring
    if pairs.isEmpty {
      return [(strings("mentoring.tab.none"), .hint)]
    }
    for pair in pairs.reversed() {
      if !lines.isEmpty { lines.append(("", .plain)) }
      let h = PairHealth(pair, programme: programme, today: today)
      lines.append((strings("mentoring.tab.pair", pair.mentorName, pair.mentor, strings.date(pair.start)), .heading))
      lines.append((strings(
        "mentoring.tab.programme", String(pair.frequencyDays), String(pair.minutesPerMeeting), String(pair.durationMonths),
        strings.date(pair.endReview)), .plain))
      if let closure = pair.closure {
        lines.append((strings("mentoring.tab.closed", strings.date(closure.on), strings("option.pairOutcome.\(closure.outcome.rawValue)"))
          + (closure.reason.map { " — \($0)" } ?? ""), .plain))
        lines.append(("  " + closure.review, .hint))
      } else {
        // Due on the frequency's day; overdue only after the grace days, said apart.
        let health: String
        if let last = pair.lastCheckIn {
          health = h.isOverdue
            ? strings("mentoring.tab.overdue", strings.date(last), String(h.daysSinceContact))
            : strings("mentoring.tab.next", strings.date(last), strings.date(h.dueOn), strings.date(h.overdueFrom))
        } else {
          health = h.isOverdue
            ? strings("mentoring.tab.firstOverdue", strings.date(pair.start), String(h.daysSinceContact))
            : strings("mentoring.tab.first", strings.date(pair.start), strings.date(h.dueOn), strings.date(h.overdueFrom))
        }
        lines.append((health, h.isOverdue ? .error : .plain))
        lines.append((strings("mentoring.tab.hours", strings.hours(minutes: h.minutesLogged), strings.hours(minutes: h.minutesPlanned), h.percentOfPlan.map { "\($0) %" } ?? "—"), .plain))
      }
      lines.append((strings("mentoring.tab.goals"), .label))
      for goal in pair.goals {
        let history = h.progress[goal]?.map { String($0.value) }.joined(separator: " → ") ?? "—"
        lines.append(("  " + TextWidth.pad(TextWidth.truncate(programme.goalTitle(goal, lang), to: 30), to: 32) + history, .plain))
      }
      if !pair.checkIns.isEmpty { lines.append((strings("mentoring.tab.checkIns", String(pair.checkIns.count)), .label)) }
      for c in pair.checkIns.sorted(by: { $0.on > $1.on }) {
        var line = "  \(strings.date(c.on)) · \(c.minutes) min · \(strings("option.channel.\(c.channel.rawValue)"))"
        let worked = (c.goals.map { programme.goalTitle($0, lang) } + c.activities.map { programme.activityTitle($0, lang) })
        if !worked.isEmpty { line += " · " + worked.joined(separator: ", ") }
        lines.append((line, .plain))
        if let note = c.note, !note.isEmpty { lines.append(("    " + note, .hint)) }
        if let concern = c.concern {
          let handled = c.concernHandled.map { strings("mentoring.tab.concernHandled", strings.date($0.on), $0.by) + ($0.note.isEmpty ? "" : ": " + $0.note) }
          lines.append(("    ⚑ " + concern + (handled.map { " — " + $0 } ?? ""), handled == nil ? .error : .hint))
        }
      }
    }
    return lines
  }

  /// Keys of the Mentoring tab; nil when the key is not one of them.
  mutating func handleMentoringKey(_ action: KeyAction, _ file: CaseFileState) -> [Effect]? {
    let stored = file.stored
    let d = stored.document
    guard [.suggestMentors, .logCheckIn, .editProgramme, .closePair, .concernHandled].contains(action) else { return nil }
    if stored.isReadOnly {
      showError(strings("case.readOnly", String(d.schemaVersion)))
      return []
    }
    switch action {
    case .suggestMentors:
      if d.isClosed {
        showError(strings("mentoring.caseClosed"))
      } else if d.openPair != nil {
        showError(strings("mentoring.alreadyPaired"))
      } else {
        // Rank on the registry as it is now: another coordinator may have added a mentor.
        pendingSuggestions = stored.id
        return [.loadRecords]
      }
    case .logCheckIn:
      guard let pair = d.openPair else {
        showError(strings("mentoring.noPair"))
        return []
      }
      draft = checkInDraft(pair, caseID: d.id, name: d.person.displayName)
    case .editProgramme:
      guard let i = d.openPairIndex else {
        showError(strings("mentoring.noPair"))
        return []
      }
      draft = pairDraft(d.mentoring[i], purpose: .editPair(stored, index: i), title: strings("pair.editTitle", d.person.displayName))
    case .closePair:
      guard let i = d.openPairIndex else {
        showError(strings("mentoring.noPair"))
        return []
      }
      let closure = PairClosure(on: today, outcome: .job, review: "", by: user)
      // The outcome feeds the 3-in-4 figure: it starts unanswered and must be chosen.
      let specs = PairClosure.fields.map { f in
        var spec = DraftSpec(f, label: .key("field.closePair.\(f.path)"), hint: .key("hint.closePair.\(f.path)"),
          options: f.path == "outcome" ? .option("pairOutcome") : .plain)
        spec.startsEmpty = f.path == "outcome"
        return spec
      }
      let start = d.mentoring[i].start
      let form = DraftForm(title: strings("pair.closeTitle", d.person.displayName), value: closure, specs: specs, vocabulary: vocabulary) { [today] in
        $0.issues(start: start, today: today)
      }
      draft = DraftSession(form: form, purpose: .closePair(stored, index: i))
    case .concernHandled:
      guard d.mentoring.contains(where: { $0.checkIns.contains(where: \.hasOpenConcern) }) else {
        showError(strings("mentoring.noConcern"))
        return []
      }
      prompt = Prompt(kind: .concernHandled(d.id))
    default: break
    }
    return []
  }

  func checkInDraft(_ pair: MentorPair, caseID: CaseID, name: String) -> DraftSession {
    // A routine check-in is two keys: c, then Ctrl-S (today, the usual minutes, the last channel
    // and goals already filled in).
    let draftValue = CheckIn.routine(for: pair, on: today)
    let fields = CheckIn.fields(goals: pair.goals, activities: content.mentoring.activities.map(\.id))
    let lang = strings.language.rawValue
    let specs = fields.map { f -> DraftSpec<CheckIn> in
      if f.path.hasPrefix("progress.") {
        let goal = String(f.path.dropFirst(9))
        return DraftSpec(f, label: .key("field.checkIn.progress", content.mentoring.goalTitle(goal, lang)), hint: .key("hint.checkIn.progress"))
      }
      let options: OptionLabels = ["channel": .option("channel"), "goals": .goal, "activities": .activity][f.path] ?? .plain
      return DraftSpec(f, label: .key("field.checkIn.\(f.path)"), hint: .key("hint.checkIn.\(f.path)"), options: options)
    }
    let form = DraftForm(title: strings("checkIn.title", name), value: draftValue, specs: specs, vocabulary: vocabulary) { [today] in
      $0.issues(goals: pair.goals, start: pair.start, today: today)
    }
    return DraftSession(form: form, purpose: .checkIn(caseID))
  }

  /// Marks every open concern of the case handled, with the note typed.
  mutating func handleConcerns(_ id: CaseID, note: String) -> [Effect] {
    guard let stored = caseFile?.stored, stored.id == id else { return [] }
    var d = stored.document
    for i in d.mentoring.indices {
      for k in d.mentoring[i].checkIns.indices where d.mentoring[i].checkIns[k].hasOpenConcern {
        d.mentoring[i].checkIns[k].concernHandled = ConcernHandled(on: today, by: user, note: note.trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }
    return [.save(d, basedOn: stored, purpose: .quick("mentoring.concernHandledSaved"))]
  }
}
