import ArgumentParser
import CaseStore
import Casework
import Foundation
import TextCells

/// Loads a case, lets `change` edit it, checks and saves it; returns the saved version.
@discardableResult
func changeCase(_ store: Store, _ id: String, _ change: (inout CaseDocument) throws -> Void) throws -> StoredCase {
  let stored = try store.load(try parseID(id))
  var d = stored.document
  if d.isClosed { throw CLIError("\(d.id) is closed; reopen it first.") }
  try change(&d)
  try requireValid(d.validationIssues(today: .today()))
  return try store.save(d, basedOn: stored, by: CurrentUser.login)
}

/// An opening that takes people: closed ones (filled or withdrawn) are refused, saying how to reopen.
func requireOpen(_ o: Opening) throws {
  if !o.open { throw CLIError("\(o.id) is closed (\(o.taken) of \(o.places) places taken); reopen it with `keten openings edit \(o.id) --set open=yes` first.") }
}

/// Checks a job-profile id against the skills catalog.
func checkProfile(_ profile: String?, skills: SkillsCatalog, field: String = "profile") throws {
  if let profile, !profile.isEmpty, skills.profile(profile) == nil {
    throw CLIError("\(field): '\(profile)' is not a job profile of the skills catalog (e.g. carer, cook, warehouse-worker; see Resources/skills).")
  }
}

/// `keten employers …`
struct EmployersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "employers", abstract: "Employers the centre works with.",
    subcommands: [EmployerList.self, EmployerAdd.self, EmployerEdit.self], defaultSubcommand: EmployerList.self)
}

struct EmployerList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List employers with their open openings.")
  @OptionGroup var storeOptions: StoreOptions

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let (employers, damaged) = try store.records(Employer.self)
      let openings = try readRecords(store, Opening.self).map(\.record).filter(\.open)
      if employers.isEmpty { print("No employers yet; `keten employers add --name NAME` registers one.") }
      for e in employers.map(\.record) {
        let count = openings.filter { $0.employer == e.id }.count
        print("\(e.id)  \(TextWidth.pad(TextWidth.truncate(e.name.oneLine, to: 28), to: 28))  \(TextWidth.pad(e.sector.oneLine, to: 14))  \(TextWidth.pad(e.region.oneLine, to: 12))  \(count) open" + (e.active ? "" : "  inactive"))
      }
      reportDamaged(damaged)
    }
  }
}

struct EmployerAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Register an employer; prints the id.",
    discussion: "Fields with --set PATH=VALUE: \(Employer.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "The employer's name.") var name: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Another field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      var e = Employer(name: "")
      try applyAssignments(["name=" + name] + assignments, fields: Employer.fields, to: &e)
      let skills = try loadContent(storeRoot: store.contentRoot).skills
      if !e.sector.isEmpty, skills.sector(e.sector) == nil {
        throw CLIError("sector: '\(e.sector.oneLine)' is not a sector; sectors are \(skills.sectors.map(\.id).joined(separator: ", ")).")
      }
      print(try store.create(e, by: CurrentUser.login).id)
    }
  }
}

struct EmployerEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change an employer's fields: \(Employer.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The employer id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.record(Employer.self, id)
      var e = stored.record
      try applyAssignments(assignments, fields: Employer.fields, to: &e)
      let saved = try store.save(e, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id) saved as revision \(saved.revision).")
    }
  }
}

/// `keten openings …`
struct OpeningsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "openings", abstract: "Vacancies and internship places, and the candidates for each.",
    subcommands: [OpeningList.self, OpeningAdd.self, OpeningEdit.self, OpeningCandidates.self],
    defaultSubcommand: OpeningList.self)
}

func openingLine(_ o: Opening, shortage: Bool) -> String {
  let end = o.end.map { "–\($0)" } ?? ""
  return "\(o.id)  \(TextWidth.pad(o.type.rawValue, to: 10))  \(TextWidth.pad(TextWidth.truncate(o.title.oneLine, to: 22), to: 22))  \(TextWidth.pad(TextWidth.truncate(o.employerName.oneLine, to: 20), to: 20))  \(TextWidth.pad(o.region.oneLine, to: 10))  \(o.start)\(end)" + (shortage ? "  shortage" : "") + (o.open ? "" : "  closed")
}

