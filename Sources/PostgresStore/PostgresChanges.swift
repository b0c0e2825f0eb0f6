import CaseStore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Listens on its own connection for the notifications every save sends on commit
/// (`keten_changes`, payload `cases:K-2026-0042` or `records:G-2026-0001`), on a thread that
/// waits on the socket; the app takes what arrived.
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
    while !stopped.load(ordering: .relaxed) {
      var fd = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
      let ready = poll(&fd, 1, 200)
      if ready < 0 && errno != EINTR { return }
      guard ready > 0 else { continue }
      let arrived = connection.notifications()
      if !connection.isOK { return }  // the server went away: nothing more will come
      guard !arrived.isEmpty else { continue }
      heard.withLock { changes in
        for (_, payload) in arrived {
          if payload.hasPrefix("cases:"), let id = try? CaseID(String(payload.dropFirst(6))) {
            changes.cases.insert(id)
          } else if payload.hasPrefix("records:") {
            changes.records = true
          }
        }
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
