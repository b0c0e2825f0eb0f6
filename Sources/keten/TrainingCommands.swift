import ArgumentParser
import CaseStore
import Casework
import Foundation
import TextCells

/// `keten training …`: VOORwerk groups for trainers and scripts.
struct TrainingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "training",
    abstract: "VOORwerk training groups: create, participants, entry test, attendance, part 3, evaluation, report.",
    subcommands: [
      TrainingGroups.self, TrainingCreate.self, TrainingEdit.self, TrainingShow.self, TrainingAdd.self,
      TrainingRemove.self, TrainingDeliver.self, TrainingAttend.self, TrainingNote.self, TrainingEntryTest.self,
      TrainingPractice.self, TrainingEvaluate.self, TrainingReportCommand.self,
    ])
}

/// The store, programme and one group, shared by the group subcommands.
struct GroupContext {
  let store: Store
  let programme: VoorwerkProgramme
  let stored: StoredRecord<TrainingGroup>
  var group: TrainingGroup

  init(_ options: StoreOptions, id: String) throws {
    store = try options.open()
    programme = try loadVoorwerk(storeRoot: store.contentRoot)
    stored = try store.record(TrainingGroup.self, id)
    group = stored.record
  }

  /// The participant index of a case, or an error listing the group's cases.
  func participant(_ caseID: String) throws -> Int {
    let id = try parseID(caseID).rawValue
    if let i = group.participant(id) { return i }
    let ids = group.participants.map(\.caseID)
    if stored.hiddenEntries > 0 && ids.count == 0 {
      throw CLIError("\(id) is not a participant of \(group.id) that you may see.")
    }
    throw CLIError("\(id) is not in \(group.id)" + (stored.hiddenEntries > 0 ? " among the participants you may see" : "") + "; " + (ids.isEmpty ? "the group has no participants yet." : "its participants are \(ids.joined(separator: ", "))."))
  }

  /// The module with this id, or an error listing the modules.
  func module(_ id: String) throws -> VoorwerkProgramme.Module {
    if let m = programme.module(id) { return m }
    throw CLIError("'\(id)' is not a module; modules are \(programme.modules.map(\.id).joined(separator: ", ")).")
  }

  func save(_ message: String) throws {
    try requireValid(group.validationIssues(today: .today()))
    let saved = try store.save(group, basedOn: stored, by: CurrentUser.login)
    print("\(saved.id) saved as revision \(saved.revision): \(message)")
  }
}

func loadVoorwerk(storeRoot: String?) throws -> VoorwerkProgramme {
  try loadContentFile("VOORwerk programme") { () throws(ContentError) in try VoorwerkProgramme.load(storeRoot: storeRoot) }
}

struct TrainingGroups: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "groups", abstract: "List the training groups.")
  @OptionGroup var storeOptions: StoreOptions

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let programme = try loadVoorwerk(storeRoot: store.contentRoot)
      let (groups, damaged) = try store.records(TrainingGroup.self)
      if groups.isEmpty { print("No training groups yet; `keten training create` makes one.") }
      for stored in groups {
        let g = stored.record
        let days = g.days.map(\.description).joined(separator: ",")
        print("\(g.id)  \(TextWidth.pad(TextWidth.truncate(g.name.oneLine, to: 28), to: 28))  \(days)  \(g.participants.count + stored.hiddenEntries)/\(g.capacity)  \(g.level.oneLine)  modules \(g.delivered.count)/\(programme.modules.count)")
      }
      reportDamaged(damaged)
    }
  }
}

struct TrainingCreate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create a training group; prints its id.",
    discussion: "Days default to none; give --day once per training day (3 by default in the programme).")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "The group's name.") var name: String
  @Option(help: "The reception centre.") var centre: String
  @Option(help: ArgumentHelp("A trainer's login (repeat for several; default: you).", valueName: "LOGIN")) var trainer: [String] = []
  @Option(help: "Language of delivery.") var language: String = ""
  @Option(help: ArgumentHelp("An interpreter, e.g. 'Samira (ar fa)' (repeatable).", valueName: "NAME (LANGS)")) var interpreter: [String] = []
  @Option(help: ArgumentHelp("A training day (repeatable).", valueName: "YYYY-MM-DD")) var day: [String] = []
  @Option(help: "Places in the group.") var capacity: Int = 12
  @Option(help: "A level of the programme (default: the middle one).") var level: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let programme = try loadVoorwerk(storeRoot: store.contentRoot)
      var group = TrainingGroup(
        name: name, centre: centre, trainers: [], language: language, days: [], capacity: capacity,
        level: programme.levels[programme.levels.count / 2].id)
      var assignments = ["trainers=" + (trainer.isEmpty ? [CurrentUser.login] : trainer).joined(separator: ","),
                         "days=" + day.joined(separator: ","), "interpreters=" + interpreter.joined(separator: ", ")]
      if let level { assignments.append("level=" + level) }
      try applyAssignments(assignments, fields: TrainingGroup.fields(levels: programme.levels.map(\.id)), to: &group)
      try requireValid(group.validationIssues(today: .today()))
      let created = try store.create(group, by: CurrentUser.login)
      print(created.id)
    }
  }
}

