import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The throwaway PostgreSQL cluster the tests use: `$KETEN_TEST_PG` (libpq settings of a cluster
/// `.ci/run` started with scripts/pg-cluster), or one started here on first use and stopped when
/// the test process ends. Its shared roles are made once: `keten_owner` (owns each test's
/// database) and `keten_staff` (the group role of staff logins).
public enum PGTestCluster {
  nonisolated(unsafe) static var ownDirectory: String?

  /// libpq settings reaching the cluster (no database, no user).
  public static let conninfo: String = {
    var info = ProcessInfo.processInfo.environment["KETEN_TEST_PG"] ?? ""
    if info.isEmpty {
      let dir = NSTemporaryDirectory() + "keten-test-pg-\(getpid())"
      let started = TestProcess.run([repositoryRoot + "/scripts/pg-cluster", "start", dir])
      guard started.status == 0 else {
        fatalError("could not start a PostgreSQL cluster for the tests: \(started.output)")
      }
      ownDirectory = dir
      atexit {
        if let dir = PGTestCluster.ownDirectory {
          _ = TestProcess.run([PGTestCluster.repositoryRoot + "/scripts/pg-cluster", "stop", dir])
        }
      }
      info = "host=\(dir) port=5432"
    }
    let prepared = psql(
      info + " user=postgres dbname=postgres",
      """
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_staff') THEN CREATE ROLE keten_staff NOLOGIN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_owner') THEN CREATE ROLE keten_owner LOGIN; END IF;
      END $$;
      """)
    guard prepared.status == 0 else { fatalError("could not prepare the test cluster: \(prepared.output)") }
    return info
  }()

  /// Roles are the cluster's, not a database's: a test that gives a staff login a dangerous
  /// attribute for a moment (BYPASSRLS, the owner's role) and every `keten check` of another
  /// test's database take turns through this, so that no check sees another test's hazard.
  private static let roleTurns = NSLock()

  public static func takingTurns<T>(_ body: () throws -> T) rethrows -> T {
    roleTurns.lock()
    defer { roleTurns.unlock() }
    return try body()
  }

  public static var repositoryRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  }

  /// A new, empty database owned by `keten_owner`, named `prefix` plus a random tag.
  public static func createDatabase(_ prefix: String = "kt") throws -> String {
    let name = prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    try admin("CREATE DATABASE \(name) OWNER keten_owner")
    return name
  }

  /// A database login in the staff group (made if missing; logins are shared by the cluster).
  public static func addLogin(_ login: String, staff: Bool = true) throws {
    try admin(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(login)') THEN CREATE ROLE \"\(login)\" LOGIN\(staff ? " IN ROLE keten_staff" : ""); END IF; END $$")
  }

  /// Runs SQL as the cluster's superuser; throws with what psql said when it fails.
  public static func admin(_ sql: String, dbname: String = "postgres") throws {
    let result = psql(conninfo + " user=postgres dbname=\(dbname)", sql)
    guard result.status == 0 else { throw PGTestError(result.output) }
  }

  /// psql with `-X -v ON_ERROR_STOP=1 -At` (no settings file, stop at the first error, bare
  /// rows): its exit status and what it printed.
  public static func psql(_ conninfo: String, _ sql: String) -> (status: Int32, output: String) {
    TestProcess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", conninfo, "-c", sql])
  }

}

public struct PGTestError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// A program run to its end without Foundation's Process.
public enum TestProcess {
  /// Runs a program to its end with posix_spawnp and waitpid (Foundation's Process waits on a
  /// run loop, which a static initialiser never turns, and can miss the exit of a client whose
  /// server daemonises); stdin from /dev/null, stdout and stderr into a file (a server it starts
  /// keeps what it inherited open): its exit status (-1 when it could not start or was killed)
  /// and what it printed.
  public static func run(_ arguments: [String]) -> (status: Int32, output: String) {
    let log = NSTemporaryDirectory() + "keten-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
    defer { unlink(log) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing else inherited: a server started here (tmux's, postgres) must not hold the test
    // runner's pipes open.
    if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
      for fd in fds.compactMap({ Int32($0) }) where fd > 2 { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
    }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
      return (-1, "could not start \(arguments[0])")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -1, output)
  }
}
