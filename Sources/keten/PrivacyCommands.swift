import ArgumentParser
import CaseStore
import Casework
import Foundation

/// `keten erase ID --reason TEXT`: erase a case for good (GDPR art. 17).
struct EraseCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "erase",
    abstract: "Erase a case for good: file, trash copies, index entry, group and fair places (coordinators only).",
    discussion: """
      Unlike delete, erase cannot be undone. The journal keeps its earlier entries (who did what, \
      never values) and a tombstone with --reason, so the reason must not name the person. Copies \
      already handed out are outside Keten: the recipients listed are to be told (GDPR art. 19).
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "Why, without the person's name, e.g. \"art. 17 request of 2026-11-20\".") var reason: String

  func run() throws {
    try reporting {
      try requireOneLine("--reason", reason)
      let store = try storeOptions.open()
      let erasure = try store.erase(try parseID(id), reason: reason, by: CurrentUser.login)
      if !erasure.files.isEmpty { print("\(erasure.caseID): removed \(erasure.files.joined(separator: ", ")).") }
      if !erasure.records.isEmpty { print("Taken out of \(erasure.records.joined(separator: ", ")).") }
      if !erasure.recipients.isEmpty {
        print("Its data was shared with \(erasure.recipients.joined(separator: ", ")); tell them of the erasure.")
      }
      guard erasure.isComplete else {
        for left in erasure.remaining { writeErr("keten: not erased: \(left)") }
        throw CLIError(
          "\(erasure.caseID) is not fully erased (\(erasure.remaining.count) trace(s) left, above); the next opening of the store tries again.")
      }
      print("\(erasure.caseID) erased.")
    }
  }
}

/// `keten audit`: the journal, filtered.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Show the audit journal: who created, opened, changed, exported, shared, deleted or erased what.",
    discussion: """
      Coordinators see every entry; case workers the entries about the cases they may see. \
      Changes list field paths, never values.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Option(name: .customLong("case"), help: "Only entries about this case.") var caseID: String?
  @Option(help: ArgumentHelp("Only entries by this OS login.", valueName: "LOGIN")) var user: String?
  @Option(help: ArgumentHelp("Only entries on or after this day.", valueName: "YYYY-MM-DD")) var from: String?
  @Option(help: ArgumentHelp("Only entries on or before this day.", valueName: "YYYY-MM-DD")) var to: String?
  @Flag(help: "Print JSON lines, as stored.") var json = false

  func run() throws {
    try reporting {
      let start = try parseDateOption("--from", from)
      let end = try parseDateOption("--to", to)
      if let start, let end, start > end { throw CLIError("--from \(start) is after --to \(end).") }
      let wanted = try caseID.map(parseID)
      let store = try storeOptions.open()
      try store.require(.readJournal, "read the journal")
      var (entries, damage) = try store.journal.readAll()
      if let viewer = store.viewer, viewer.role != .coordinator {
        // Entries about cases the user may see; users-file changes are the coordinators' business.
        let visible = Set(try store.list().cases.map(\.id))
        entries = entries.filter { $0.caseID.map(visible.contains) ?? false }
      }
      entries = entries.filter { e in
        let day = LocalDate.today(e.at)
        return (wanted == nil || e.caseID == wanted) && (user == nil || e.user == user)
          && (start.map { day >= $0 } ?? true) && (end.map { day <= $0 } ?? true)
      }
      var out = ""
      if json {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for e in entries { out += String(decoding: try encoder.encode(e), as: UTF8.self) + "\n" }
      } else {
        for e in entries {
          out += Timestamp.format(e.at) + "  " + e.user.padding(toLength: max(14, e.user.count), withPad: " ", startingAt: 0)
          out += "  " + e.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
          out += "  " + (e.caseID?.rawValue ?? e.record ?? "-") + (e.revision.map { " r\($0)" } ?? "")
          if let paths = e.paths { out += "  " + paths.joined(separator: ", ") }
          if let detail = e.detail { out += "  " + detail.oneLine }
          if let mark = e.incompleteMark { out += "  [\(mark)]" }
          out += "\n"
        }
        if entries.isEmpty { out = "No journal entries match.\n" }
      }
      writeOut(out)
      if !damage.torn.isEmpty {
        writeErr(
          "keten: \(damage.torn.count) journal line(s) torn (an append cut short by a kill, a crash or a full disk: line \(damage.torn.prefix(5).map(String.init).joined(separator: ", "))); they hold no whole entry and are left as they are.")
      }
      if !damage.garbage.isEmpty {
        writeErr(
          "keten: \(damage.garbage.count) journal line(s) are not entries at all (line \(damage.garbage.prefix(5).map(String.init).joined(separator: ", "))): the journal was damaged outside Keten; `keten check` says more.")
      }
    }
  }
}

/// `keten retention`: cases kept longer than the retention policy says.
struct RetentionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retention",
    abstract: "List closed and deleted cases kept longer than the retention policy, for review.",
    discussion: """
      The periods are in Resources/privacy/retention.json (closedCaseMonths, trashMonths); a store \
      sets its own in <store>/content/privacy/retention.json. Review each case, then keep it or \
      `keten erase` it.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: ArgumentHelp("Override the months after closure for this run.", valueName: "N")) var months: Int?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      try store.require(.editCases, "review retention")
      var policy = try loadContentFile("retention policy") { () throws(ContentError) in
        try RetentionPolicy.load(storeRoot: store.contentRoot)
      }
      if let months {
        guard (1...240).contains(months) else { throw CLIError("--months \(months) is not from 1 to 240.") }
        policy.closedCaseMonths = months
      }
      let today = LocalDate.today()
      let listing = try store.list()
      let items = policy.due(cases: listing.cases, trash: store.trashDates(), today: today)
      let names = Dictionary(listing.cases.map { ($0.id, $0.displayName.oneLine) }, uniquingKeysWith: { a, _ in a })
      if !items.isEmpty { try journalRead(store, "retention review (\(items.count) cases)") }
      print("Closed more than \(policy.closedCaseMonths) months ago, or in the trash more than \(policy.trashMonths) months: \(items.count).")
      for item in items {
        let what = item.reason == .closed ? "closed \(item.since)" : "in the trash since \(item.since)"
        print("  \(item.id)  \(names[item.id] ?? "(deleted)")  \(what) (\(item.months) months)")
      }
      if !items.isEmpty { print("Review each; erase with `keten erase ID --reason TEXT`.") }
    }
  }
}
