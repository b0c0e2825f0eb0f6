import ArgumentParser
import CaseStore
import Casework
import Foundation
import KetenResources
import PostgresStore

@main
struct Keten: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keten",
    abstract: "Case management for the labour-market integration of refugees and asylum seekers.",
    discussion: """
      Run without a subcommand to open the terminal app. The store is --store DIR (or a \
      PostgreSQL URI), else $KETEN_STORE, else $XDG_DATA_HOME/keten (~/.local/share/keten).
      """,
    version: KetenVersion.string,
    subcommands: [
      OpenApp.self, NewCase.self, ListCases.self, ShowCase.self, EditCase.self, DeleteCase.self,
      RestoreCase.self, ExportCase.self, ConsentCommand.self, CheckStore.self, Demo.self,
      TrainingCommand.self, MentoringCommand.self, EmployersCommand.self, OpeningsCommand.self, MatchCase.self,
      InternshipCommand.self, FairsCommand.self, HireCommand.self, FollowUpCommand.self, AgendaCommand.self,
      ReportCommand.self, UsersCommand.self, AuditCommand.self, EraseCase.self, RetentionCommand.self, ActionPlanCommand.self,
      ServicesCommand.self, DatabaseInit.self, Migrate.self,
    ],
    defaultSubcommand: OpenApp.self
  )
}

extension Keten {
  /// Like ArgumentParser's `main`, but a usage error is one line on stderr (what is wrong and
  /// where to look) rather than the whole usage text; help and version print as usual.
  static func main() {
    // No argument may carry a terminal control (an escape, a carriage return, a direction
    // override): they would end up in case files, the journal or messages. Line breaks are
    // refused by each one-line field; notes may hold them.
    for (i, argument) in CommandLine.arguments.enumerated().dropFirst()
    where TerminalText.holdsControlsBesidesLineBreaks(argument) {
      writeErr(
        "keten: argument \(i) holds a control character (an escape, a carriage return, a direction override or similar); type it as plain text.")
      Foundation.exit(64)
    }
    if KetenResources.root == nil {
      writeErr("keten: " + KetenResources.missingMessage)
      Foundation.exit(1)
    }
    do {
      var command = try parseAsRoot(joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
      try command.run()
    } catch let error as ExitCode {
      exit(withError: error)
    } catch {
      let code = exitCode(for: error)
      if code == .success { exit(withError: error) }
      // One line: a list of valid values the parser puts on lines of their own joins the first.
      let lines = self.message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      var message = lines.first ?? "\(error)"
      let values = lines.dropFirst().filter { $0.hasPrefix("- ") }.map { "'\($0.dropFirst(2))'" }
      if !values.isEmpty, message.hasSuffix("one of the following:") {
        message = String(message.dropLast("the following:".count)) + values.joined(separator: ", ") + "."
      }
      writeErr("keten: \(message) (`keten help` lists the commands, `keten COMMAND --help` their options)")
      Foundation.exit(code.rawValue)
    }
  }
}

/// `--days -5` as `--days=-5`: the parser would take `-5` for an option and say the value is
/// missing; joined, the command itself says what range is valid.
func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
  var out: [String] = []
  var i = 0
  while i < arguments.count {
    let a = arguments[i]
    if a.hasPrefix("--"), !a.contains("="), i + 1 < arguments.count,
      arguments[i + 1].count > 1, arguments[i + 1].hasPrefix("-"), Int(arguments[i + 1]) != nil
    {
      out.append(a + "=" + arguments[i + 1])
      i += 2
    } else {
      out.append(a)
      i += 1
    }
  }
  return out
}

enum KetenVersion {
  static let string = "0.1.0"
}

/// `--store DIR`, shared by every subcommand.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The store: a folder, or a PostgreSQL database (postgresql://… URI or service=NAME, with libpq's PG* variables and ~/.pgpass).",
      valueName: "DIR|URI"))
  var store: String?

  /// The store path the options and environment select.
  var path: String {
    if let store, !store.isEmpty { return store }
    return Store.defaultLocation()
  }

  /// Opens the store signed in as the current login, or exits with the store's one-sentence
  /// error. A mentor is refused: mentors see only their own mentees (`keten mentoring mentees`).
  func open() throws -> Store {
    let store = try openAnyone()
    if let viewer = store.viewer, viewer.role == .mentor {
      throw CLIError(
        "\(CurrentUser.login) is registered as a mentor and sees only their own mentees: use `keten mentoring mentees` and `keten mentoring checkin`.",
        code: 5)
    }
    return store
  }

  /// Opens the store signed in as the current login, whatever the role.
  func openAnyone() throws -> Store {
    let store = try Store.openReporting(at: path)
    do {
      return try store.signIn(CurrentUser.login)
    } catch {
      throw CLIError(error)
    }
  }
}

