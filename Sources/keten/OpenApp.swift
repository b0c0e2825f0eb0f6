import ArgumentParser
import CaseStore
import Foundation

struct OpenApp: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "open", abstract: "Open the terminal app (the default).")

  @OptionGroup var storeOptions: StoreOptions
  @Flag(help: "Open a demo store (created with `keten demo` on first use).") var demo = false
  @Option(help: "Interface language: nl or en (default from LANG).") var lang: String?

  func run() throws {
    try reporting {
      let store: Store
      if demo {
        let path = storeOptions.store ?? DemoStore.location
        store = try Store.openReporting(at: path)
        if try store.list().cases.isEmpty {
          _ = try DemoStore.fill(store, cases: 300, seed: 1, asOf: .today())
        }
      } else {
        store = try storeOptions.open()
      }
      _ = store
      throw CLIError("The terminal app is not built yet; use the subcommands (keten help).")
    }
  }
}
