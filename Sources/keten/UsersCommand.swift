import ArgumentParser
import CaseStore
import Foundation
import PostgresStore

/// `keten users …`: who may open the store, and as what (coordinators only).
struct UsersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "List, add, change and remove the store's users (coordinators only).",
    discussion: """
      A user is an OS login with a role: coordinator (everything), case-worker (the cases of \
      their --centre), trainer (names and training of their groups' participants), mentor \
      (their mentees). The first login to open a new store becomes its coordinator. Every change \
      is written to the journal. Several logins reach one store through an OS group: `keten \
      users group NAME` gives the store to the group (folders 2770, files 0660); Keten then \
      accepts group access for that group only, never for others.
      """,
    subcommands: [List.self, Add.self, Set.self, Remove.self, Group.self],
    defaultSubcommand: List.self)

  /// Loads the users file for a change by a coordinator, applies `change` and saves it.
  static func change(
    _ storeOptions: StoreOptions, describe: String, _ body: (inout UserRegistry, LocalDate, String) throws -> Void
  ) throws {
    let store = try storeOptions.open()
    try store.require(.manageUsers, "change the users of the store")
    let base = try store.users()
    var registry = base ?? UserRegistry(users: [])
    let user = CurrentUser.login
    try body(&registry, .today(), user)
    if let issue = registry.validationIssues().first {
      throw CLIError(
        issue.path == "users" ? "The store must keep at least one coordinator; add another one first."
          : "\(issue.path): \(issue.problem.message)")
    }
    try store.saveUsers(registry, basedOn: base, by: user, change: describe)
    // The change itself, one line; `keten users` lists them all.
    print("Users: \(describe.oneLine).")
  }

  static func listing(_ registry: UserRegistry) -> String {
    var out = ""
    for u in registry.users.sorted(by: { $0.login < $1.login }) {
      out += u.login.padding(toLength: max(16, u.login.count), withPad: " ", startingAt: 0) + "  "
      out += u.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
      out += (u.centre ?? "-").oneLine + "  (added \(u.addedOn) by \(u.addedBy.oneLine))\n"
    }
    return out
  }

  static func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text) else {
      throw CLIError("--role '\(text)' is not a role; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    return role
  }

  static func checkLogin(_ login: String) throws {
    guard Mentor.isLogin(login) else {
      throw CLIError("'\(login)' is not a login name: use letters, digits, '.', '_' or '-' (as `id -un` prints it).")
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The users, their roles and centres.")
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
      try reporting {
        let store = try storeOptions.open()
        try store.require(.manageUsers, "list the users of the store")
        print(listing(try store.users() ?? UserRegistry(users: [])), terminator: "")
      }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user.")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The OS login.") var login: String
    @Option(help: "coordinator, case-worker, trainer or mentor.") var role: String
    @Option(help: "The centre (required for a case worker).") var centre: String?

    func run() throws {
      try reporting {
        try checkLogin(login)
        let role = try parseRole(role)
        try change(storeOptions, describe: "added \(login) as \(role.rawValue)") { registry, today, user in
          if registry.user(login) != nil {
            throw CLIError("\(login) is already a user; change them with `keten users set \(login) …`.")
          }
          if role == .caseWorker && (centre ?? "").isBlank {
            throw CLIError("A case worker needs --centre: they see the cases of their centre.")
          }
          registry.users.append(
            StaffUser(login: login, role: role, centre: centre?.trimmingCharacters(in: .whitespaces), addedOn: today, addedBy: user))
        }
        // On a database, the login itself is the DBA's: say what is missing, if anything.
        if PostgresBackend.names(storeOptions.path), let database = try? PostgresBackend(conninfo: storeOptions.path),
          let advice = database.loginAdvice(login)
        {
          print("note: " + advice)
        }
      }
    }
  }

  struct Set: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a user's role or centre.")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The OS login.") var login: String
    @Option(help: "coordinator, case-worker, trainer or mentor.") var role: String?
    @Option(help: "The centre (empty to clear).") var centre: String?

    func validate() throws {
      if role == nil && centre == nil { throw ValidationError("Give --role and/or --centre.") }
    }

    func run() throws {
      try reporting {
        let newRole = try role.map(parseRole)
        var what: [String] = []
        if let newRole { what.append("role \(newRole.rawValue)") }
        if centre != nil { what.append("centre") }
        try change(storeOptions, describe: "changed \(login): " + what.joined(separator: ", ")) { registry, _, _ in
          guard let i = registry.users.firstIndex(where: { $0.login == login }) else {
            throw CLIError("\(login) is not a user of this store; add them with `keten users add \(login) --role ROLE`.")
          }
          if let newRole { registry.users[i].role = newRole }
          if let centre {
            let trimmed = centre.trimmingCharacters(in: .whitespaces)
            registry.users[i].centre = trimmed.isEmpty ? nil : trimmed
          }
          if registry.users[i].role == .caseWorker && registry.users[i].centre == nil {
            throw CLIError("A case worker needs --centre: they see the cases of their centre.")
          }
        }
      }
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user (their past work stays in the journal).")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The OS login.") var login: String

    func run() throws {
      try reporting {
        try change(storeOptions, describe: "removed \(login)") { registry, _, _ in
          guard registry.user(login) != nil else {
            throw CLIError("\(login) is not a user of this store; `keten users` lists them.")
          }
          registry.users.removeAll { $0.login == login }
        }
      }
    }
  }

  struct Group: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "group", abstract: "Share the store with an OS group (or --none: its owner only).")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The OS group of the team, e.g. keten-gent.") var name: String?
    @Flag(help: "Make the store its owner's only again.") var none = false

    func validate() throws {
      if (name == nil) == !none { throw ValidationError("Give a group name, or --none.") }
    }

    func run() throws {
      try reporting {
        let store = try storeOptions.open()
        try store.share(withGroup: none ? nil : name, by: CurrentUser.login)
        if let name, !none {
          print("The store is shared with the group \(name): folders 2770, files 0660. Add its people with `keten users add`.")
        } else {
          print("The store is its owner's only again: folders 0700, files 0600.")
        }
      }
    }
  }
}
