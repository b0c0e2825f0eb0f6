import ArgumentParser
import CaseStore
import Casework
import Foundation
import TextCells

func loadCadence(storeRoot: String?) throws -> FollowUpCadence {
  try loadContentFile("follow-up cadence") { () throws(ContentError) in try FollowUpCadence.load(storeRoot: storeRoot) }
}

extension CaseDocument {
  /// Records a hire: the case moves to sustaining, with an empty post-hire plan to fill in.
  mutating func recordHire(_ hire: Hire) {
    placement.hires.append(hire)
    stages.remove(.matching)
    stages.insert(.sustaining)
  }
}

struct HireCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hire", abstract: "Record a hire; the case moves to sustaining with its follow-up schedule.",
    discussion: "Fields with --set PATH=VALUE: \(Hire.fields.map(\.path).joined(separator: ", ")). Contracts: \(Hire.ContractType.allCases.map(\.rawValue).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "A registered employer id (fills the name).") var employer: String?
  @Option(help: "A vacancy id (fills employer, job and hours).") var opening: String?
  @Option(name: .customLong("set"), help: ArgumentHelp("A field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let today = LocalDate.today()
      var hire = Hire(id: "", employerName: "", job: "", contract: .fixedTerm, start: today, hoursPerWeek: 38, recordedBy: CurrentUser.login, recordedOn: today)
      if let opening {
        let o = try store.record(Opening.self, opening).record
        try requireOpen(o)
        hire.fill(from: o, today: today)
      }
      if let employer {
        let e = try store.record(Employer.self, employer).record
        (hire.employer, hire.employerName) = (e.id, e.name)
      }
      try applyAssignments(assignments, fields: Hire.fields, to: &hire)
      try checkProfile(hire.profile, skills: content.skills)
      let saved = try changeCase(store, id) { d in
        if let current = d.placement.currentHire {
          throw CLIError("\(d.id) already has hire \(current.id) at \(current.employerName.oneLine) without a six-month outcome; record that first (`keten followup outcome`).")
        }
        hire.id = d.placement.nextHireID
        d.recordHire(hire)
      }
      let schedule = FollowUpSchedule(hire: saved.document.placement.hires.last!, cadence: content.followUp, today: today)
      print("\(saved.id) hired as \(hire.id) from \(hire.start); \(schedule.meetings.count) follow-up meetings planned, the six-month review on \(schedule.reviewDate).")
      if let opening = hire.opening, let o = try store.place(saved.id, in: opening, by: CurrentUser.login, now: Date())?.record {
        print("\(o.id): \(o.taken) of \(o.places) places taken" + (o.open ? "." : "; the opening is closed."))
      }
    }
  }
}

/// `keten followup …`
struct FollowUpCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "followup", abstract: "The post-hire plan, meeting schedule, follow-up logs and six-month outcome.",
    subcommands: [FollowUpSchedule_.self, FollowUpLog.self, FollowUpMove.self, PlanEdit.self, OutcomeRecord.self])
}

/// The hire a command is about: the named one, else the latest.
func pickHire(_ d: CaseDocument, _ id: String?) throws -> Int {
  if let id {
    guard let i = d.placement.hires.firstIndex(where: { $0.id == id }) else {
      throw CLIError("\(d.id) has no hire \(id); it has \(d.placement.hires.map(\.id).joined(separator: ", ").ifEmpty("none")).")
    }
    return i
  }
  guard !d.placement.hires.isEmpty else { throw CLIError("\(d.id) has no hire yet; `keten hire \(d.id)` records one.") }
  return d.placement.hires.count - 1
}

