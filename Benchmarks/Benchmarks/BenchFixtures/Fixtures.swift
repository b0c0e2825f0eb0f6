import CaseStore
import Casework
import DemoData
import Foundation

// The demo stores every benchmark reads, generated once per size under $TMPDIR/keten-bench by
// whichever benchmark needs one first, and reused across runs.

/// Names the marker of a finished fixture; bumped when the demo changes, so stores are remade.
public let fixtureVersion = "demo-3"
public let asOf = LocalDate("2026-11-01")!

/// The rules the app runs with (the shipped content): due dates, post-hire meetings, phase-1
/// completeness — so summaries and their report facts cost what they cost in the app.
public func appRules() throws -> ChainRules {
  try CaseworkContent.load(storeRoot: nil).chainRules
}

/// The store of `count` demo cases (seed 1), generated on first use exactly as `keten demo`
/// fills a store: mentors, employers, openings, cases with pairs, placements and stage
/// histories, training groups and job fairs.
public func fixture(_ count: Int) throws -> Store {
  let base = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/keten-bench"
  let root = "\(base)/\(count)"
  let marker = "\(base)/\(count).\(fixtureVersion)"
  if !FileManager.default.fileExists(atPath: marker) {
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(
      atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let store = try Store(root: root, rules: try appRules()).signIn("bench")
    _ = try DemoStoreFiller.fill(store, cases: count, seed: 1, asOf: asOf, user: "bench")
    _ = try store.list()
    _ = FileManager.default.createFile(atPath: marker, contents: Data())
  }
  return try Store(root: root, rules: try appRules())
}

/// A case open for editing across benchmark samples: each save is based on the one before.
public final class Editing {
  public let store: Store
  public var stored: StoredCase
  /// Whether the case has been read again since the benchmark's setup.
  public var reread = false
  public init(store: Store, stored: StoredCase) {
    self.store = store
    self.stored = stored
  }
}
