import TextCells
import ArgumentParser
import CaseStore
import Casework
import Foundation
import TUI

struct NewCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new", abstract: "Open a new case and print its id.")

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "Full name, in any script.") var name: String
  @Option(help: ArgumentHelp("Date of birth.", valueName: "YYYY-MM-DD")) var born: String?
  @Option(help: "female, male, x or unspecified.") var gender: String?
  @Option(help: "Reception centre.") var centre: String?
  @Option(help: ArgumentHelp("Assigned case worker (OS login).", valueName: "LOGIN")) var worker: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let user = CurrentUser.login
      var draft = CaseDocument(
        id: CaseID(year: 2000, number: 0), person: Person(fullName: ""), createdBy: user)
      var assignments: [(String, String)] = [("person.fullName", name)]
      if let born { assignments.append(("person.dateOfBirth", born)) }
      if let gender { assignments.append(("person.gender", gender)) }
      if let centre { assignments.append(("person.centre", centre)) }
      assignments.append(("person.caseWorker", worker ?? user))
      for (path, value) in assignments {
        try CaseField.named(path).assign(value, to: &draft)
      }
      let created = try store.create(draft, by: user)
      print(created.id)
    }
  }
}

struct ListCases: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the cases: id, name, stages, next due.")

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "Only cases active in this stage (screening, bridging, matching, sustaining).")
  var stage: String?
  @Option(help: "Only cases whose name, id, nationality, phone or notes contain TEXT (any case, any accents).")
  var search: String?
  @Flag(help: "Include closed cases.") var closed = false
  @Flag(help: "Print a JSON array instead of lines.") var json = false
  @Flag(help: "Print CSV for a spreadsheet (formula-safe: cells starting with = + - @ are neutralised).") var csv = false

  func validate() throws {
    if json && csv { throw ValidationError("Choose --json or --csv, not both.") }
  }

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let listing = try store.list()
      var cases = listing.cases
      if let stage {
        guard let wanted = ChainStage(rawValue: stage.lowercased()) else {
          throw CLIError(
            "'\(stage)' is not a stage; choose one of \(ChainStage.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        cases = cases.filter { $0.stages.contains(wanted) }
      }
      if let search {
        let folded = SearchText.fold(search)
        cases = cases.filter { $0.matches(foldedQuery: folded) }
      }
      // Closed cases are left out unless asked for, with or without a stage (as in the app).
      if !closed { cases = cases.filter { !$0.isClosed } }
      let today = LocalDate.today()
      Incomplete.machineFormat = json || csv
      if csv {
        var out = CSV.row(["id", "name", "preferred name", "centre", "case worker", "stages", "closed", "next due", "next due what"].map(CSV.Cell.text))
        for row in cases.map({ ListRow(summary: $0, today: today, sections: store.viewer?.sections) }) {
          out += CSV.row(
            [row.id, row.name, row.preferredName ?? "", row.centre ?? "", row.caseWorker ?? "", (row.stages ?? []).joined(separator: " "),
             row.closed.map { $0 ? "yes" : "no" } ?? "", row.nextDue ?? "", row.nextDueWhat ?? ""].map(CSV.Cell.text))
        }
        try store.journal.append(
          JournalEntry(at: Date(), user: CurrentUser.login, action: .export, detail: "case list as CSV (\(cases.count) cases)"))
        writeOut(out)
      } else if json {
        try journalRead(store, "case list as JSON (\(cases.count) cases)")
        let rows = cases.map { ListRow(summary: $0, today: today, sections: store.viewer?.sections) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(rows), as: UTF8.self))
      } else {
        if !cases.isEmpty { try journalRead(store, "case list (\(cases.count) cases)") }
        let nameWidth = min(32, cases.map { TextWidth.width(of: $0.displayName.oneLine) }.max() ?? 4)
        var out = ""
        // What is due in words (the JSON and CSV keep the keys for programs).
        let words = try? loadStrings(nil)
        for s in cases {
          let due = s.nextDue(today: today).map { "\($0.date) \(words?.due($0.what) ?? $0.what)" } ?? "-"
          let stages = s.isClosed ? "closed" : s.stages.map(\.rawValue).joined(separator: ",")
          out += TextWidth.pad(s.id.rawValue, to: 12) + "  " + TextWidth.pad(s.displayName.oneLine, to: nameWidth)
            + "  " + TextWidth.pad(stages.isEmpty ? "-" : stages, to: 20) + "  " + due + "\n"
        }
        writeOut(out)
      }
      reportDamaged(listing.damaged)
    }
  }

  struct ListRow: Encodable {
    var id: String
    var name: String
    var preferredName: String?
    var centre: String?
    var caseWorker: String?
    /// Absent when the role does not see where the case stands (never an invented "open").
    var stages: [String]?
    var closed: Bool?
    var nextDue: String?
    var nextDueWhat: String?
    var revision: Int

    init(summary s: CaseSummary, today: LocalDate, sections: Set<CaseSection>? = nil) {
      id = s.id.rawValue
      name = s.fullName
      preferredName = s.preferredName.isEmpty ? nil : s.preferredName
      centre = s.centre.isEmpty ? nil : s.centre
      caseWorker = s.caseWorker.isEmpty ? nil : s.caseWorker
      let seesStatus = sections?.contains(.status) ?? true
      stages = seesStatus ? s.stages.map(\.rawValue) : nil
      closed = seesStatus ? s.isClosed : nil
      let due = s.nextDue(today: today)
      nextDue = due?.date.description
      nextDueWhat = due?.what
      revision = s.revision
    }
  }
}

