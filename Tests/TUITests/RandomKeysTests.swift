import CaseStore
import Casework
import DemoData
import Foundation
import Testing

@testable import TUI

/// Thousands of random key sequences into the app on a demo store: nothing crashes, every save
/// is a valid document, no case file is lost, and the journal stays readable.
@Suite struct RandomKeysTests {
  /// Every key the app knows, letters and digits weighted up since most bindings are letters.
  static let keys: [Key] = {
    var keys: [Key] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :/?-+=,.!]['").map { .character($0) }
    keys += [.enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown]
    keys += [.enter, .enter, .escape, .tab, .down, .down]
    keys += ["s", "r", "n", "d", "e", "u", "c"].map { Key.control(Character($0)) }
    keys += [.function(1), .character("é"), .character("ع"), .character("😀")]
    return keys
  }()

  @Test func randomKeySequencesNeverCrashLoseOrCorruptACase() throws {
    let environment = ProcessInfo.processInfo.environment
    // Longer runs: KETEN_RANDOM_SEQUENCES=20000 KETEN_RANDOM_SEED=… swift test --filter RandomKeys
    let sequences = environment["KETEN_RANDOM_SEQUENCES"].flatMap { Int($0) } ?? 2_000
    var rng = SplitMix64(seed: environment["KETEN_RANDOM_SEED"].flatMap { UInt64($0) } ?? 1_122)
    let folder = NSTemporaryDirectory() + "keten-random-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Writes skip fsync here: the test is about what the app does, not the disk (the crash
    // tests cover durability), and thousands of saves would otherwise take minutes.
    var ops = FileOps.system
    ops.fsync = { _ in 0 }
    let root = folder + "/store"
    let store = try Store(root: root, rules: Fixture.rules, ops: ops).signIn("tester", now: fixedNow)
    _ = try DemoStoreFiller.fill(store, cases: 40, seed: 3, asOf: today, user: "tester")
    let initial = Set(try store.list().cases.map(\.id))
    let strings = try Strings.load(.en)
    let content = try CaseworkContent.load(storeRoot: nil)
    func newDriver() -> AppDriver {
      var state = AppState(strings: strings, content: content, user: "tester", today: today, rules: Fixture.rules)
      state.now = { fixedNow }
      let driver = AppDriver(state: state, store: store, user: "tester")
      // Exports typed by random keys land in the test's folder, never where the tests run.
      driver.exportFolder = folder
      driver.start()
      return driver
    }
    let workingFolder = FileManager.default.currentDirectoryPath
    let before = Set((try? FileManager.default.contentsOfDirectory(atPath: workingFolder)) ?? [])
    defer {
      let after = Set((try? FileManager.default.contentsOfDirectory(atPath: workingFolder)) ?? [])
      #expect(after.subtracting(before).isEmpty, "random keys wrote into \(workingFolder): \(after.subtracting(before))")
    }
    var driver = newDriver()
    var restarts = 0
    var pressed = 0
    for sequence in 0..<sequences {
      for _ in 0..<Int.random(in: 5...40, using: &rng) {
        let key = Self.keys.randomElement(using: &rng)!
        driver.send(.key(key))
        pressed += 1
        if pressed % 3 == 0 { _ = driver.render() }
        if !driver.isRunning {
          driver = newDriver()
          restarts += 1
        }
      }
      if Int.random(in: 0..<40, using: &rng) == 0 { driver.send(.resize(rows: Int.random(in: 10...60, using: &rng), columns: Int.random(in: 30...200, using: &rng))) }
      if sequence % 250 == 249 || sequence == sequences - 1 { try checkStore(root: root, initial: initial) }
      // Back to a known screen now and then, so sequences start from many places.
      if Int.random(in: 0..<8, using: &rng) == 0 { driver = newDriver() }
    }
    #expect(pressed > sequences * 5)
    #expect(restarts > 0, "no sequence ever quit the app")
    // The keys reached the store: cases were opened and saved, not only screens switched.
    let journal = try store.journal.read().entries.filter { $0.user == "tester" }
    let opened = journal.filter { $0.action == .open }.count
    let saved = journal.filter { $0.action == .change || $0.action == .create }.count
    #expect(opened > sequences / 10 && saved >= 25, "opened \(opened), saved \(saved)")
    print("random keys: \(pressed) keys, \(restarts) quits, \(opened) opens, \(saved) saves")
  }

  /// Every case file reads and validates, none is lost (a deleted one is in the trash), and the
  /// journal has no unreadable line.
  func checkStore(root: String, initial: Set<CaseID>) throws {
    let plain = try Store(root: root, rules: Fixture.rules)
    let listing = try plain.list()
    #expect(listing.damaged.isEmpty, "\(listing.damaged)")
    let present = Set(listing.cases.map(\.id)).union(plain.trash())
    #expect(initial.isSubset(of: present), "lost: \(initial.subtracting(present))")
    for summary in listing.cases where summary.revision > 1 {
      let d = try plain.load(summary.id).document
      #expect(d.validationIssues(today: today).isEmpty, "\(summary.id): \(d.validationIssues(today: today))")
    }
    #expect(try plain.journal.read().unreadable == 0)
  }
}