struct TrainingEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change a group's fields: name, centre, trainers, language, interpreters, days, capacity, level.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      try applyAssignments(assignments, fields: TrainingGroup.fields(levels: c.programme.levels.map(\.id)), to: &c.group)
      try c.save("details changed")
    }
  }
}

struct TrainingShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "A group with its level mix, participants and attendance per module.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Option(help: "Language of module titles: nl or en.") var lang: String?

  func run() throws {
    try reporting {
      let c = try GroupContext(storeOptions, id: id)
      let language = try loadStrings(lang).language.rawValue
      let g = c.group
      let names = try participantNames(c.store, g)
      if !names.isEmpty { try journalRead(c.store, "participants of \(g.id) (\(names.count) cases)") }
      let report = TrainingReport(group: g, programme: c.programme, genders: names.mapValues(\.gender))
      var out = "\(g.id)  \(g.name.oneLine)\n"
      out += "Centre: \(g.centre.oneLine) · trainers: \(g.trainers.joined(separator: ", ")) · language: \(g.language.isEmpty ? "-" : g.language.oneLine)\n"
      if !g.interpreters.isEmpty {
        out += "Interpreters: " + g.interpreters.map { "\($0.name.oneLine) (\($0.languages.joined(separator: " ").oneLine))" }.joined(separator: ", ") + "\n"
      }
      out += "Days: \(g.days.map(\.description).joined(separator: ", ")) · \(g.participants.count + c.stored.hiddenEntries)/\(g.capacity) places · level \(g.level.oneLine)\n"
      let mix = c.programme.levels.map { "\($0.id) \(report.levelMix[$0.id] ?? 0)" }.joined(separator: ", ")
      out += "Entry test: \(mix), untested \(report.untested)" + (report.levelSpreadIsWide ? "  WARNING: the levels are far apart; consider splitting the group." : "") + "\n"
      out += "Modules:\n"
      for m in c.programme.modules {
        out += "  \(m.id)  \(m.title(language)) (\(m.hoursText) h)" + (g.delivered[m.id].map { "  delivered \($0)" } ?? "") + "\n"
      }
      out += "Participants:\n"
      for p in g.participants {
        let marks = c.programme.modules.map { TrainingText.mark(p.attendance[$0.id]) }.joined()
        let level = p.entryTest.map { c.programme.recommendedLevel($0).id } ?? "-"
        out += "  \(p.caseID)  \(TextWidth.pad(TextWidth.truncate(names[p.caseID]?.name ?? "?", to: 24), to: 24))  \(marks)  entry \(level)"
        out += p.evaluation == nil ? "" : "  evaluated"
        out += p.internship.map { "  internship \($0.organisation.oneLine)" } ?? ""
        out += "\n"
      }
      if c.stored.hiddenEntries > 0 {
        out += "  + \(c.stored.hiddenEntries) participant(s) of cases not visible for your role (counted in the places)\n"
      }
      out += "(attendance: P present, A absent, E excused, . not recorded)\n"
      print(out, terminator: "")
    }
  }
}

