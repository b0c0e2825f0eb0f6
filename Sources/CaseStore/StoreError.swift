import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Everything that can go wrong in the store, each with one user-facing sentence.
///
/// Messages name case ids, file names and system errors, never personal data: they end up in
/// status lines, terminals and logs.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  case notFound(CaseID)
  case notInTrash(CaseID)
  case alreadyExists(CaseID)
  case conflict(CaseID, basedOn: Int, stored: Int, by: String, at: Date)
  case damaged(file: String, problem: String)
  case newerSchema(CaseID, version: Int)
  case io(operation: String, file: String, errno: Int32)
  case invalidID(CaseIDError)
  case invalid([ValidationIssue])
  case unsafePermissions(path: String, mode: mode_t, fix: String)
  case notAStore(path: String, problem: String)
  /// A training group, mentor or other record that is not in the store.
  case recordNotFound(noun: String, id: String)
  case recordConflict(noun: String, id: String, basedOn: Int, stored: Int, by: String, at: Date)
  /// The OS login is not in the store's users file.
  case unknownUser(String)
  /// The signed-in user's role does not allow this.
  case notPermitted(what: String, role: Role)
  /// A store file other users can read or write.
  case unsafeFile(path: String, mode: mode_t, fix: String)
  /// A store file or folder that is a symbolic link: never followed.
  case symlink(path: String)
  /// A store file or folder owned by another user of an owner-only store: never re-owned.
  case foreignOwner(path: String, owner: String)
  /// A shared store whose group the current login is not a member of.
  case notInGroup(path: String, group: String)
  /// A step only a folder store has, asked of a database store.
  case notOnDatabase(what: String)
  /// The database could not be reached or refused a statement: what was being done and what
  /// the server said (SQLSTATE and its message, which never quotes a value).
  case database(operation: String, problem: String)

  public var description: String {
    switch self {
    case .notFound(let id):
      return "No case \(id) in this store; `keten list` shows the ids there are."
    case .notInTrash(let id):
      return "Case \(id) is not in the trash; only deleted cases can be restored."
    case .alreadyExists(let id):
      return "Case \(id) already exists in the store; restore would overwrite it, so it was not done."
    case .conflict(let id, let basedOn, let stored, let by, let at) where stored < basedOn:
      // An edit based on a revision the store never reached (a copied or restored file, a
      // hand-edited revision): not someone else's later save.
      return
        "Case \(id) is at revision \(stored) (last written by \(by) at \(Timestamp.format(at))), not the revision \(basedOn) your edits were based on; they were not saved — reload and apply them again."
    case .conflict(let id, let basedOn, let stored, let by, let at):
      return
        "Case \(id) was changed by \(by) at \(Timestamp.format(at)) (revision \(stored)) after you opened revision \(basedOn); your edits were not saved — reload and apply them again."
    case .damaged(let file, let problem):
      return "\(file) is damaged: \(problem). It is left untouched."
    case .newerSchema(let id, let version):
      return
        "Case \(id) was written by a newer Keten (schema \(version), this one knows up to \(CaseDocument.currentSchemaVersion)); it is read-only here — update Keten to edit it."
    case .io(let operation, let file, let code) where code == ELOOP:
      return "Could not \(operation) \(file): it is a symbolic link, and Keten never follows links inside a store — remove the link and put the real file there. Nothing was changed."
    case .io(let operation, let file, let code):
      return "Could not \(operation) \(file): \(String(cString: strerror(code))). Nothing was changed."
    case .invalidID(let error):
      return error.description
    case .invalid(let issues):
      return issues.map(\.description).joined(separator: " ")
    case .unsafePermissions(let path, let mode, let fix):
      return
        "\(path) can be read or written by other users (mode \(String(mode & 0o777, radix: 8))); case files are private — run `\(fix)` and try again."
    case .notAStore(let path, let problem):
      return "\(path) cannot be used as a Keten store: \(problem)."
    case .recordNotFound(let noun, let id):
      return "No \(noun) \(id) in this store."
    case .unknownUser(let login):
      return
        "\(login) is not a user of this store. A coordinator adds you with `keten users add \(login) --role ROLE [--centre CENTRE]` (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))."
    case .notPermitted(let what, let role):
      return "As a \(role.rawValue) you may not \(what); ask a coordinator."
    case .unsafeFile(let path, let mode, let fix):
      return
        "\(path) can be read or written by other users (mode \(String(mode & 0o777, radix: 8))); case data is private — run `\(fix)` and try again."
    case .symlink(let path):
      let name = (path as NSString).lastPathComponent
      var st = stat()
      let isFolder = stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
      let fix =
        name == ".lock" || name == CaseIndex.fileName
        ? "rm '\(path)' (Keten makes it again)"
        : isFolder
          ? "check where it points (readlink -f '\(path)'), then put the folder itself there: t=\"$(readlink -f '\(path)')\" && rm '\(path)' && mv \"$t\" '\(path)'"
          : "check where it points (readlink -f '\(path)'), then put the file itself there: cp --remove-destination \"$(readlink -f '\(path)')\" '\(path)'"
      return "\(path) is a symbolic link; Keten never follows links inside a store (one could point at any file) — \(fix)."
    case .foreignOwner(let path, let owner):
      return
        "\(path) belongs to \(owner), not to \(Sharing.currentLogin); Keten never re-owns files — run it as \(owner) (sudo -u \(owner) keten …), or give the store back with `chown -R \(owner) '\(path)'` if the owner changed by mistake."
    case .notInGroup(let path, let group):
      return
        "\(path) is shared with the OS group \(group), and \(Sharing.currentLogin) is not a member; an administrator adds you with `usermod -aG \(group) \(Sharing.currentLogin)` (then log in again). Do not change its modes: that would unshare it."
    case .notOnDatabase(let what):
      return
        "This store is a PostgreSQL database, and Keten cannot \(what) on a database yet; it works on a folder store (`keten migrate --from DATABASE --to FOLDER` makes one)."
    case .database(let operation, let problem):
      return "The database could not \(operation): \(problem)"
    case .recordConflict(let noun, let id, let basedOn, let stored, let by, let at):
      return
        "The \(noun) \(id) was changed by \(by) at \(Timestamp.format(at)) (revision \(stored)) after you opened revision \(basedOn); your edits were not saved — reload and apply them again."
    }
  }

  /// The process exit code the CLI uses for this error (3 for conflicts).
  public var exitCode: Int32 {
    if case .conflict = self { return 3 }
    if case .recordConflict = self { return 3 }
    if case .notPermitted = self { return 5 }
    if case .unknownUser = self { return 5 }
    return 1
  }
}

/// A problem with one field of a case, named by its dotted path.
public struct ValidationIssue: Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var problem: FieldProblem

  public init(path: String, problem: FieldProblem) {
    self.path = path
    self.problem = problem
  }

  public var message: String { problem.message }

  public var description: String { "\(path): \(message)" }
}
