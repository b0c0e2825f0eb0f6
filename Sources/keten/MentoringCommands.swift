import ArgumentParser
import CaseStore
import Casework
import Foundation
import TextCells

/// `keten mentoring …`: the mentor registry, matching, pairs, check-ins and outcomes.
struct MentoringCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mentoring",
    abstract: "Mentors, match suggestions, pairs, check-ins, pair health and outcomes.",
    discussion: "A login registered as a mentor may only run `mentees` and `checkin`, and sees only their own mentees.",
    subcommands: [
      MentorList.self, MentorAdd.self, MentorEdit.self, MentorSuggest.self, PairCreate.self, CheckInLog.self,
      PairList.self, PairClose.self, ConcernHandle.self, MenteeList.self, MentoringReportCommand.self,
    ])
}

func loadMentoring(storeRoot: String?) throws -> MentoringProgramme {
  try loadContentFile("mentoring programme") { () throws(ContentError) in try MentoringProgramme.load(storeRoot: storeRoot) }
}

/// Checks a mentor's catalog ids (sector, profile) and that the login is not another mentor's.
func checkMentor(_ m: Mentor, store: Store, skills: SkillsCatalog) throws {
  try requireValid(m.validationIssues(today: .today()))
  if let sector = m.sector, skills.sector(sector) == nil {
    throw CLIError("sector: '\(sector)' is not a sector; sectors are \(skills.sectors.map(\.id).joined(separator: ", ")).")
  }
  if let profile = m.profile, skills.profile(profile) == nil {
    throw CLIError("profile: '\(profile)' is not a job profile of the skills catalog; `keten mentoring add-mentor --help` says where to find them.")
  }
  if let other = try store.records(Mentor.self).records.first(where: { $0.record.login == m.login && $0.id != m.id }) {
    throw CLIError("login: \(m.login) is already mentor \(other.id).")
  }
}

struct MentorList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "mentors", abstract: "List the mentor registry with free places.")
  @OptionGroup var storeOptions: StoreOptions

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let counts = try store.activePairCounts()
      let (mentors, damaged) = try store.records(Mentor.self)
      if mentors.isEmpty { print("No mentors yet; `keten mentoring add-mentor` registers one.") }
      for m in mentors.map(\.record) {
        let pairs = counts[m.id] ?? 0
        let state = m.active ? "\(pairs)/\(m.maxMentees) mentees" : "inactive"
        print("\(m.id)  \(TextWidth.pad(TextWidth.truncate(m.name.oneLine, to: 24), to: 24))  \(TextWidth.pad(m.login, to: 12))  \(m.ageBand?.rawValue ?? "-")  \(m.gender.rawValue)  \(m.languages.map { Languages.name($0, "en") }.joined(separator: ","))  \(m.sector ?? "-")  \(state)")
      }
      reportDamaged(damaged)
    }
  }
}

struct MentorAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add-mentor", abstract: "Register a mentor; prints the id.",
    discussion: "Other fields with --set PATH=VALUE: \(Mentor.fields.map(\.path).joined(separator: ", ")). Sectors and job profiles are the ids of Resources/skills.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "The mentor's name.") var name: String
  @Option(help: "The mentor's OS login.") var login: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Another field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      var m = Mentor(name: "", login: "")
      try applyAssignments(["name=" + name, "login=" + login] + assignments, fields: Mentor.fields, to: &m)
      try checkMentor(m, store: store, skills: try loadContent(storeRoot: store.contentRoot).skills)
      print(try store.create(m, by: CurrentUser.login).id)
    }
  }
}

struct MentorEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit-mentor", abstract: "Change a mentor's fields: \(Mentor.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The mentor id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.record(Mentor.self, id)
      var m = stored.record
      try applyAssignments(assignments, fields: Mentor.fields, to: &m)
      try checkMentor(m, store: store, skills: try loadContent(storeRoot: store.contentRoot).skills)
      let saved = try store.save(m, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id) saved as revision \(saved.revision).")
    }
  }
}