/// Applies `PATH=VALUE` assignments through the fields' parsers.
func applyAssignments<Root>(_ assignments: [String], fields: [FormField<Root>], to value: inout Root) throws {
  for assignment in assignments {
    guard let eq = assignment.firstIndex(of: "=") else {
      throw CLIError("'\(assignment)' is not PATH=VALUE; fields are \(fields.map(\.path).joined(separator: ", ")).")
    }
    let path = String(assignment[..<eq])
    try FormField.named(path, in: fields).assign(String(assignment[assignment.index(after: eq)...]), to: &value)
  }
}

/// A date option's value, or nil when not given; a CLI error naming the option when malformed.
func parseDateOption(_ option: String, _ text: String?) throws -> LocalDate? {
  guard let text else { return nil }
  do {
    // The same words as a form field's: a wrong shape is a format problem, a right shape
    // naming no day is a date that does not exist.
    return try FormField<LocalDate>.parseDate(option, text)
  } catch {
    throw CLIError("\(option) \(error.problem.message)")
  }
}

/// Fails with the first validation issue of a record or document, as `path: message`.
func requireValid(_ issues: [ValidationIssue]) throws {
  if let issue = issues.first { throw CLIError("\(issue.path): \(issue.problem.message)") }
}

extension Store {
  static func openReporting(at path: String) throws -> Store {
    if PostgresBackend.names(path) {
      // A database: its own content (or Keten's shipped content), and the login the database
      // authenticated is the user every change is recorded as.
      do {
        let backend = try PostgresBackend(conninfo: path)
        CurrentUser.database = backend.login
        return Store(backend: backend, rules: try CaseworkContent.chainRules(storeRoot: backend.contentRoot))
      } catch let error as StoreError {
        throw CLIError(error)
      } catch {
        throw CLIError("\(error)")
      }
    }
    // Links are refused before the store's content and settings are read through them.
    if let link = Store.linkInside(path) { throw CLIError(link) }
    let rules: ChainRules
    do {
      rules = try CaseworkContent.chainRules(storeRoot: path)
    } catch {
      throw CLIError(error.description)
    }
    do {
      return try Store(root: path, rules: rules)
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
      if !Incomplete.leftOut.isEmpty && !Incomplete.machineFormat { print(Incomplete.note) }
    } catch let error as CLIError {
      writeErr("keten: " + error.message)
      throw ExitCode(error.code)
    } catch let error as StoreError {
      writeErr("keten: " + error.description)
      throw ExitCode(error.exitCode)
    } catch let error as FieldError {
      writeErr("keten: " + error.description)
      throw ExitCode(1)
    }
  }
}

/// The OS login of whoever runs Keten, or on a database the login it authenticated; recorded
/// as author of every change.
enum CurrentUser {
  /// The database login, once a database store is open.
  nonisolated(unsafe) static var database: String?

  static var login: String {
    if let database { return database }
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
  try loadContentFile("app's content") { () throws(ContentError) in try CaseworkContent.load(storeRoot: storeRoot) }
}

/// One content file (or all), or a CLI error naming what is broken and where.
func loadContentFile<T>(_ what: String, _ load: () throws(ContentError) -> T) throws -> T {
  do {
    return try load()
  } catch {
    throw CLIError("The \(what) is broken: \(error.description)")
  }
}

/// Damaged files a command left out: one line on stderr naming them (never their contents),
/// and the output is marked incomplete (see `Incomplete`).
func reportDamaged(_ damaged: [DamagedFile]) {
  guard !damaged.isEmpty else { return }
  let names = damaged.map(\.file)
  Incomplete.leftOut += names
  writeErr(
    "keten: \(damaged.count) damaged file(s) left out (\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")); the output is incomplete — `keten check` says what is wrong.")
}

/// Every record of a kind, with the damaged ones reported and the output marked incomplete.
func readRecords<R: StoreRecord>(_ store: Store, _ type: R.Type) throws -> [StoredRecord<R>] {
  let found = try store.records(type)
  reportDamaged(found.damaged)
  return found.records
}

/// Files a command had to leave out. Text output then ends with a line saying so; machine
/// formats (JSON, CSV, iCalendar) carry it where their format allows, and stderr always does.
enum Incomplete {
  nonisolated(unsafe) static var leftOut: [String] = []
  /// Set by commands whose stdout is a machine format that a trailing line would break.
  nonisolated(unsafe) static var machineFormat = false

  static var note: String {
    "INCOMPLETE: \(leftOut.count) damaged file(s) could not be read and are left out of the above; `keten check` names them."
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