struct OpeningList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List openings; shortage occupations are marked.")
  @OptionGroup var storeOptions: StoreOptions
  @Flag(help: "Closed ones too.") var all = false

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let settings = try loadContent(storeRoot: store.contentRoot).matching
      let (openings, damaged) = try store.records(Opening.self)
      let shown = openings.map(\.record).filter { all || $0.open }
      if shown.isEmpty { print("No open openings; `keten openings add EMPLOYER --title … --profile …` adds one.") }
      for o in shown { print(openingLine(o, shortage: settings.isShortage(o.profile))) }
      reportDamaged(damaged)
    }
  }
}

struct OpeningAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a vacancy or internship place at an employer; prints the id.",
    discussion: "Fields with --set PATH=VALUE: \(Opening.fields.map(\.path).joined(separator: ", ")). Types: vacancy, internship (needs an end). Language levels: A1…C2.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The employer id.") var employer: String
  @Option(help: "What the job is called.") var title: String
  @Option(help: "A job-profile id of the skills catalog.") var profile: String
  @Option(help: ArgumentHelp("First day.", valueName: "YYYY-MM-DD")) var start: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Another field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let e = try store.record(Employer.self, employer).record
      var o = Opening(employer: e.id, employerName: e.name, type: .vacancy, title: "", profile: "", region: e.region, start: .today())
      try applyAssignments(["title=" + title, "profile=" + profile, "start=" + start] + assignments, fields: Opening.fields, to: &o)
      try checkProfile(o.profile, skills: try loadContent(storeRoot: store.contentRoot).skills)
      print(try store.create(o, by: CurrentUser.login).id)
    }
  }
}

struct OpeningEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change an opening's fields: \(Opening.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The opening id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.record(Opening.self, id)
      var o = stored.record
      try applyAssignments(assignments, fields: Opening.fields, to: &o)
      try checkProfile(o.profile, skills: try loadContent(storeRoot: store.contentRoot).skills)
      let saved = try store.save(o, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id) saved as revision \(saved.revision).")
    }
  }
}

/// The parts of a score in words (the environment's language, English by default), as the app
/// words them: "skills 0/30 (no self-assessment yet)", never the internal keys.
func scoreParts(_ score: JobMatching.Score, skills: SkillsCatalog) -> String {
  guard let strings = try? loadStrings(nil) else { return "" }
  return score.parts.map { part in
    let values = part.shownValues(strings: strings, skills: skills)
    return "\(strings("match.part.\(part.name)")) \(part.points)/\(part.maximum) (\(strings.format("match.detail.\(part.detail.key)", values).oneLine))"
  }.joined(separator: ", ")
}

struct OpeningCandidates: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "candidates", abstract: "Cases in bridging or matching ranked for an opening, with each part of the score.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The opening id.") var id: String
  @Option(help: "How many to show.") var limit = 10

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let o = try store.record(Opening.self, id).record
      let ranked = JobMatching(settings: content.matching, skills: content.skills)
        .candidates(for: o, among: try store.candidatePool(), today: .today())
      if !ranked.isEmpty { try journalRead(store, "candidates for \(o.id) (\(min(ranked.count, max(1, limit))) cases)") }
      print(openingLine(o, shortage: content.matching.isShortage(o.profile)))
      if ranked.isEmpty { print("No open case is in bridging or matching.") }
      for c in ranked.prefix(max(1, limit)) {
        print("\(TextWidth.padLeft(String(c.score.total), to: 3))/\(c.score.maximum)  \(c.caseID)  \(TextWidth.pad(TextWidth.truncate(c.name.oneLine, to: 22), to: 22))  \(scoreParts(c.score, skills: content.skills))")
      }
    }
  }
}

struct MatchCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "match", abstract: "Open openings ranked for a case, with each part of the score.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "How many to show.") var limit = 10

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let d = try store.load(try parseID(id)).document
      try journalRead(store, "openings matched to the case's screening", case: d.id)
      let ranked = JobMatching(settings: content.matching, skills: content.skills)
        .openings(for: d, among: try readRecords(store, Opening.self).map(\.record), today: .today())
      if ranked.isEmpty { print("No open openings; `keten openings add` adds one.") }
      for m in ranked.prefix(max(1, limit)) {
        print("\(TextWidth.padLeft(String(m.score.total), to: 3))/\(m.score.maximum)  \(openingLine(m.opening, shortage: m.shortage))")
        print("        \(scoreParts(m.score, skills: content.skills))")
      }
    }
  }
}