/// Ranks the registry for a case.
func suggestions(store: Store, content: CaseworkContent, document d: CaseDocument, today: LocalDate) throws
  -> (offered: [MentorMatching.Suggestion], excluded: [(mentor: Mentor, reason: MentorMatching.Exclusion)])
{
  let matching = MentorMatching(programme: content.mentoring, skills: content.skills)
  return matching.rank(
    mentee: .init(document: d, skills: content.skills, today: today),
    mentors: try readRecords(store, Mentor.self).map(\.record), activePairs: try store.activePairCounts(),
    currentMentor: d.openPair?.mentor)
}

struct MentorSuggest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "suggest", abstract: "Mentors for a case, best first, with the parts of each score.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let d = try store.load(try parseID(id)).document
      try journalRead(store, "mentor suggestions for the case", case: d.id)
      let (offered, excluded) = try suggestions(store: store, content: content, document: d, today: .today())
      let maximum = MentorMatching(programme: content.mentoring, skills: content.skills).maximumScore
      if offered.isEmpty { print("No mentor can take \(d.id) now.") }
      let words = try loadStrings(nil)
      for s in offered {
        let parts = s.parts.map { MentorMatching.words($0, strings: words, skills: content.skills) }
        print("\(s.score)/\(maximum)  \(s.mentor.id)  \(s.mentor.name.oneLine)  — " + parts.joined(separator: ", "))
      }
      for (m, reason) in excluded { print("not offered: \(m.id)  \(m.name.oneLine)  (\(reason.rawValue))") }
    }
  }
}

struct PairCreate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pair", abstract: "Confirm a mentor for a case, with the programme's goals.",
    discussion: "Goals are ids of the mentoring programme (job-search, cv-letter, interview, language, network, work-culture) or free goals in words. Frequency, minutes per meeting and duration default to the programme's (weekly, 120, 6 months); change them with --set frequencyDays=… minutesPerMeeting=… durationMonths=… endReview=….")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The mentor id.") var mentor: String
  @Option(help: ArgumentHelp("First meeting (default today).", valueName: "YYYY-MM-DD")) var start: String?
  @Option(help: "A goal (repeatable).") var goal: [String] = []
  @Option(name: .customLong("set"), help: ArgumentHelp("A programme field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let stored = try store.load(try parseID(id))
      var d = stored.document
      let today = LocalDate.today()
      if d.isClosed { throw CLIError("\(d.id) is closed; reopen it before pairing.") }
      if let open = d.openPair { throw CLIError("\(d.id) already has mentor \(open.mentor) (pair \(open.id)); close that pair first.") }
      let chosen = try store.record(Mentor.self, mentor).record
      let (offered, excluded) = try suggestions(store: store, content: content, document: d, today: today)
      if let (_, reason) = excluded.first(where: { $0.mentor.id == chosen.id }) {
        let why = [
          MentorMatching.Exclusion.atCapacity: "has no free place", .inactive: "is not active",
          .genderPreference: "mentors only their own gender", .currentMentor: "is already the mentor",
        ][reason] ?? reason.rawValue
        throw CLIError("\(chosen.id) \(why); `keten mentoring suggest \(d.id)` lists who can.")
      }
      guard offered.contains(where: { $0.mentor.id == chosen.id }) else { throw CLIError("\(chosen.id) cannot be offered.") }
      guard !goal.isEmpty else {
        throw CLIError("Give at least one --goal; the programme's goals are \(content.mentoring.goals.map(\.id).joined(separator: ", ")), or a goal in words.")
      }
      var pair = content.mentoring.newPair(
        mentor: chosen, start: try parseDateOption("--start", start) ?? today, goals: [], confirmedBy: CurrentUser.login, today: today)
      try applyAssignments(["goals=" + goal.joined(separator: ","), "start=" + pair.start.description] + assignments, fields: MentorPair.programmeFields, to: &pair)
      let usual = content.mentoring.defaults
      if let issue = pair.belowProgrammeIssues(
        usualMinutesPerWeek: usual.minutesPerMeeting * 7 / max(1, usual.frequencyDays), usualMonths: usual.durationMonths
      ).first {
        throw CLIError("\(issue.problem.message.prefix(1).uppercased())\(issue.problem.message.dropFirst()) Add --set belowReason=….")
      }
      let index = d.addPair(pair)
      d.stages.insert(.bridging)
      try requireValid(d.validationIssues(today: today))
      let saved = try store.save(d, basedOn: stored, by: CurrentUser.login)
      let p = saved.document.mentoring[index]
      print("\(saved.id) paired with \(chosen.id) as \(p.id): every \(p.frequencyDays) days, \(p.minutesPerMeeting) min, end review \(p.endReview).")
    }
  }
}