struct FollowUpSchedule_: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "schedule", abstract: "The meetings of a hire: held, to come, overdue.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "The hire (default the latest).") var hire: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let cadence = try loadCadence(storeRoot: store.contentRoot)
      let d = try store.load(try parseID(id)).document
      let h = d.placement.hires[try pickHire(d, hire)]
      let s = FollowUpSchedule(hire: h, cadence: cadence, today: .today())
      print("\(d.id) \(h.id): \(h.job.oneLine) at \(h.employerName.oneLine) since \(h.start) (\(h.contract.rawValue), \(h.hoursPerWeek) h)")
      for m in s.meetings {
        let state: String
        switch m.status {
        case .held(let f): state = "held \(f.heldOn) (\(f.id), risk \(f.risk.rawValue))"
        case .upcoming: state = "to come"
        case .overdue(let days): state = "OVERDUE \(days) d"
        case .ended: state = "not needed (outcome recorded)"
        }
        let moved = m.reschedule.map { "  moved from \(m.planned.date): \($0.reason)" } ?? ""
        print("  \(m.due)  \(TextWidth.pad(m.key, to: 14))  \(state)\(moved)")
      }
      for f in s.extra { print("  \(f.heldOn)  extra (\(f.id))   risk \(f.risk.rawValue)") }
      if let o = h.outcome { print("Outcome on \(o.on): \(o.status.rawValue)\(o.reason.isEmpty ? "" : " — " + o.reason.oneLine)") }
    }
  }
}

struct FollowUpLog: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log", abstract: "Log a follow-up meeting of a hire.",
    discussion: "MEETING is a key from `keten followup schedule` (manager@2w, counsellor@1m, review@6m) or `extra`. Attended: \(Attendee.allCases.map(\.rawValue).joined(separator: ", ")). Issues: \(FollowUpIssue.allCases.map(\.rawValue).joined(separator: ", ")). Risk: low, medium, high (high flags the case).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The meeting key, or extra.") var meeting: String
  @Option(help: "The hire (default the latest).") var hire: String?
  @Option(name: .customLong("set"), help: ArgumentHelp("A field: \(FollowUp.fields.map(\.path).joined(separator: ", ")).", valueName: "PATH=VALUE")) var assignments: [String] = []
  @Flag(help: "Log it although it was held before the meeting's planned day (the app asks; here you say so).")
  var early = false

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let cadence = try loadCadence(storeRoot: store.contentRoot)
      var logged = ""
      let saved = try changeCase(store, id) { d in
        let index = try pickHire(d, hire)
        let h = d.placement.hires[index]
        let key: String? = meeting == "extra" ? nil : meeting
        if let key {
          let schedule = FollowUpSchedule(hire: h, cadence: cadence, today: .today())
          guard schedule.meeting(key) != nil else {
            throw CLIError("\(key) is not a meeting of \(h.id); its meetings are \(schedule.meetings.map(\.key).joined(separator: ", ")), or extra.")
          }
        }
        var f = FollowUp(
          id: h.nextFollowUpID, meeting: key, heldOn: .today(), attended: Attendee.usual(for: key), loggedBy: CurrentUser.login,
          loggedAt: Timestamp.now())
        try applyAssignments(assignments, fields: FollowUp.fields, to: &f)
        if let key, !early, let due = FollowUpSchedule(hire: h, cadence: cadence, today: .today()).meeting(key)?.due, f.heldOn < due {
          throw CLIError("\(key) is planned for \(due), after \(f.heldOn); if it really was held then, add --early.")
        }
        d.placement.hires[index].followUps.append(f)
        logged = f.id
      }
      let h = saved.document.placement.hires.last { $0.followUps.contains { $0.id == logged } }!
      let next = FollowUpSchedule(hire: h, cadence: cadence, today: .today())
      print("\(saved.id) follow-up \(logged) logged" + (h.currentRisk == .high ? "; HIGH drop-out risk flags the case" : "") + (next.next.map { "; next: \($0.key) on \($0.due)" } ?? "") + ".")
    }
  }
}

