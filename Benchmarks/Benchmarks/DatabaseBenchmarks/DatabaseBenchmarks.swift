import BenchFixtures
import Benchmark
import CLibPQFloor
import CaseStore
import Casework
import Foundation
import PostgresStore

// The PostgreSQL store against its floor, bare libpq sending the same statements:
// - the whole list (the summary rows) at 1,000, 20,000 and 100,000 cases;
// - one durable save (synchronous commit on) of the 13 KB case of the 10,000-case store.
// The cluster is $KETEN_BENCH_PG (libpq settings), else one this benchmark starts in
// $TMPDIR/keten-bench-pg with scripts/pg-cluster and leaves running for the next run. Each
// size's database is migrated once from the folder fixture (`keten migrate`'s code) and kept.

let sizes = ProcessInfo.processInfo.environment["KETEN_BENCH_SIZES"].map { $0.split(separator: ",").compactMap { Int($0) } }
  ?? [1_000, 20_000, 100_000]

let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"

/// libpq settings of the cluster (no database, no user).
let cluster: String = {
  if let given = ProcessInfo.processInfo.environment["KETEN_BENCH_PG"], !given.isEmpty { return given }
  let dir = tmp + "/keten-bench-pg"
  if !FileManager.default.fileExists(atPath: dir + "/.s.PGSQL.5432") {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/pg-cluster").path
    run(script, ["start", dir])
  }
  let info = "host=\(dir) port=5432"
  psql(
    info + " user=postgres dbname=postgres",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_staff') THEN CREATE ROLE keten_staff NOLOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_owner') THEN CREATE ROLE keten_owner LOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench') THEN CREATE ROLE bench LOGIN IN ROLE keten_staff; END IF;
    END $$;
    """)
  return info
}()

/// Runs a program to its end, its output discarded (posix_spawn and waitpid: Foundation's
/// Process waits on a run loop that a static initialiser never turns).
@discardableResult
func run(_ program: String, _ arguments: [String]) -> Int32 {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  // Nothing else inherited: a server started here must not hold the harness's pipes open.
  if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
    for fd in fds.compactMap({ Int32($0) }) where fd > 2 { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
  }
  var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
  defer { for p in argv { free(p) } }
  var pid: pid_t = 0
  guard posix_spawn(&pid, program, &actions, nil, &argv, environ) == 0 else { return -1 }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
}

func psql(_ info: String, _ sql: String) {
  precondition(run("/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", info, "-c", sql]) == 0, "psql failed: \(sql)")
}

/// The database holding the `n`-case demo store, migrated from the folder fixture on first use.
func database(_ n: Int) throws -> String {
  let name = "kbench_\(n)_" + fixtureVersion.replacingOccurrences(of: "-", with: "_")
  let owner = cluster + " dbname=\(name) user=keten_owner"
  if run("/usr/bin/psql", ["-X", "-q", "-d", owner, "-c", "SELECT 1 FROM keten.cases LIMIT 1"]) != 0 {
    psql(cluster + " user=postgres dbname=postgres", "DROP DATABASE IF EXISTS \(name)")
    psql(cluster + " user=postgres dbname=postgres", "CREATE DATABASE \(name) OWNER keten_owner")
    try PostgresBackend.initialise(conninfo: owner, coordinator: nil)
    _ = try StoreMigration.run(from: try fixture(n).folder!, to: try PostgresBackend(conninfo: owner), rules: try appRules())
    psql(owner, "VACUUM ANALYZE")
  }
  // A database kept from an earlier run is brought up to this Keten's schema, as db-init would.
  try PostgresBackend.initialise(conninfo: owner, coordinator: nil)
  return cluster + " dbname=\(name) user=bench"
}

/// A libpq connection for the floor.
final class Bare {
  let conn: OpaquePointer
  init(_ info: String) {
    conn = PQconnectdb(info)
    precondition(PQstatus(conn) == CONNECTION_OK, String(cString: PQerrorMessage(conn)))
  }
  deinit { PQfinish(conn) }

  /// Runs a statement with text parameters and hands its result to `body`.
  func exec<T>(_ sql: String, _ params: [String], _ body: (OpaquePointer) -> T) -> T {
    let copies = params.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let values = copies.map { UnsafePointer<CChar>($0) }
    let result = PQexecParams(conn, sql, Int32(params.count), nil, values, nil, nil, 0)!
    defer { PQclear(result) }
    let status = PQresultStatus(result)
    precondition(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK, String(cString: PQresultErrorMessage(result)))
    return body(result)
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 50)

  for n in sizes {
    let label = n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))

    Benchmark("Database: the whole list, as a coordinator · \(label)") { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        blackHole(try store.list().cases.count)
      }
    } setup: {
      Store(backend: try PostgresBackend(conninfo: try database(n)), rules: try appRules()).scoped(
        to: Viewer(login: "bench", role: .coordinator))
    }

    Benchmark("Bare libpq: the same summary rows, same login (floor) · \(label)") {
      (benchmark: Benchmark, input: (Bare, String)) in
      let (bare, version) = input
      for _ in benchmark.scaledIterations {
        bare.exec(
          "SELECT summary, rules_version = $1, id FROM keten.cases WHERE trashed_on IS NULL ORDER BY id", [version]
        ) { result in
          var total = 0
          for i in 0..<PQntuples(result) { total += Int(PQgetlength(result, i, 0)) + Int(PQgetlength(result, i, 2)) }
          blackHole(total)
        }
      }
    } setup: {
      (Bare(try database(n)), try appRules().version)
    }
  }

  // Saves of the 13 KB case: each based on the one before, as in an editing session (read once,
  // not measured: the floor's statements may have run since the setup), or each after reading
  // it again, as `keten edit` saves (its base's tree then encoded once for the changed paths).
  for (label, rereadEach) in [("durable save of the 13 KB case", false), ("first save after opening the 13 KB case", true)] {
    Benchmark(
      "Database: \(label) · 10,000",
      configuration: .init(metrics: [.wallClock], timeUnits: .microseconds, maxIterations: 300)
    ) { (benchmark: Benchmark, session: Editing) in
      if rereadEach || !session.reread {
        session.stored = try session.store.load(session.stored.id)
        session.reread = true
      }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        var document = session.stored.document
        document.person.phone = String(format: "+31 6 %08d", session.stored.revision)
        session.stored = try session.store.save(document, basedOn: session.stored, by: "bench")
      }
    } setup: {
      let store = Store(backend: try PostgresBackend(conninfo: try database(10_000)), rules: try appRules())
      return Editing(store: store, stored: try store.load(try CaseID("K-2025-0001")))
    }
  }

  Benchmark(
    "Bare libpq: the save's statements in one transaction (floor) · 10,000",
    configuration: .init(metrics: [.wallClock], timeUnits: .microseconds, maxIterations: 300)
  ) { (benchmark: Benchmark, input: (Bare, [String])) in
    // The statements a save sends, with the same document, summary and journal line, each on
    // the revision before as a save's is: the document's own revision moves with the row's, so
    // the database does a change's whole work (its guard, its change number and notification,
    // the check at commit that the change has its entry), as it does for Keten's saves.
    // Read now, not measured: Keten's saves may have run since the setup.
    let (bare, columns) = input
    let (doc, revision) = bare.exec("SELECT doc::text, revision FROM keten.cases WHERE id = 'K-2025-0001'", []) {
      (String(cString: PQgetvalue($0, 0, 0)), Int(String(cString: PQgetvalue($0, 0, 1)))!)
    }
    let stamp = "\"revision\": \(revision)"
    precondition(doc.contains(stamp), "the document's revision is not where the floor looks for it")
    let docs = (1...benchmark.scaledIterations.count + 1).map { doc.replacingOccurrences(of: stamp, with: "\"revision\": \(revision + $0)") }
    benchmark.startMeasurement()
    let entry =
      #"{"action":"change","at":"2026-11-01T10:00:00Z","case":"K-2025-0001","paths":["person.phone"],"revision":2,"user":"bench"}"#
    for (n, _) in benchmark.scaledIterations.enumerated() {
      bare.exec("BEGIN", []) { _ in }
      bare.exec(
        """
        UPDATE keten.cases SET doc = $1::jsonb, revision = $2, summary = $3, rules_version = $4, centre_key = $5,
          case_worker = $6, mentor = $7
        WHERE id = $8 AND revision = $9 AND trashed_on IS NULL
        """, [docs[n], String(revision + n + 1)] + columns + ["K-2025-0001", String(revision + n)]
      ) { affected in precondition(String(cString: PQcmdTuples(affected)) == "1", "the floor's update matched no row") }
      bare.exec("INSERT INTO keten.journal (case_id, record_id, entry) VALUES ($1, NULL, $2::jsonb)", ["K-2025-0001", entry]) { _ in }
      bare.exec("COMMIT", []) { _ in }
    }
  } setup: {
    let info = try database(10_000)
    let store = Store(backend: try PostgresBackend(conninfo: info), rules: try appRules())
    let stored = try store.load(try CaseID("K-2025-0001"))
    let summary = CaseSummary(document: stored.document, rules: try appRules())
    let columns = [
      SummaryLine.text(summary), try appRules().version, SearchText.fold(stored.document.person.centre ?? ""),
      stored.document.person.caseWorker ?? "", stored.document.openPair?.mentor ?? "",
    ]
    return (Bare(info), columns)
  }
}
