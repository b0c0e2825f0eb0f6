import CaseStore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Listens on its own connection for the notifications every save sends on commit
/// (`keten_changes`, payload `cases:1234`, a change number, or `records`), on a thread that
/// waits on the socket, and asks the database which of the numbers are cases this login may see
/// (`keten.changed_cases`): a notification names no case. The app takes what arrived.
final class PostgresChangeWatcher: ChangeWatcher {
  private let heard = Mutex(StoreChanges())
  private let stopped = Atomic<Bool>(false)

  init?(conninfo: String) {
    guard let connection = try? PGConnection(conninfo), (try? connection.run("LISTEN keten_changes")) != nil else {
      return nil
    }
    let box = ConnectionBox(connection)
    Thread.detachNewThread { [self] in listen(box) }
  }

  private final class ConnectionBox: @unchecked Sendable {
    let connection: PGConnection
    init(_ connection: PGConnection) { self.connection = connection }
  }

  private func listen(_ box: ConnectionBox) {
    let connection = box.connection
    // Notifications that came in while asking which cases changed are already read off the
    // socket: take them before waiting on it again.
    var asked = false
    while !stopped.load(ordering: .relaxed) {
      if !asked {
        var fd = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fd, 1, 200)
        if ready < 0 && errno != EINTR { return }
        guard ready > 0 else { continue }
      }
      asked = false
      let arrived = connection.notifications()
      if !connection.isOK { return }  // the server went away: nothing more will come
      guard !arrived.isEmpty else { continue }
      var numbers: [String] = []
      var records = false
      for (_, payload) in arrived {
        if payload.hasPrefix("cases:"), let n = Int64(payload.dropFirst(6)) {
          numbers.append(String(n))
        } else if payload == "records" {
          records = true
        }
      }
      var ids: [CaseID] = []
      if !numbers.isEmpty {
        guard let rows = try? connection.query("SELECT keten.changed_cases($1::bigint[])", ["{" + numbers.joined(separator: ",") + "}"])
        else {
          if !connection.isOK { return }
          continue
        }
        ids = (0..<rows.count).compactMap { rows.string($0, 0).flatMap { try? CaseID($0) } }
        asked = true
      }
      guard records || !ids.isEmpty else { continue }
      heard.withLock { changes in
        changes.cases.formUnion(ids)
        if records { changes.records = true }
      }
    }
  }

  func take() -> StoreChanges {
    heard.withLock { changes in
      defer { changes = StoreChanges() }
      return changes
    }
  }

  func stop() { stopped.store(true, ordering: .relaxed) }
}