struct CheckInLog: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checkin", abstract: "Log a check-in of a case's open pair (mentors: their own mentees only).",
    discussion: "Channels: in-person, phone, video, messaging. Progress is GOAL=1..5 for the pair's goals.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: ArgumentHelp("The day of the meeting (default today).", valueName: "YYYY-MM-DD")) var on: String?
  @Option(help: "Minutes (default the pair's planned minutes).") var minutes: String?
  @Option(help: "in-person, phone, video or messaging.") var channel: String = "in-person"
  @Option(help: "A goal worked on (repeatable).") var goal: [String] = []
  @Option(help: "An activity (repeatable): an id of the programme or words.") var activity: [String] = []
  @Option(help: ArgumentHelp("Progress on a goal (repeatable).", valueName: "GOAL=1..5")) var progress: [String] = []
  @Option(help: "A concern for the case worker; flags the case.") var concern: String?
  @Option(help: "The mentor's own note on the meeting.") var note: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.openAnyone()
      let mine = store.viewer?.mentorIDs ?? []
      let programme = try loadMentoring(storeRoot: store.contentRoot)
      let caseID = try parseID(id)
      let mentorIDs = mine.isEmpty ? Set(try store.records(Mentor.self).records.map(\.id)) : mine
      let found = try store.mentees(of: mentorIDs)
      guard let view = found.views.first(where: { $0.caseID == caseID }) else {
        if found.unreadable.contains(caseID) {
          throw CLIError("The case file of mentee \(caseID) could not be read; a coordinator's `keten check` names the problem.")
        }
        throw CLIError(StoreError.recordNotFound(noun: "mentee", id: caseID.rawValue))
      }
      var draft = CheckIn(on: .today(), minutes: view.pair.minutesPerMeeting, channel: .inPerson)
      var assignments = ["channel=" + channel, "goals=" + goal.joined(separator: ","), "activities=" + activity.joined(separator: ",")]
      if let on { assignments.append("on=" + on) }
      if let minutes { assignments.append("minutes=" + minutes) }
      for p in progress {
        guard let eq = p.firstIndex(of: "=") else { throw CLIError("'\(p)' is not GOAL=1..5.") }
        assignments.append("progress.\(p[..<eq])=\(p[p.index(after: eq)...])")
      }
      if let concern { assignments.append("concern=" + concern) }
      if let note { assignments.append("note=" + note) }
      let fields = CheckIn.fields(goals: view.pair.goals, activities: programme.activities.map(\.id))
      do {
        try applyAssignments(assignments, fields: fields, to: &draft)
      } catch let error as FieldError where error.problem.key == "unknownField" && error.path.hasPrefix("progress.") {
        throw CLIError("\(error.path.dropFirst(9)) is not a goal of this pair; its goals are \(view.pair.goals.joined(separator: ", ")).")
      }
      let saved = try store.logCheckIn(draft, caseID: caseID, mentorIDs: mentorIDs, by: CurrentUser.login)
      let health = PairHealth(saved.pair, programme: programme, today: .today())
      let last = saved.pair.checkIns.last!
      print("Check-in \(last.id) logged for \(caseID) (\(last.minutes) min, \(last.channel.rawValue)); next one due on \(health.dueOn) (overdue from \(health.overdueFrom)).")
      if last.concern != nil { print("The concern is flagged to the case worker.") }
    }
  }
}