struct FollowUpMove: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move a meeting to another day, with the reason.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The meeting key.") var meeting: String
  @Option(help: ArgumentHelp("The new day.", valueName: "YYYY-MM-DD")) var to: String
  @Option(help: "Why it moves (required).") var reason: String
  @Option(help: "The hire (default the latest).") var hire: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let cadence = try loadCadence(storeRoot: store.contentRoot)
      guard let day = try parseDateOption("--to", to) else { throw CLIError("--to: give the new day as YYYY-MM-DD.") }
      try changeCase(store, id) { d in
        let index = try pickHire(d, hire)
        let schedule = FollowUpSchedule(hire: d.placement.hires[index], cadence: cadence, today: .today())
        guard let m = schedule.meeting(meeting) else {
          throw CLIError("\(meeting) is not a meeting of \(d.placement.hires[index].id); its meetings are \(schedule.meetings.map(\.key).joined(separator: ", ")).")
        }
        if case .held = m.status { throw CLIError("\(meeting) is already held; nothing to move.") }
        let move = Reschedule(meeting: meeting, to: day, reason: reason, by: CurrentUser.login, on: .today())
        // Named by the option, not the document's path.
        if let issue = (move.issues() + cadence.rescheduleIssues(move)).first {
          throw CLIError("--\(issue.path == "to" ? "to" : "reason"): \(issue.problem.message)")
        }
        d.placement.hires[index].reschedules.append(move)
      }
      print("\(id) \(meeting) moved to \(day).")
    }
  }
}

struct PlanEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan", abstract: "Show or change the post-hire plan; earlier versions are kept.",
    discussion: "Fields: \(PostHirePlan.fields(today: .today()).map(\.path).joined(separator: ", ")). Actions are comma-separated; approvals are \"Name, YYYY-MM-DD\". Changing goals or buddy asks for new approvals.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "The hire (default the latest).") var hire: String?
  @Option(name: .customLong("set"), help: ArgumentHelp("A field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      var d = try store.load(try parseID(id)).document
      if !assignments.isEmpty {
        d = try changeCase(store, id) { d in
          let index = try pickHire(d, hire)
          var plan = d.placement.hires[index].plan
          try applyAssignments(assignments, fields: PostHirePlan.fields(today: .today()), to: &plan)
          d.placement.hires[index].revisePlan(plan, by: CurrentUser.login, on: .today())
        }.document
      }
      let h = d.placement.hires[try pickHire(d, hire)]
      let p = h.plan
      print("Post-hire plan of \(d.id) \(h.id), version \(h.planHistory.count + 1) (\(p.revisedOn), \(p.revisedBy))")
      for (key, actions) in p.goals { print("  \(key): \(actions.joined(separator: "; ").ifEmpty("-").oneLine)") }
      print("  buddy: \(p.buddyName.ifEmpty("-").oneLine)\(p.buddyRole.isEmpty ? "" : " (\(p.buddyRole.oneLine))")")
      for (role, s) in p.approvals.all { print("  approved by \(role): \(s.map { "\($0.name.oneLine), \($0.on)" } ?? "not yet")") }
    }
  }
}

struct OutcomeRecord: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "outcome", abstract: "Record where the person stands six months after the hire.",
    discussion: "Status: \(HireOutcome.Status.allCases.map(\.rawValue).joined(separator: ", ")); every status but employed-same needs --reason.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "employed-same, employed-other, left or dismissed.") var status: String
  @Option(help: "Why (required unless still with the same employer).") var reason = ""
  @Option(help: ArgumentHelp("The day (default today).", valueName: "YYYY-MM-DD")) var on: String?
  @Option(help: "The hire (default the latest).") var hire: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      try changeCase(store, id) { d in
        let index = try pickHire(d, hire)
        var outcome = HireOutcome(on: .today(), status: .employedSame, by: CurrentUser.login)
        try applyAssignments(["status=" + status, "reason=" + reason] + (on.map { ["on=" + $0] } ?? []), fields: HireOutcome.fields, to: &outcome)
        d.placement.hires[index].outcome = outcome
      }
      print("\(id): outcome \(status) recorded.")
    }
  }
}