/// Names and genders of a group's participants, from their case files (a missing case shows as such).
func participantNames(_ store: Store, _ group: TrainingGroup) throws -> [String: (name: String, gender: Gender)] {
  let byID = Dictionary(try store.list().cases.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
  var out: [String: (name: String, gender: Gender)] = [:]
  for p in group.participants {
    if let s = byID[p.caseID] { out[p.caseID] = (s.displayName.oneLine, s.gender) }
  }
  return out
}

enum TrainingText {
  static func mark(_ a: TrainingGroup.Attendance?) -> String {
    switch a {
    case .present?: "P"
    case .absent?: "A"
    case .excused?: "E"
    case nil: "."
    }
  }
}

struct TrainingAdd: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "add", abstract: "Add cases to a group.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "Case ids.") var cases: [String]

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      for text in cases {
        let caseID = try parseID(text)
        _ = try c.store.load(caseID)
        if c.group.participant(caseID.rawValue) != nil { throw CLIError("\(caseID) is already in \(c.group.id).") }
        // Places count every participant, those of cases the user may not see too.
        guard c.group.participants.count + c.stored.hiddenEntries < c.group.capacity else {
          throw CLIError("\(c.group.id) is full (\(c.group.capacity) places); raise its capacity with `keten training edit \(c.group.id) --set capacity=N`.")
        }
        c.group.participants.append(.init(caseID: caseID.rawValue))
      }
      try c.save("\(cases.count) added, \(c.group.participants.count + c.stored.hiddenEntries)/\(c.group.capacity) places taken")
    }
  }
}

struct TrainingRemove: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "remove", abstract: "Take a case out of a group (with its attendance and evaluation).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The case id.") var caseID: String

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      c.group.participants.remove(at: try c.participant(caseID))
      try c.save("\(caseID) removed")
    }
  }
}

struct TrainingDeliver: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "deliver", abstract: "Mark a module delivered (or --undo).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The module id (m1…).") var module: String
  @Option(help: ArgumentHelp("The day it was given (default today).", valueName: "YYYY-MM-DD")) var on: String?
  @Flag(help: "Mark it not delivered.") var undo = false
  @Flag(help: "Given on a day that is not one of the group's days (the app asks; here you say so).") var offDay = false

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      let m = try c.module(module)
      let day = try parseDateOption("--on", on) ?? .today()
      let index = c.programme.modules.firstIndex { $0.id == m.id } ?? 0
      if !undo, !offDay, let planned = c.programme.plannedDay(of: index, days: c.group.days), planned != day {
        throw CLIError("\(m.id) is planned for \(planned), not \(day); if it was given then, add --off-day.")
      }
      c.group.delivered[m.id] = undo ? nil : day
      try c.save(undo ? "\(m.id) not delivered" : "\(m.id) delivered")
    }
  }
}

struct TrainingAttend: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attend", abstract: "Record attendance for a module: CASE=present|absent|excused (or CASE= to clear).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The module id (m1…).") var module: String
  @Argument(help: ArgumentHelp("Attendance per case.", valueName: "CASE=present|absent|excused")) var marks: [String]

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      let m = try c.module(module)
      for mark in marks {
        let parts = mark.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw CLIError("'\(mark)' is not CASE=present|absent|excused.") }
        let i = try c.participant(parts[0])
        if parts[1].isEmpty {
          c.group.participants[i].attendance[m.id] = nil
        } else {
          guard let a = TrainingGroup.Attendance(rawValue: parts[1].lowercased()) else {
            throw CLIError("'\(parts[1])' is not an attendance; use present, absent or excused.")
          }
          c.group.participants[i].attendance[m.id] = a
        }
      }
      try c.save("attendance for \(m.id) recorded")
    }
  }
}

struct TrainingNote: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "note", abstract: "A short trainer's note on a participant for a module (empty text clears it).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The module id.") var module: String
  @Argument(help: "The case id.") var caseID: String
  @Argument(help: "The note.") var text: String

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      let m = try c.module(module)
      let i = try c.participant(caseID)
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      c.group.participants[i].notes[m.id] = trimmed.isEmpty ? nil : trimmed
      try c.save("note for \(m.id) \(trimmed.isEmpty ? "cleared" : "saved")")
    }
  }
}

