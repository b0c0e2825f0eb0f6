import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Who the OS lets into the store: its owner alone (folders 0700, files 0600), or a team
/// sharing one OS group the users file names (folders 2770, files 0660). Other users never.
///
/// The users file decides what each team member sees in Keten; the OS group decides who can
/// open the files at all. A group the users file does not name never counts: a store readable
/// by some random group is refused like one readable by everybody.
public struct Sharing: Sendable, Equatable {
  /// The shared group, or nil for an owner-only store.
  public var group: gid_t?

  public static let ownerOnly = Sharing(group: nil)

  var fileMode: mode_t { group == nil ? 0o600 : 0o660 }
  var directoryMode: mode_t { group == nil ? 0o700 : 0o2770 }

  /// Whether a file's or folder's mode and group keep it within the store's people.
  func allows(_ st: stat) -> Bool {
    if st.st_mode & 0o007 != 0 { return false }
    if st.st_mode & 0o070 == 0 { return true }
    return group != nil && st.st_gid == group!
  }

  /// What is wrong with a store file or folder, or nil: a symbolic link (never followed), an
  /// owner-only store's file owned by another user (never re-owned), or modes open to others.
  func problem(_ st: stat, path: String, root: String) -> StoreError? {
    if (st.st_mode & S_IFMT) == S_IFLNK { return .symlink(path: path) }
    if group == nil, st.st_uid != geteuid() { return .foreignOwner(path: path, owner: Sharing.login(of: st.st_uid)) }
    if !allows(st) {
      let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
      if isDirectory { return .unsafePermissions(path: path, mode: st.st_mode, fix: fix(root)) }
      return .unsafeFile(path: path, mode: st.st_mode, fix: fix(root))
    }
    return nil
  }

  static func login(of uid: uid_t) -> String {
    guard let pw = getpwuid(uid), let name = pw.pointee.pw_name else { return "uid \(uid)" }
    return String(cString: name)
  }

  static var currentLogin: String { login(of: geteuid()) }

  /// Whether the current login belongs to the group.
  static func isMember(_ gid: gid_t) -> Bool {
    if geteuid() == 0 || getegid() == gid { return true }
    var groups = [gid_t](repeating: 0, count: 256)
    let count = getgroups(Int32(groups.count), &groups)
    return groups.prefix(Int(max(0, count))).contains(gid)
  }

  /// The command that makes `path` private again.
  func fix(_ root: String) -> String {
    group == nil ? "chmod -R go-rwx '\(root)'" : "chmod -R o-rwx '\(root)' && chgrp -R \(Sharing.name(of: group!)) '\(root)'"
  }

  /// The group a users file names (read without the rest of the store, before anything else).
  static func declared(in root: String) -> (name: String, gid: gid_t?)? {
    guard let data = FileManager.default.contents(atPath: root + "/" + UserRegistry.fileName),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let name = object["group"] as? String, !name.isEmpty
    else { return nil }
    return (name, gid(of: name))
  }

  static func gid(of name: String) -> gid_t? {
    guard let entry = getgrnam(name) else { return nil }
    return entry.pointee.gr_gid
  }

  static func name(of gid: gid_t) -> String {
    guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
    return String(cString: name)
  }
}

extension Store {
  /// Shares the store with an OS group (or, with nil, makes it its owner's alone again): the
  /// users file names the group, then every folder and file gets the group and its modes.
  /// The signed-in user must be a coordinator and a member of the group.
  public func share(withGroup name: String?, by user: String) throws(StoreError) {
    try require(.manageUsers, "share the store with a group")
    _ = try requireFolder("share the store with an OS group (a database has its own roles)")
    var target = Sharing.ownerOnly
    if let name {
      guard let gid = Sharing.gid(of: name) else {
        throw .notAStore(path: root, problem: "there is no OS group '\(name)' (getent group lists them)")
      }
      guard Sharing.isMember(gid) else {
        throw .notAStore(path: root, problem: "you are not a member of the group '\(name)'")
      }
      target = Sharing(group: gid)
    }
    let base = try users()
    var registry = base ?? UserRegistry(users: [])
    registry.group = name
    try saveUsers(registry, basedOn: base, by: user, change: name.map { "shared the store with the group \($0)" } ?? "made the store private to its owner")
    try apply(target, to: root)
  }

  func apply(_ sharing: Sharing, to path: String) throws(StoreError) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
    guard isDirectory || (st.st_mode & S_IFMT) == S_IFREG else { return }
    if let group = sharing.group, chown(path, uid_t.max, group) != 0 {
      throw .io(operation: "give the group to", file: (path as NSString).lastPathComponent, errno: errno)
    }
    if chmod(path, isDirectory ? sharing.directoryMode : sharing.fileMode) != 0 {
      throw .io(operation: "set the mode of", file: (path as NSString).lastPathComponent, errno: errno)
    }
    if isDirectory {
      for name in Store.directoryEntries(path) { try apply(sharing, to: path + "/" + name) }
    }
  }
}
