import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The system calls the store writes through.
///
/// Production uses `.system`; tests replace single calls to inject ENOSPC, EIO or EACCES and
/// check that a failed save leaves the old document intact and cleans up after itself.
public struct FileOps: Sendable {
  public var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
  public var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
  public var fsync: @Sendable (_ fd: Int32) -> Int32
  public var close: @Sendable (_ fd: Int32) -> Int32
  public var rename: @Sendable (_ from: String, _ to: String) -> Int32
  public var link: @Sendable (_ from: String, _ to: String) -> Int32
  public var unlink: @Sendable (_ path: String) -> Int32

  public static let system = FileOps(
    open: { path, flags, mode in Glibc.open(path, flags, mode) },
    write: { fd, bytes in Glibc.write(fd, bytes.baseAddress, bytes.count) },
    fsync: { fd in Glibc.fsync(fd) },
    close: { fd in Glibc.close(fd) },
    rename: { from, to in Glibc.rename(from, to) },
    link: { from, to in Glibc.link(from, to) },
    unlink: { path in Glibc.unlink(path) }
  )

  /// Writes every byte, again after a signal interrupts; nil when done, else the errno (EIO when
  /// the system wrote nothing without saying why).
  func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
      let n = write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if n == 0 { return EIO }
      offset += n
    }
    return nil
  }
}

/// Crash-safe file writing: temp file → write → fsync → close → rename (or link) → fsync dir.
struct DurableWriter: Sendable {
  let ops: FileOps
  /// 0600, or 0660 in a store shared with a group.
  var fileMode: mode_t = 0o600

  /// Temp files start with this prefix; listing skips them and opening the store sweeps them.
  static let tempPrefix = ".tmp-"

  enum Publish {
    /// Replace whatever is at the destination.
    case replace
    /// Fail with EEXIST when the destination exists (used to create new cases).
    case createNew
  }

  /// Writes `data` to `directory/name` so that a crash leaves either the old or the new file.
  ///
  /// Throws `StoreError.io` naming the failed step; the temp file is removed and the destination
  /// untouched on every failure before the rename. fsync is never retried: after a failed fsync
  /// the page cache may have dropped the data, so the caller must write again from memory.
  /// `syncDirectory: false` skips the directory fsync (bulk writes sync the file system once).
  func write(
    _ data: Data, directory: String, name: String, publish: Publish = .replace,
    syncDirectory: Bool = true
  ) throws(StoreError) {
    let tempName =
      "\(DurableWriter.tempPrefix)\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let tempPath = directory + "/" + tempName
    let finalPath = directory + "/" + name
    let fd = ops.open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
    guard fd >= 0 else { throw .io(operation: "create a temporary file for", file: name, errno: errno) }
    var closed = false
    func fail(_ operation: String, _ code: Int32) -> StoreError {
      if !closed { _ = ops.close(fd) }
      _ = ops.unlink(tempPath)
      return .io(operation: operation, file: name, errno: code)
    }
    fchmod(fd, fileMode)
    if let code = data.withUnsafeBytes({ ops.writeAll(fd, $0) }) { throw fail("write", code) }
    if ops.fsync(fd) != 0 { throw fail("flush to disk", errno) }
    closed = true
    if ops.close(fd) != 0 { throw fail("close", errno) }
    switch publish {
    case .replace:
      if ops.rename(tempPath, finalPath) != 0 { throw fail("replace", errno) }
    case .createNew:
      if ops.link(tempPath, finalPath) != 0 {
        let code = errno
        _ = ops.unlink(tempPath)
        throw .io(operation: "create", file: name, errno: code)
      }
      _ = ops.unlink(tempPath)
    }
    if syncDirectory { try self.syncDirectory(directory, file: name) }
  }

  /// fsyncs a directory so that a rename or unlink in it survives a power cut.
  func syncDirectory(_ directory: String, file: String) throws(StoreError) {
    let dfd = ops.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
    guard dfd >= 0 else { throw .io(operation: "open the folder of", file: file, errno: errno) }
    defer { _ = ops.close(dfd) }
    if ops.fsync(dfd) != 0 {
      throw .io(operation: "flush the folder entry of", file: file, errno: errno)
    }
  }
}

/// An exclusive advisory lock on the store, held by writers only (readers never lock).
///
/// `flock` locks belong to the open file description, so a process killed while holding one
/// releases it, and two opens in one process exclude each other like two processes do.
final class StoreLock {
  private let fd: Int32

  init(path: String, mode: mode_t = 0o600, wait: Bool = true) throws(StoreError) {
    // Never through a link: a planted `.lock -> ~/.ssh/authorized_keys` must not be created,
    // opened or chmodded.
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else {
      if errno == ELOOP { throw .symlink(path: path) }
      throw .io(operation: "open the lock file", file: ".lock", errno: errno)
    }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
      Glibc.close(fd)
      throw .damaged(file: ".lock", problem: "it is not a regular file; remove it (rm) and Keten makes it again")
    }
    if st.st_uid == geteuid(), st.st_mode & 0o777 != mode { fchmod(fd, mode) }
    while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
      if errno == EINTR { continue }
      let code = errno
      Glibc.close(fd)
      throw .io(operation: "lock the store via", file: ".lock", errno: code)
    }
    self.fd = fd
  }

  deinit {
    flock(fd, LOCK_UN)
    Glibc.close(fd)
  }
}

/// Writing an export (a CV, a share summary) outside the store: crash-safe like a case file and
/// readable by the owner only (0600), since it holds personal data.
public enum PrivateFile {
  public static func write(_ data: Data, to path: String, ops: FileOps = .system) throws(StoreError) {
    let url = URL(fileURLWithPath: path)
    try checkFolder(of: path)
    try DurableWriter(ops: ops).write(data, directory: url.deletingLastPathComponent().path, name: url.lastPathComponent)
  }

  /// Fails unless the folder `path` would be written in exists and this user may write there;
  /// checked before an export is recorded, so a mistyped path records nothing.
  public static func checkFolder(of path: String) throws(StoreError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var st = stat()
    guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
      throw .io(operation: "find the folder of", file: url.lastPathComponent, errno: ENOENT)
    }
    guard access(directory, W_OK) == 0 else {
      throw .io(operation: "write in the folder of", file: url.lastPathComponent, errno: errno)
    }
  }
}