struct ShowCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one case as text, or its stored JSON exactly as on disk.")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id, e.g. K-2026-0042.") var id: String
  @Flag(help: "Print the stored JSON document byte for byte.") var json = false
  @Option(help: "Print labels and values (gender, status, stages, languages, what is due) in this language: nl or en.")
  var lang: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.open(try parseID(id), by: CurrentUser.login)
      if json {
        // A partial view (trainer) has no bytes on disk to show: print what the role may see.
        FileHandle.standardOutput.write(try stored.visibleJSON())
        return
      }
      let content = try loadContent(storeRoot: store.contentRoot)
      let strings = try lang.map { try loadStrings($0) }
      print(CaseText.render(stored, summary: store.summary(of: stored), rules: content.screening, today: .today(), strings: strings))
    }
  }
}

struct EditCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change fields of a case by dotted path.",
    discussion: "Fields: \(CaseField.all.map(\.path).joined(separator: ", ")). An empty value clears a field. Exit code 3 means the case changed since --if-revision.")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE"))
  var assignments: [String] = []
  @Option(name: .customLong("note"), help: "Add a note with this text.") var notes: [String] = []
  @Option(help: ArgumentHelp("Save only if the case is still at this revision.", valueName: "N"))
  var ifRevision: Int?

  func validate() throws {
    if assignments.isEmpty && notes.isEmpty {
      throw ValidationError("Give at least one --set PATH=VALUE or --note TEXT.")
    }
  }

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.load(try parseID(id))
      if let ifRevision, ifRevision != stored.revision {
        throw CLIError(
          StoreError.conflict(
            stored.id, basedOn: ifRevision, stored: stored.revision, by: stored.document.updatedBy,
            at: stored.document.updatedAt))
      }
      var document = stored.document
      try applyAssignments(assignments, fields: CaseField.all, to: &document)
      let user = CurrentUser.login
      for note in notes { document.addNote(text: note, author: user) }
      let saved = try store.save(document, basedOn: stored, by: user)
      print("\(saved.id) saved as revision \(saved.revision).")
    }
  }
}

struct DeleteCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Move a case to the store's trash (undo with restore).")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String

  func run() throws {
    try reporting {
      let caseID = try parseID(id)
      try storeOptions.open().delete(caseID, by: CurrentUser.login)
      print("\(caseID) moved to the trash; `keten restore \(caseID)` brings it back.")
    }
  }
}

struct RestoreCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore", abstract: "Bring a deleted case back from the trash.")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String

  func run() throws {
    try reporting {
      let caseID = try parseID(id)
      try storeOptions.open().restore(caseID, by: CurrentUser.login)
      print("\(caseID) restored.")
    }
  }
}

struct CheckStore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Verify the whole store (cases, trash, records, users, sequence, index, journal; contents, links, owners, modes); exit 1 on any problem.")

  @OptionGroup var storeOptions: StoreOptions

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      // It reads every case and record, whoever they belong to: a coordinator's task.
      try store.require(.manageUsers, "check the whole store (it reads every case)")
      let progress = TerminalProgress("keten check: files checked")
      let report = store.check { progress.update($0) }
      progress.finish()
      for problem in report.problems {
        writeErr("problem: \(problem)")
      }
      for note in report.notes { print("note: \(note)") }
      print(
        "\(report.checked) files checked (\(report.trashed) in the trash), \(report.problems.count) problem(s), \(report.staleIndexEntries) stale index entries rebuilt."
      )
      if !report.isClean { throw ExitCode(1) }
    }
  }
}