/// `keten internship …`
struct InternshipCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "internship", abstract: "Internships with their agreement: signatures, ethics code, start and end.",
    discussion: "An internship is marked started only when intern, company and mediating organisation have signed, each on or before the start; one of more than six months needs --set longerReason=….",
    subcommands: [InternshipAdd.self, InternshipEdit.self])
}

struct InternshipAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add an internship to a case, from an opening or by hand; prints its id.",
    discussion: "Fields with --set PATH=VALUE: \(Internship.fields(today: .today()).map(\.path).joined(separator: ", ")). Signatures: --set intern=\"Name, YYYY-MM-DD\".")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "An internship opening id (fills organisation, role, dates).") var opening: String?
  @Option(name: .customLong("set"), help: ArgumentHelp("A field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let today = LocalDate.today()
      var made = ""
      try changeCase(store, id) { d in
        var i = Internship(id: d.placement.nextInternshipID, organisation: "", role: "", from: today, to: today.adding(months: 3))
        if let opening {
          let o = try store.record(Opening.self, opening).record
          try requireOpen(o)
          if let same = d.placement.internships.first(where: { $0.opening == o.id && $0.ended == nil }) {
            throw CLIError("\(d.id) already has internship \(same.id) from \(o.id); edit that one (`keten internship edit \(d.id) \(same.id)`).")
          }
          i.fill(from: o)
        }
        try applyAssignments(assignments, fields: Internship.fields(today: today), to: &i)
        d.placement.internships.append(i)
        d.stages.insert(.matching)
        made = i.id
      }
      print("\(id) internship \(made) added; it starts once all three have signed (`keten internship edit \(id) \(made) --set started=…`).")
      if let opening, let o = try store.place(try parseID(id), in: opening, by: CurrentUser.login, now: Date())?.record {
        print("\(o.id): \(o.taken) of \(o.places) places taken" + (o.open ? "." : "; the opening is closed."))
      }
    }
  }
}

struct InternshipEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change an internship: sign, tick the ethics code, start, end.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The internship id (i1, i2, …).") var internship: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      try changeCase(store, id) { d in
        guard let index = d.placement.internships.firstIndex(where: { $0.id == internship }) else {
          throw CLIError("\(id) has no internship \(internship); it has \(d.placement.internships.map(\.id).joined(separator: ", ").ifEmpty("none")).")
        }
        try applyAssignments(assignments, fields: Internship.fields(today: .today()), to: &d.placement.internships[index])
      }
      print("\(id) internship \(internship) saved.")
    }
  }
}

extension String {
  func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}

/// `keten fairs …`
struct FairsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fairs", abstract: "Job fairs and job days: registrations with logistics, employers, outcomes.",
    subcommands: [FairList.self, FairCreate.self, FairRegister.self, FairResult.self, FairShow.self],
    defaultSubcommand: FairList.self)
}

struct FairList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List job fairs and days.")
  @OptionGroup var storeOptions: StoreOptions

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let (fairs, damaged) = try store.records(JobFair.self)
      if fairs.isEmpty { print("No job fairs yet; `keten fairs create --name … --on …` adds one.") }
      for f in fairs.map(\.record) {
        let offers = f.registrations.reduce(0) { $0 + $1.offers }
        print("\(f.id)  \(f.on)  \(TextWidth.pad(f.type.rawValue, to: 4))  \(TextWidth.pad(TextWidth.truncate(f.name.oneLine, to: 28), to: 28))  \(f.registrations.count) registered, \(f.employers.count) employers, \(offers) offers")
      }
      reportDamaged(damaged)
    }
  }
}

struct FairCreate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Add a job fair or job day; prints the id.",
    discussion: "Fields with --set: \(JobFair.fields.map(\.path).joined(separator: ", ")). Types: fair, day. Employers are employer ids.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "The name.") var name: String
  @Option(help: ArgumentHelp("The day.", valueName: "YYYY-MM-DD")) var on: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Another field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      var f = JobFair(name: "", on: .today())
      try applyAssignments(["name=" + name, "on=" + on] + assignments, fields: JobFair.fields, to: &f)
      for e in f.employers { _ = try store.record(Employer.self, e) }
      print(try store.create(f, by: CurrentUser.login).id)
    }
  }
}

