import ArgumentParser
import CaseStore
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
      without users. Running it again changes nothing but what is missing.
      """)

  @Option(help: ArgumentHelp("The database (postgresql://… URI or service=NAME).", valueName: "URI"))
  var store: String
  @Option(help: ArgumentHelp("The database login of the store's first coordinator.", valueName: "LOGIN"))
  var coordinator: String?

  func run() throws {
    try reporting {
      guard PostgresBackend.names(store) else {
        throw CLIError("--store '\(store)' is not a database; give a postgresql://… URI or service=NAME (a folder store needs no set-up).")
      }
      if let coordinator { try UsersCommand.checkLogin(coordinator) }
      try PostgresBackend.initialise(conninfo: store, coordinator: coordinator)
      let backend = try PostgresBackend(conninfo: store)
      print("Keten store ready in the \(backend.location)\(coordinator.map { "; \($0) is its coordinator" } ?? "").")
    }
  }
}