struct PairList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pairs", abstract: "Open pairs with their health: last contact, overdue, hours against the plan, concerns.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "least-active (default), mentee, mentor or start.") var sort: String = "least-active"
  @Flag(help: "Only overdue pairs.") var overdue = false

  func run() throws {
    try reporting {
      guard let order = PairSort(rawValue: sort) else {
        throw CLIError("--sort '\(sort)' is not allowed; use \(PairSort.allCases.map(\.rawValue).joined(separator: ", ")).")
      }
      let store = try storeOptions.open()
      let programme = try loadMentoring(storeRoot: store.contentRoot)
      let today = LocalDate.today()
      var rows = order.sorted(PairRow.open(try store.casesWithPairs(openOnly: true), programme: programme, today: today))
      if overdue { rows = rows.filter(\.health.isOverdue) }
      if !rows.isEmpty { try journalRead(store, "mentoring pairs (\(rows.count) cases)") }
      if rows.isEmpty { print(overdue ? "No overdue pairs." : "No open pairs.") }
      for r in rows {
        let h = r.health
        var line = "\(r.caseID)  \(TextWidth.pad(TextWidth.truncate(r.menteeName.oneLine, to: 22), to: 22))  \(TextWidth.pad(TextWidth.truncate(r.pair.mentorName.oneLine, to: 18), to: 18))"
        line += "  since \(r.pair.start)  last \(r.pair.lastCheckIn?.description ?? "none      ")  \(TextWidth.padLeft(String(h.daysSinceContact), to: 3)) d"
        line += "  \(Strings.plainHours(minutes: h.minutesLogged))/\(Strings.plainHours(minutes: h.minutesPlanned)) h"
        if h.isOverdue { line += "  OVERDUE" }
        if h.openConcerns > 0 { line += "  CONCERN" }
        print(line)
      }
    }
  }
}


struct PairClose: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "close", abstract: "Close a case's open pair with its outcome and a short review.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "job, internship, training, none or stopped-early.") var outcome: String
  @Option(help: "Why it stopped early (required for stopped-early).") var reason: String?
  @Option(help: "A short review.") var review: String
  @Option(help: ArgumentHelp("The day it ended (default today).", valueName: "YYYY-MM-DD")) var on: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.load(try parseID(id))
      var d = stored.document
      guard let i = d.openPairIndex else { throw CLIError("\(d.id) has no open mentoring pair.") }
      var closure = PairClosure(on: .today(), outcome: .none, review: "", by: CurrentUser.login)
      var assignments = ["outcome=" + outcome, "review=" + review]
      if let on { assignments.append("on=" + on) }
      if let reason { assignments.append("reason=" + reason) }
      try applyAssignments(assignments, fields: PairClosure.fields, to: &closure)
      d.mentoring[i].closure = closure
      try requireValid(d.validationIssues(today: .today()))
      let saved = try store.save(d, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id): pair \(saved.document.mentoring[i].id) closed (\(closure.outcome.rawValue)).")
    }
  }
}

struct ConcernHandle: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "concern", abstract: "List a case's mentor concerns, or mark the open ones handled (--handled).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Flag(help: "Mark every open concern handled.") var handled = false
  @Option(help: "What was done.") var note: String = ""

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.load(try parseID(id))
      var d = stored.document
      var count = 0
      for i in d.mentoring.indices {
        for k in d.mentoring[i].checkIns.indices where d.mentoring[i].checkIns[k].concern != nil {
          let c = d.mentoring[i].checkIns[k]
          print("\(c.on)  \(c.loggedBy): \(c.concern!.oneLine)" + (c.concernHandled.map { "  [handled \($0.on) by \($0.by)]" } ?? ""))
          if handled, c.concernHandled == nil {
            d.mentoring[i].checkIns[k].concernHandled = ConcernHandled(on: .today(), by: CurrentUser.login, note: note)
            count += 1
          }
        }
      }
      guard handled else { return }
      guard count > 0 else { throw CLIError("\(d.id) has no open concern.") }
      let saved = try store.save(d, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id): \(count) concern(s) marked handled.")
    }
  }
}

