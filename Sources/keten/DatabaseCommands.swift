import ArgumentParser
import CaseStore
import Casework
import Foundation
import PostgresStore

/// `keten db-init`: sets up a PostgreSQL database as a Keten store (run by its owner).
struct DatabaseInit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db-init",
    abstract: "Set up a PostgreSQL database as a Keten store, or bring its schema up to date (run as the database's owner).",
    discussion: """
      Creates the schema `keten` with its tables, row-level security on every one, the group role \
      keten_staff and its grants. The connected login owns it all and is never used by staff: \
      staff logins are members of keten_staff (GRANT keten_staff TO LOGIN) and see only what \
      their role in `keten users` allows. --coordinator names the first coordinator of a store \
      without users. Running it again changes nothing but what is missing, and drops policies \
      and grants to other roles that Keten did not make. --content FOLDER replaces the store's \
      own content (question catalogs, cadences, settings) with FOLDER's settings.json and \
      content/, laid out as a folder store's, after checking that it loads.
      """)

  @Option(help: ArgumentHelp("The database (postgresql://… URI or service=NAME).", valueName: "URI"))
  var store: String
  @Option(help: ArgumentHelp("The database login of the store's first coordinator.", valueName: "LOGIN"))
  var coordinator: String?
  @Option(help: ArgumentHelp("A folder whose settings.json and content/ become the store's own content.", valueName: "FOLDER"))
  var content: String?

  func run() throws {
    try reporting {
      guard PostgresBackend.names(store) else {
        throw CLIError("--store '\(store)' is not a database; give a postgresql://… URI or service=NAME (a folder store needs no set-up).")
      }
      if let coordinator { try UsersCommand.checkLogin(coordinator) }
      // The content is checked before anything is changed: a store never gets content that
      // does not load.
      var files: [ContentFile]?
      if let content {
        let folder = Store.absolute(content)
        files = try ContentFile.read(root: folder)
        _ = try loadContentFile("content in \(folder)") { () throws(ContentError) in
          _ = try CaseworkContent.load(storeRoot: folder)
          return try CaseworkContent.chainRules(storeRoot: folder)
        }
      }
      try PostgresBackend.initialise(conninfo: store, coordinator: coordinator)
      if let files { try PostgresBackend.replaceContent(conninfo: store, with: files) }
      let backend = try PostgresBackend(conninfo: store)
      print(
        "Keten store ready in the \(backend.location)\(coordinator.map { "; \($0) is its coordinator" } ?? "")"
          + (files.map { "; its own content is now the \($0.count) file(s) of \(content!)" } ?? "") + ".")
    }
  }
}

/// `keten migrate --from SRC --to DST`: moves a whole store between a folder and a database.
struct Migrate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Move a whole store between a folder and a PostgreSQL database, either way, losing nothing.",
    discussion: """
      Moves every case (with keys this version does not know), the trash, every record, the \
      users, the journal line by line and the id counters. The destination must be empty (a new \
      folder, or a database set up with `keten db-init`), and gets all of it or nothing. Into a \
      database, run it as the database's owner. The source is left as it was.
      """)

  @Option(help: ArgumentHelp("The store to move: a folder or a database URI.", valueName: "DIR|URI"))
  var from: String
  @Option(help: ArgumentHelp("Where to move it: a new folder or a database URI.", valueName: "DIR|URI"))
  var to: String
  @Flag(help: "Leave the store's own content (settings.json, content/) behind: the destination uses the content Keten ships.")
  var leaveContent = false

  func run() throws {
    try reporting {
      guard PostgresBackend.names(from) || PostgresBackend.names(to) else {
        throw CLIError("--from and --to are both folders; copy the folder instead (`cp -a`), or give a database URI.")
      }
      guard !(PostgresBackend.names(from) && PostgresBackend.names(to)) else {
        throw CLIError("--from and --to are both databases; use pg_dump and pg_restore between databases.")
      }
      let source = try open(from, creating: false)
      let destination = try open(to, creating: true)
      // The summaries the destination keeps are made by the rules of the content it will use.
      let rules = try loadContentFile(leaveContent ? "app's content" : "source's content") { () throws(ContentError) in
        try CaseworkContent.chainRules(storeRoot: leaveContent ? nil : source.contentRoot)
      }
      let progress = TerminalProgress("keten migrate: cases moved")
      let report: MigrationReport
      do {
        report = try StoreMigration.run(from: source, to: destination, rules: rules, content: !leaveContent) { progress.update($0) }
      } catch let error as StoreError {
        progress.finish()
        throw CLIError(error)
      }
      progress.finish()
      let counters = report.counters.keys.sorted().map { "\($0): \(report.counters[$0]!)" }.joined(separator: ", ")
      print(
        "Moved \(report.cases) case(s) (\(report.trashed) in the trash), \(report.records) record(s), \(report.users) user(s), \(report.journalEntries) journal entries, \(report.contentFiles) file(s) of the store's own content and the id counters (\(counters)) to \(destination.location)."
      )
      if report.unreadableJournalLines > 0 {
        print(
          "note: \(report.unreadableJournalLines) journal line(s) of the source could not be read (torn by a crash) and were not moved; `keten check` on the source names them.")
      }
    }
  }

  private func open(_ store: String, creating: Bool) throws -> any TransferableBackend {
    do {
      if PostgresBackend.names(store) { return try PostgresBackend(conninfo: store) }
      if let link = Store.linkInside(store) { throw CLIError(link) }
      if !creating && !FileManager.default.fileExists(atPath: Store.absolute(store)) {
        throw CLIError("--from \(store): there is no store there.")
      }
      // Opened as the store (a crash's staging or erasure finished first), then its folder.
      guard let folder = try Store(root: store).folder else { throw CLIError("\(store) is not a folder store.") }
      return folder
    } catch let error as StoreError {
      throw CLIError(error)
    }
  }
}
