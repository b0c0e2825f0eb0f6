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
        guard let date = LocalDate(asOf) else {
          throw CLIError("--as-of '\(asOf)' is not a real date; write it as YYYY-MM-DD.")
        }
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

  static func fill(_ store: Store, cases: Int, seed: UInt64, asOf: LocalDate) throws -> Int {
    do {
      return try DemoStoreFiller.fill(store, cases: cases, seed: seed, asOf: asOf, user: CurrentUser.login)
    } catch let error as StoreError {
      throw CLIError(error)
    } catch {
      throw CLIError("\(error)")
    }
  }
}

/// Saves one case in an endless loop; the crash-safety test kills it with SIGKILL at random.
struct TortureSave: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "torture-save", abstract: "Test helper: save a case in a loop until killed.",
    shouldDisplay: false)

  @OptionGroup var storeOptions: StoreOptions
  @Argument var id: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let caseID = try parseID(id)
      var announced = false
      while true {
        let stored = try store.load(caseID)
        var document = stored.document
        // The content is a function of the revision, so a reader can tell a torn mix.
        let next = stored.revision + 1
        document.person.preferredName = "rev-\(next)"
        document.notes = (0..<(next % 7)).map {
          Note(id: "n\($0 + 1)", at: document.createdAt, author: "torture", text: String(repeating: "rev-\(next) ", count: 50 * ($0 + 1)))
        }
        try store.save(document, basedOn: stored, by: "torture")
        if !announced {
          // The test kills only after this line, so every kill lands among saves.
          FileHandle.standardOutput.write(Data("saving\n".utf8))
          announced = true
        }
      }
    }
  }
}