struct TrainingEntryTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "entry-test", abstract: "Record a participant's entry test; prints the points and the recommended level.",
    discussion: "Answers are QUESTION=N with N the answer's number from 1; `keten training entry-test --questions` lists them.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String?
  @Argument(help: "The case id.") var caseID: String?
  @Option(name: .customLong("answer"), help: ArgumentHelp("An answer.", valueName: "QUESTION=N")) var answers: [String] = []
  @Flag(help: "List the questions and their answers.") var questions = false
  @Option(help: "Language of the question list: nl or en.") var lang: String?

  func run() throws {
    try reporting {
      if questions {
        let store = try storeOptions.open()
        let programme = try loadVoorwerk(storeRoot: store.contentRoot)
        let language = try loadStrings(lang).language.rawValue
        for q in programme.entryTest {
          print("\(q.id): \(q.text(language))")
          for (n, a) in q.answers.enumerated() { print("  \(n + 1) \(a.text(language)) (\(a.points) points)") }
        }
        return
      }
      guard let id, let caseID else { throw CLIError("Give a group id and a case id, or --questions.") }
      var c = try GroupContext(storeOptions, id: id)
      let i = try c.participant(caseID)
      var chosen: [String: Int] = [:]
      for answer in answers {
        let parts = answer.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let q = c.programme.entryTest.first(where: { $0.id == parts[0] }) else {
          throw CLIError("'\(answer)' is not QUESTION=N; questions are \(c.programme.entryTest.map(\.id).joined(separator: ", ")).")
        }
        guard let n = Int(parts[1]), (1...q.answers.count).contains(n) else {
          throw CLIError("'\(parts[1])' is not an answer to \(q.id); give a number from 1 to \(q.answers.count).")
        }
        chosen[q.id] = n - 1
      }
      let missing = c.programme.entryTest.filter { chosen[$0.id] == nil }.map(\.id)
      guard missing.isEmpty else { throw CLIError("Answers are missing for \(missing.joined(separator: ", ")).") }
      c.group.participants[i].entryTest = chosen
      let level = c.programme.recommendedLevel(chosen)
      try c.save("entry test \(c.programme.points(chosen)) points, recommended level \(level.id)")
    }
  }
}

struct TrainingPractice: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "practice", abstract: "Part 3: a participant's unpaid internship and the organisations contacted.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The case id.") var caseID: String
  @Option(help: "The internship's organisation (empty clears the internship).") var internship: String?
  @Option(help: ArgumentHelp("Internship start.", valueName: "YYYY-MM-DD")) var from: String?
  @Option(help: ArgumentHelp("Internship end.", valueName: "YYYY-MM-DD")) var to: String?
  @Option(help: "An organisation contacted (repeatable; added to the list).") var contacted: [String] = []

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      let i = try c.participant(caseID)
      var p = c.group.participants[i]
      var assignments: [String] = []
      if let internship { assignments.append("internship.organisation=" + internship) }
      if let from { assignments.append("internship.from=" + from) }
      if let to { assignments.append("internship.to=" + to) }
      try applyAssignments(assignments, fields: TrainingGroup.practiceFields, to: &p)
      for org in contacted.map({ $0.trimmingCharacters(in: .whitespaces) }) where !org.isEmpty && !p.organisationsContacted.contains(org) {
        p.organisationsContacted.append(org)
      }
      c.group.participants[i] = p
      try c.save("part 3 recorded")
    }
  }
}

struct TrainingEvaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate", abstract: "The closing evaluation of a participant: six scores 1–5 and the level fit.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Argument(help: "The case id.") var caseID: String
  @Option(help: "Confidence in looking for a job, 1–5.") var confidence: Int
  @Option(help: "Knowledge of the local labour market, 1–5.") var labourMarket: Int
  @Option(help: "Recognises own communication skills, 1–5.") var communication: Int
  @Option(help: "Recognises own initiative, 1–5.") var initiative: Int
  @Option(help: "Recognises own organisational skills, 1–5.") var organisation: Int
  @Option(help: "Recognises own sense of responsibility, 1–5.") var responsibility: Int
  @Option(help: "The level was too-low, right or too-high.") var level: String

  func run() throws {
    try reporting {
      var c = try GroupContext(storeOptions, id: id)
      let i = try c.participant(caseID)
      guard let fit = TrainingGroup.LevelFit(rawValue: level.lowercased()) else {
        throw CLIError("--level '\(level)' is not allowed; use too-low, right or too-high.")
      }
      c.group.participants[i].evaluation = TrainingGroup.Evaluation(
        confidence: confidence, labourMarket: labourMarket, communication: communication, initiative: initiative,
        organisation: organisation, responsibility: responsibility, level: fit)
      try c.save("evaluation recorded")
    }
  }
}

struct TrainingReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "A group's attendance per module, level mix and evaluation split by gender.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The group id.") var id: String
  @Option(help: "Language: nl or en.") var lang: String?

  func run() throws {
    try reporting {
      let c = try GroupContext(storeOptions, id: id)
      let strings = try loadStrings(lang)
      let names = try participantNames(c.store, c.group)
      let report = TrainingReport(group: c.group, programme: c.programme, genders: names.mapValues(\.gender))
      print(TrainingReportText.lines(report, group: c.group, programme: c.programme, strings: strings).map(\.oneLine).joined(separator: "\n"))
    }
  }
}
