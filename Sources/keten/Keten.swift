import ArgumentParser
import CaseStore
import Casework
import Foundation

@main
struct Keten: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keten",
    abstract: "Case management for the labour-market integration of refugees and asylum seekers.",
    discussion: """
      Run without a subcommand to open the terminal app. The store is --store DIR, else \
      $KETEN_STORE, else $XDG_DATA_HOME/keten (~/.local/share/keten).
      """,
    version: KetenVersion.string,
    subcommands: [
      OpenApp.self, NewCase.self, ListCases.self, ShowCase.self, EditCase.self, DeleteCase.self,
      RestoreCase.self, ExportCase.self, ConsentCommand.self, CheckStore.self, Demo.self,
      TortureSave.self,
    ],
    defaultSubcommand: OpenApp.self
  )
}

enum KetenVersion {
  static let string = "0.1.0"
}

/// `--store DIR`, shared by every subcommand.
struct StoreOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The store folder.", valueName: "DIR"))
  var store: String?

  /// The store path the options and environment select.
  var path: String {
    if let store, !store.isEmpty { return store }
    return Store.defaultLocation()
  }

  /// Opens the store with the chain's rules, or exits with the store's one-sentence error.
  func open() throws -> Store {
    try Store.openReporting(at: path)
  }
}

extension Store {
  static func openReporting(at path: String) throws -> Store {
    let settings: ScreeningSettings
    do {
      settings = try ScreeningSettings.load(storeRoot: path)
    } catch {
      throw CLIError(error.description)
    }
    do {
      return try Store(root: path, rules: ChainRules(screening: settings))
    } catch {
      throw CLIError(error)
    }
  }
}

/// A user-facing failure: one sentence on stderr and a non-zero exit code.
struct CLIError: Error, CustomStringConvertible {
  var message: String
  var code: Int32

  init(_ message: String, code: Int32 = 1) {
    self.message = message
    self.code = code
  }

  init(_ error: StoreError) {
    self.init(error.description, code: error.exitCode)
  }

  var description: String { message }
}

extension ParsableCommand {
  /// Runs `body`, turning store and CLI errors into a message on stderr and an exit code.
  func reporting(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as CLIError {
      FileHandle.standardError.write(Data(("keten: " + error.message + "\n").utf8))
      throw ExitCode(error.code)
    } catch let error as StoreError {
      FileHandle.standardError.write(Data(("keten: " + error.description + "\n").utf8))
      throw ExitCode(error.exitCode)
    } catch let error as FieldError {
      FileHandle.standardError.write(Data(("keten: " + error.description + "\n").utf8))
      throw ExitCode(1)
    }
  }
}

/// The OS login of whoever runs Keten; recorded as author of every change.
enum CurrentUser {
  static var login: String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name {
      return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())"
  }
}

/// Parses a case id argument or fails with the id rules.
func parseID(_ text: String) throws -> CaseID {
  do {
    return try CaseID(text)
  } catch {
    throw CLIError(error.description)
  }
}

/// The catalogs and rules from Resources and the store, or the content error as a CLI error.
func loadContent(storeRoot: String?) throws -> CaseworkContent {
  do {
    return try CaseworkContent.load(storeRoot: storeRoot)
  } catch {
    throw CLIError("The app's content is broken: \(error.description)")
  }
}

/// The strings for `--lang` (or the environment's language), or a CLI error saying what is valid.
func loadStrings(_ lang: String?) throws -> Strings {
  guard let language = Language.resolve(lang) else {
    throw CLIError("--lang '\(lang ?? "")' is not supported; use nl or en.")
  }
  do {
    return try Strings.load(language)
  } catch {
    throw CLIError("The app's strings are broken: \(error)")
  }
}