struct FairRegister: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "register", abstract: "Register a case for a fair, with what they need to get there.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The fair id.") var fair: String
  @Argument(help: "The case id.") var id: String
  @Flag(help: "Needs transport.") var transport = false
  @Flag(help: "Needs childcare.") var childcare = false
  @Option(help: "Anything else to arrange.") var notes = ""

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let caseID = try parseID(id)
      let d = try store.load(caseID).document
      if d.isClosed { throw CLIError("\(caseID) is closed; reopen it first.") }
      let stored = try store.record(JobFair.self, fair)
      var f = stored.record
      if f.registration(caseID.rawValue) != nil { throw CLIError("\(caseID) is already registered for \(f.id).") }
      f.registrations.append(FairRegistration(caseID: caseID.rawValue, transport: transport, childcare: childcare, notes: notes))
      try store.save(f, basedOn: stored, by: CurrentUser.login)
      print("\(caseID) registered for \(f.id) (\(f.on))" + (transport || childcare ? "; to arrange: " + [transport ? "transport" : "", childcare ? "childcare" : ""].filter { !$0.isEmpty }.joined(separator: ", ") : "") + ".")
    }
  }
}

struct FairResult: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "result", abstract: "Record how the fair went for a case: \(FairRegistration.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The fair id.") var fair: String
  @Argument(help: "The case id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let caseID = try parseID(id)
      let stored = try store.record(JobFair.self, fair)
      var f = stored.record
      guard let index = f.registrations.firstIndex(where: { $0.caseID == caseID.rawValue }) else {
        throw CLIError("\(caseID) is not registered for \(f.id); `keten fairs register \(f.id) \(caseID)` first.")
      }
      try applyAssignments(assignments, fields: FairRegistration.fields, to: &f.registrations[index])
      try store.save(f, basedOn: stored, by: CurrentUser.login)
      print("\(f.id): result for \(caseID) saved.")
    }
  }
}

struct FairShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "A fair with its registrations and results.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The fair id.") var fair: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.record(JobFair.self, fair)
      let f = stored.record
      let names = Dictionary(try store.list().cases.map { ($0.id.rawValue, $0.displayName.oneLine) }, uniquingKeysWith: { a, _ in a })
      if !f.registrations.isEmpty { try journalRead(store, "registrations of \(f.id) (\(f.registrations.count) cases)") }
      print("\(f.id)  \(f.name.oneLine)  (\(f.type.rawValue), \(f.on)\(f.place.isEmpty ? "" : ", " + f.place.oneLine))")
      let employers = Dictionary(try readRecords(store, Employer.self).map { ($0.id, $0.record.name.oneLine) }, uniquingKeysWith: { a, _ in a })
      print("Employers: \(f.employers.map { "\(employers[$0] ?? "?") (\($0))" }.joined(separator: ", ").ifEmpty("none"))")
      for r in f.registrations {
        let needs = [r.transport ? "transport" : "", r.childcare ? "childcare" : ""].filter { !$0.isEmpty }.joined(separator: "+")
        let came = r.attended.map { $0 ? "came" : "did not come" } ?? "-"
        print("  \(r.caseID)  \(TextWidth.pad(TextWidth.truncate((names[r.caseID] ?? "?").oneLine, to: 22), to: 22))  \(TextWidth.pad(needs.ifEmpty("-"), to: 19))  \(TextWidth.pad(came, to: 12))  \(r.interviews) interviews, \(r.offers) offers")
      }
      let transport = f.registrations.filter(\.transport).count
      let childcare = f.registrations.filter(\.childcare).count
      if stored.hiddenEntries > 0 { print("+ \(stored.hiddenEntries) registration(s) of cases not visible for your role.") }
      print("\(f.registrations.count) registered; transport for \(transport), childcare for \(childcare); \(f.registrations.reduce(0) { $0 + $1.interviews }) interviews, \(f.registrations.reduce(0) { $0 + $1.offers }) offers.")
    }
  }
}
