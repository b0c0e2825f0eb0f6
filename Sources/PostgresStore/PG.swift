import CLibPQ
import CaseStore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A statement PostgreSQL refused: its SQLSTATE and primary message. The message never quotes a
/// value (the DETAIL field, which does, is never read), so it may be shown and logged.
struct PGFailure: Error {
  var sqlState: String
  var message: String

  static let uniqueViolation = "23505"
  static let insufficientPrivilege = "42501"
  static let lockNotAvailable = "55P03"
  static let serializationFailure = "40001"
  static let deadlockDetected = "40P01"
  static let undefinedTable = "42P01"
  static let raisedByKeten = "P0001"
}

/// One connection to PostgreSQL through libpq, the reference client: it reads URIs, `service=`
/// names, the `PG*` variables, `~/.pgpass` and service files, and does TLS
/// (`sslmode=verify-full`) and every authentication method itself. The only file that talks to
/// libpq. Not thread-safe: `PostgresBackend` serialises its use.
final class PGConnection {
  private let conn: OpaquePointer

  /// Connects with `conninfo` (a `postgresql://` URI or `key=value` settings); a failure says
  /// what libpq said, never the password.
  init(_ conninfo: String) throws(StoreError) {
    guard let conn = PQconnectdb(conninfo) else {
      throw .database(operation: "connect", problem: "libpq could not allocate a connection")
    }
    guard PQstatus(conn) == CONNECTION_OK else {
      let message = PGConnection.trimmed(String(cString: PQerrorMessage(conn)))
      PQfinish(conn)
      throw .database(operation: "connect", problem: message)
    }
    self.conn = conn
    // Notices (a table that already exists, …) go nowhere: the terminal is the app's.
    PQsetNoticeProcessor(conn, { _, _ in }, nil)
    prepareSession()
  }

  /// How long a statement waits for a lock another session holds before it gives up: any staff
  /// login may `LOCK` a table it may update, and the app must then say so, not hang.
  static let lockTimeout = "10s"

  private func prepareSession() {
    PQclear(PQexec(conn, "SET lock_timeout = '\(PGConnection.lockTimeout)'"))
  }

  deinit { PQfinish(conn) }

  /// The role the server authenticated this connection as.
  var user: String { String(cString: PQuser(conn)) }

  /// The database, host and port, for messages (never the password).
  var described: String {
    let host = PQhost(conn).map { String(cString: $0) } ?? ""
    let port = PQport(conn).map { String(cString: $0) } ?? ""
    let db = PQdb(conn).map { String(cString: $0) } ?? ""
    return "postgresql database \(db) on \(host.hasPrefix("/") ? "socket " + host : host):\(port)"
  }

  /// Whether the connection still stands (a server restart breaks it).
  var isOK: Bool { PQstatus(conn) == CONNECTION_OK }

  /// Tries once to connect again after the server dropped the connection.
  func reset() {
    PQreset(conn)
    if isOK { prepareSession() }
  }

  /// Runs one statement with text parameters (`$1`, `$2`, …; never spliced into the SQL) and
  /// returns its rows.
  @discardableResult
  func query(_ sql: String, _ params: [String?] = []) throws(PGFailure) -> PGRows {
    let result: OpaquePointer? = withCStrings(params) { values in
      PQexecParams(conn, sql, Int32(params.count), nil, values, nil, nil, 0)
    }
    return try PGRows.checked(result, conn: conn)
  }

  /// Runs statements without parameters (schema set-up, `BEGIN`).
  func run(_ sql: String) throws(PGFailure) {
    _ = try PGRows.checked(PQexec(conn, sql), conn: conn)
  }

  /// The socket to wait on for notifications.
  var socket: Int32 { PQsocket(conn) }

  /// The payloads of notifications that arrived, after reading what the socket holds.
  func notifications() -> [(channel: String, payload: String)] {
    guard PQconsumeInput(conn) == 1 else { return [] }
    var out: [(String, String)] = []
    while let notify = PQnotifies(conn) {
      out.append((String(cString: notify.pointee.relname), String(cString: notify.pointee.extra)))
      PQfreemem(notify)
    }
    return out
  }

  private func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } }
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
      body(buffer.map { $0.map { UnsafePointer($0) } })
    }
  }

  static func trimmed(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).first.map(String.init)?
      .replacingOccurrences(of: "FATAL:  ", with: "").replacingOccurrences(of: "ERROR:  ", with: "") ?? message
  }
}

/// The rows of one statement, freed with it.
final class PGRows {
  private let result: OpaquePointer

  private init(_ result: OpaquePointer) { self.result = result }
  deinit { PQclear(result) }

  static func checked(_ result: OpaquePointer?, conn: OpaquePointer) throws(PGFailure) -> PGRows {
    guard let result else {
      throw PGFailure(sqlState: "08006", message: PGConnection.trimmed(String(cString: PQerrorMessage(conn))))
    }
    let status = PQresultStatus(result)
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
      let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "XX000"
      let message =
        PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        ?? PGConnection.trimmed(String(cString: PQerrorMessage(conn)))
      PQclear(result)
      throw PGFailure(sqlState: state, message: message)
    }
    return PGRows(result)
  }

  var count: Int { Int(PQntuples(result)) }

  /// Rows a command changed (`UPDATE` … 0 means none matched).
  var affected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

  func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

  func string(_ row: Int, _ column: Int) -> String? {
    isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
  }

  func int(_ row: Int, _ column: Int) -> Int? { string(row, column).flatMap { Int($0) } }

  /// A value's bytes, without copying (valid while these rows live).
  func bytes(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> {
    let length = Int(PQgetlength(result, Int32(row), Int32(column)))
    let start = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column))!)
    return UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length)
  }

  func data(_ row: Int, _ column: Int) -> Data {
    let b = bytes(row, column)
    return Data(b)
  }
}
