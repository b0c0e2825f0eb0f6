import ArgumentParser
import CaseStore
import Casework
import Foundation
import TUI

#if canImport(Glibc)
  import Glibc
#endif

struct OpenApp: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "open", abstract: "Open the terminal app (the default).")

  @OptionGroup var storeOptions: StoreOptions
  @Flag(help: "Open a demo store (created with `keten demo` on first use).") var demo = false
  @Option(help: "Interface language: nl or en (default from LC_ALL/LANG: Dutch for nl_*).")
  var lang: String?

  func run() throws {
    try reporting {
      let strings = try loadStrings(lang)
      guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CLIError(
          "The app needs a terminal on stdin and stdout; for scripts use the subcommands (keten help).")
      }
      let path = demo ? (storeOptions.store ?? DemoStore.location) : storeOptions.path
      let store: Store
      do {
        store = try Store.openReporting(at: path).signIn(CurrentUser.login)
      } catch let error as StoreError {
        throw CLIError(error)
      }
      if demo, try store.list().cases.isEmpty, store.viewer?.role == .coordinator {
        _ = try DemoStore.fill(store, cases: 300, seed: 1, asOf: .today())
      }
      let content = try loadContent(storeRoot: store.contentRoot)
      let user = CurrentUser.login
      var state = AppState(
        strings: strings, content: content, user: user, today: .today(), rules: store.rules,
        sections: store.viewer?.sections ?? Set(CaseSection.allCases))
      state.mayEditCases = store.viewer?.may(.editCases) ?? true
      // A mentor gets the mentor screens, fed only with their mentees' views.
      let mentorIDs = store.viewer?.role == .mentor ? store.viewer!.mentorIDs : []
      if store.viewer?.role == .mentor && mentorIDs.isEmpty {
        throw CLIError(
          "\(user) is a mentor in the users file, but no mentor in the registry has this login; a coordinator sets it with `keten mentoring edit-mentor M --set login=\(user)`.",
          code: 5)
      }
      let driver = AppDriver(state: state, store: store, user: user, mentorIDs: mentorIDs)
      let terminal = CursesTerminal()
      RunLoop.run(driver, on: terminal)
    }
  }
}