struct AgendaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agenda", abstract: "What is due: post-hire meetings, check-ins, re-screenings, training days, internship ends, permits, action-plan actions and reviews.",
    discussion: "Text for the terminal, or --ics for a calendar (RFC 5545). The iCalendar holds case ids, not names, unless --names: a calendar leaves Keten's protection.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: ArgumentHelp("First day (default today).", valueName: "YYYY-MM-DD")) var from: String?
  @Option(help: "How many days (1–366).") var days = 7
  @Flag(help: "Only my cases and groups.") var mine = false
  @Flag(help: "Write iCalendar instead of text.") var ics = false
  @Flag(help: "Put names in the iCalendar.") var names = false
  @Option(help: "nl or en (default from the environment).") var lang: String?

  func run() throws {
    try reporting {
      guard (1...366).contains(days) else { throw CLIError("--days \(days) is not from 1 to 366.") }
      let store = try storeOptions.open()
      let cadence = try loadCadence(storeRoot: store.contentRoot)
      let strings = try loadStrings(lang)
      let text = AgendaText(strings: strings, cadence: cadence)
      let today = LocalDate.today()
      let first = try parseDateOption("--from", from) ?? today
      let last = first.adding(days: days - 1)
      let listing = try store.list()
      let agenda = Agenda(summaries: listing.cases, groups: try readRecords(store, TrainingGroup.self).map(\.record), login: mine ? CurrentUser.login : nil)
      let overdue = first <= today ? agenda.overdue(today: today).filter { $0.date < first } : []
      let shown = agenda.between(first, last)
      let listed = Set((overdue + shown).compactMap(\.caseID)).count
      if listed > 0 && (!ics || names) {
        try journalRead(store, "agenda \(first)–\(last)" + (ics ? " as iCalendar with names" : "") + " (\(listed) cases)")
      }
      if ics {
        Incomplete.machineFormat = true
        // Every event on its own day, marked held, overdue or moved, so that a calendar which
        // imports this again updates its events and never loses one: post-hire meetings come
        // from the cases themselves, held ones too, from the hire to the last day asked for.
        var entries = (overdue + shown).filter { $0.key != DueKey.postHire }
        let hired = listing.cases.filter { s in s.facts.contains { $0.hasPrefix("hire=") } && !s.isClosed && (!mine || s.caseWorker == CurrentUser.login) }
        for s in hired {
          let d = try store.load(s.id).document
          entries += AgendaEntry.meetings(of: d, cadence: cadence, today: today).filter { $0.date <= last }
        }
        entries.sort { ($0.date, $0.uid) < ($1.date, $1.uid) }
        let calendar = ICalendar.write(
          entries, stamp: Timestamp.now(),
          summary: { e in text.eventTitle(e, who: names ? e.name : (e.caseID?.rawValue ?? e.name), today: today) },
          description: { text.eventDescription($0, today: today) })
        writeOut(calendar)
        return
      }
      func line(_ e: AgendaEntry) -> String {
        let who = e.caseID.map { "\($0)  \(TextWidth.pad(TextWidth.truncate(e.name.oneLine, to: 22), to: 22))" } ?? TextWidth.pad("", to: 36)
        return "  \(who)  \(text.title(e).oneLine)"
      }
      if !overdue.isEmpty {
        print(strings("agenda.overdue") + " (\(overdue.count))")
        for e in overdue { print(line(e) + "  (\(e.date), \(strings("agenda.daysLate", String(e.date.days(until: today)))))") }
      }
      var day = first
      while day <= last {
        let entries = shown.filter { $0.date == day }
        if !entries.isEmpty {
          print("\(text.weekday(day)) \(day)" + (day == today ? "  (" + strings("agenda.today") + ")" : ""))
          for e in entries { print(line(e)) }
        }
        day = day.adding(days: 1)
      }
      if overdue.isEmpty && shown.isEmpty { print(strings("agenda.nothing", first.description, last.description)) }
      reportDamaged(listing.damaged)
    }
  }
}
