import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One user of the store: an OS login, the role, and for case workers the centre.
public struct StaffUser: Codable, Equatable, Sendable {
  public var login: String
  public var role: Role
  public var centre: String?
  public var addedOn: LocalDate
  public var addedBy: String

  public init(login: String, role: Role, centre: String?, addedOn: LocalDate, addedBy: String) {
    self.login = login
    self.role = role
    self.centre = centre
    self.addedOn = addedOn
    self.addedBy = addedBy
  }
}

/// `<store>/users.json`: who may open the store and as what. No passwords: the user is the OS
/// login, and the operating system already vouches for it.
public struct UserRegistry: Codable, Equatable, Sendable {
  public static let fileName = "users.json"
  public var version = 1
  /// The OS group the store is shared with (folders 2770, files 0660), or nil: owner only.
  public var group: String?
  public var users: [StaffUser]

  public init(users: [StaffUser]) {
    self.users = users
  }

  public func user(_ login: String) -> StaffUser? { users.first { $0.login == login } }

  /// Problems that stop the file being saved or used, each naming the entry.
  public func validationIssues() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    var seen: Set<String> = []
    for (i, u) in users.enumerated() {
      if !Mentor.isLogin(u.login) { issues.append(.init(path: "users[\(i)].login", problem: .notALogin(u.login))) }
      if !seen.insert(u.login).inserted {
        issues.append(.init(path: "users[\(i)].login", problem: .notAllowed(u.login, options: ["a login not yet in the list"])))
      }
      if u.role == .caseWorker && (u.centre ?? "").isBlank {
        issues.append(.init(path: "users[\(i)].centre", problem: .required))
      }
      if TerminalText.holdsControls(u.centre ?? "") || TerminalText.holdsControls(u.addedBy) {
        issues.append(.init(path: "users[\(i)]", problem: .controlCharacter))
      }
    }
    if !users.contains(where: { $0.role == .coordinator }) {
      issues.append(.init(path: "users", problem: .notAllowed("no coordinator", options: ["at least one coordinator"])))
    }
    return issues
  }
}

extension UserRegistry {
  /// A users table from its stored bytes; `.damaged` when it is not one, or names no coordinator.
  public static func decode(_ data: Data) throws(StoreError) -> UserRegistry {
    // A login or a role given twice would be read as its first and the next save would drop the
    // other: damage, said with its place.
    if let problem = DocumentCodec.textProblem(data) {
      throw .damaged(file: UserRegistry.fileName, problem: problem)
    }
    do {
      let registry = try JSONDecoder().decode(UserRegistry.self, from: data)
      if let issue = registry.validationIssues().first {
        throw StoreError.damaged(
          file: UserRegistry.fileName,
          problem: issue.path == "users" ? "it names no coordinator (a store needs at least one)" : issue.description)
      }
      return registry
    } catch let error as StoreError {
      throw error
    } catch {
      throw .damaged(
        file: UserRegistry.fileName,
        problem: "it is not a valid users file (roles are \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
  }

  /// The bytes a backend stores.
  public func encoded() throws(StoreError) -> Data {
    do {
      return try CaseJSON.encoder.encode(self)
    } catch {
      throw .io(operation: "encode", file: UserRegistry.fileName, errno: EINVAL)
    }
  }
}

extension StaffUser {
  /// One user as an entry of the users file holds it (a database keeps one per row).
  public func encoded() throws(StoreError) -> Data {
    do {
      return try CaseJSON.encoder.encode(self)
    } catch {
      throw .io(operation: "encode", file: UserRegistry.fileName, errno: EINVAL)
    }
  }
}

extension Store {
  /// The users table, or nil when the store has none yet. A damaged one is an error, never
  /// silently replaced.
  public func users() throws(StoreError) -> UserRegistry? {
    try backend.usersData().map(UserRegistry.decode)
  }

  /// Saves the users table on top of `base` (nil when creating it), journalling `change`.
  public func saveUsers(_ registry: UserRegistry, basedOn base: UserRegistry?, by user: String, change: String)
    throws(StoreError)
  {
    try require(.manageUsers, "change the users of the store")
    if let issue = registry.validationIssues().first { throw .invalid([issue]) }
    try backend.writeUsers(
      registry, expected: base, entry: JournalEntry(at: Timestamp.now(), user: user, action: .users, detail: change))
  }

  /// Opens the store as `login`: a store whose every read is limited to what the user's role
  /// may see. A store without a users file (new, or from before users existed) gets one with
  /// `login` as its coordinator. An unknown login is refused.
  public func signIn(_ login: String, now: Date = Timestamp.now()) throws(StoreError) -> Store {
    var registry = try users()
    // On a database, a login that sees no users is one Keten does not know (its users table is
    // set up with its first coordinator by `keten db-init`).
    if registry == nil && folder == nil { throw .unknownUser(login) }
    if registry == nil {
      let first = UserRegistry(users: [
        StaffUser(login: login, role: .coordinator, centre: nil, addedOn: .today(now), addedBy: login)
      ])
      do {
        try saveUsers(first, basedOn: nil, by: login, change: "created the users file with \(login) as coordinator")
        registry = first
      } catch .recordConflict {
        // Another process created it first: use theirs.
        registry = try users()
      }
    }
    guard let user = registry?.user(login) else { throw .unknownUser(login) }
    var viewer = Viewer(login: login, role: user.role, centre: user.centre)
    switch user.role {
    case .trainer:
      for group in try records(TrainingGroup.self).records where group.record.trainers.contains(login) {
        viewer.participants.formUnion(group.record.participants.map(\.caseID))
      }
    case .mentor:
      viewer.mentorIDs = Set(try records(Mentor.self).records.filter { $0.record.login == login }.map(\.id))
    case .coordinator, .caseWorker:
      break
    }
    return scoped(to: viewer)
  }

  /// Fails with `.notPermitted` unless the signed-in user may do this (always passes unscoped).
  public func require(_ permission: Permission, _ what: String) throws(StoreError) {
    if let viewer, !viewer.may(permission) { throw .notPermitted(what: what, role: viewer.role) }
  }
}