struct MenteeList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mentees", abstract: "Your mentees (as a mentor): name, contact, languages, goals and check-ins.")
  @OptionGroup var storeOptions: StoreOptions
  @Flag(help: "Print JSON: exactly the data a mentor may see.") var json = false

  func run() throws {
    try reporting {
      let store = try storeOptions.openAnyone()
      let mine = store.viewer?.mentorIDs ?? []
      guard !mine.isEmpty else {
        throw CLIError("\(CurrentUser.login) is not registered as a mentor; `keten mentoring pairs` lists every pair.")
      }
      let programme = try loadMentoring(storeRoot: store.contentRoot)
      let found = try store.mentees(of: mine)
      let views = found.views
      // Never a mentee silently missing: on stderr, so that --json stays the mentor's data.
      if !found.unreadable.isEmpty {
        writeErr("The case file of mentee(s) \(found.unreadable.map(\.rawValue).joined(separator: ", ")) could not be read, so they are not listed; tell your coordinator (`keten check` names the problem).")
      }
      if found.damagedElsewhere > 0 {
        writeErr("\(found.damagedElsewhere) case file(s) in the store are damaged; if a mentee is missing, tell your coordinator.")
      }
      if !views.isEmpty { try journalRead(store, "mentees of the mentor (\(views.count) cases)") }
      if json {
        Incomplete.machineFormat = true
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(views), as: UTF8.self))
        return
      }
      if views.isEmpty { print("You have no mentees at the moment.") }
      let today = LocalDate.today()
      for v in views {
        let h = PairHealth(v.pair, programme: programme, today: today)
        print("\(v.caseID)  \(v.fullName.oneLine)" + (v.preferredName.map { " (\($0.oneLine))" } ?? ""))
        print("  phone \((v.phone ?? "-").oneLine) · languages \(v.languages.joined(separator: ", ").oneLine)")
        print("  goals: " + v.pair.goals.map { g in programme.goalTitle(g, "en") + (h.latest(g).map { " \($0)/5" } ?? "") }.joined(separator: ", "))
        print("  every \(v.pair.frequencyDays) days · last check-in \(v.pair.lastCheckIn?.description ?? "none") · \(h.isOverdue ? "OVERDUE" : "next due on \(h.dueOn), overdue from \(h.overdueFrom)")")
      }
    }
  }
}

struct MentoringReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Active and overdue pairs, hours, and outcomes of closed pairs against the 3-in-4 reference.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: ArgumentHelp("Pairs closed on or after.", valueName: "YYYY-MM-DD")) var from: String?
  @Option(help: ArgumentHelp("Pairs closed on or before.", valueName: "YYYY-MM-DD")) var to: String?
  @Option(help: "Language: nl or en.") var lang: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let strings = try loadStrings(lang)
      let programme = try loadMentoring(storeRoot: store.contentRoot)
      let start = try parseDateOption("--from", from) ?? LocalDate(year: 1900, month: 1, day: 1)!
      let end = try parseDateOption("--to", to) ?? LocalDate(year: 2999, month: 12, day: 31)!
      guard start <= end else { throw CLIError("--from \(start) is after --to \(end).") }
      let report = MentoringReport(
        cases: try store.casesWithPairs(openOnly: false), programme: programme, today: .today(), period: start...end)
      print(MentoringReportText.lines(report, programme: programme, strings: strings).map(\.oneLine).joined(separator: "\n"))
    }
  }
}
