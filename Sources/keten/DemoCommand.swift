import ArgumentParser
import CaseStore
import Casework
import DemoData
import Foundation

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Fill the store with realistic synthetic cases (same seed, same cases).")

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "How many cases to add.") var cases = 300
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: ArgumentHelp("Date the demo data ends on (default today).", valueName: "YYYY-MM-DD"))
  var asOf: String?

  func run() throws {
    try reporting {
      guard cases > 0, cases <= 1_000_000 else {
        throw CLIError("--cases must be between 1 and 1000000.")
      }
      var end = LocalDate.today()
      if let asOf {
        guard let date = try parseDateOption("--as-of", asOf) else { return }
        end = date
      }
      let store = try storeOptions.open()
      let created = try DemoStore.fill(store, cases: cases, seed: seed, asOf: end)
      print("\(created) demo cases added to \(store.root).")
    }
  }
}

enum DemoStore {
  /// The per-user demo store: `$XDG_DATA_HOME/keten-demo`.
  static var location: String { Store.dataHome() + "/keten-demo" }

  /// Fills an empty store as one piece: written in a staging folder, brought in at once, so a
  /// kill or a full disk leaves the store as it was (or, past the commit, finished at the next
  /// opening).
  static func fill(_ store: Store, cases: Int, seed: UInt64, asOf: LocalDate) throws -> Int {
    do {
      let progress = TerminalProgress("keten demo: cases written", total: cases)
      defer { progress.finish() }
      return try store.staged(by: CurrentUser.login) { staging in
        try DemoStoreFiller.fill(staging, cases: cases, seed: seed, asOf: asOf, user: CurrentUser.login) { progress.update($0) }
      }
    } catch let error as StoreError {
      throw CLIError(error)
    } catch {
      throw CLIError("\(error)")
    }
  }
}
