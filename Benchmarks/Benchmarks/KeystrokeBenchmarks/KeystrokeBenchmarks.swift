import BenchFixtures
import Benchmark
import CaseStore
import Casework
import Foundation
import TUI

// Keystroke to frame at 100,000 cases: one key through `AppState.update`, the whole screen
// rendered into a cell buffer, and the diff against the previous frame that the terminal is
// sent. (ncurses' own write to the tty is not included: it depends on the terminal emulator.)
// Uses the 100,000-case store the StoreBenchmarks use (BenchFixtures generates it if missing).

func store100k() throws -> Store { try fixture(100_000) }

/// A running app on the 100,000-case list, with the last frame it showed.
final class Session {
  var state: AppState
  var previous: ScreenBuffer

  init(rows: Int, columns: Int) throws {
    let store = try store100k()
    let content = try CaseworkContent.load(storeRoot: nil)
    state = AppState(
      strings: try Strings.load(.en), content: content, user: "bench",
      today: LocalDate("2026-11-01")!,
      rules: content.chainRules, rows: rows, columns: columns)
    _ = state.apply(.listed(try store.list()))
    previous = ScreenBuffer(rows: rows, columns: columns)
    frame()
  }

  /// One key in, one frame out; returns the number of changed runs.
  @discardableResult
  func press(_ key: Key) -> Int {
    _ = state.update(.key(key))
    return frame()
  }

  @discardableResult
  func frame() -> Int {
    var buffer = ScreenBuffer(rows: state.rows, columns: state.columns)
    state.render(into: &buffer)
    let runs = buffer.changes(since: previous).count
    previous = buffer
    return runs
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock], timeUnits: .microseconds, maxDuration: .seconds(10), maxIterations: 2_000)

  for (rows, columns) in [(24, 80), (40, 120)] {
    Benchmark("Type-to-search keystroke · 100,000 cases · \(columns)x\(rows)") { (benchmark: Benchmark, session: Session) in
      // Types "mohammed", then erases it, over and over: each iteration is one key.
      let word = Array("mohammed")
      var position = 0
      var typing = true
      for _ in benchmark.scaledIterations {
        let key: Key
        if typing {
          key = .character(word[position])
          position += 1
          if position == word.count { typing = false }
        } else {
          key = .backspace
          position -= 1
          if position == 1 { typing = true }
        }
        blackHole(session.press(key))
      }
    } setup: {
      let session = try Session(rows: rows, columns: columns)
      session.press(.character("/"))
      session.press(.character("m"))
      return session
    }

    // One key pressed over and over on a screen reached by `prepare`.
    func repeated(_ name: String, _ key: Key, prepare: @escaping (Session) throws -> Void = { _ in }) {
      Benchmark("\(name) · 100,000 cases · \(columns)x\(rows)") { (benchmark: Benchmark, session: Session) in
        for _ in benchmark.scaledIterations {
          blackHole(session.press(key))
        }
      } setup: {
        let session = try Session(rows: rows, columns: columns)
        try prepare(session)
        session.frame()
        return session
      }
    }
    repeated("Scroll keystroke (j)", .character("j"))
    repeated("Case file tab keystroke (l)", .character("l")) { session in
      _ = session.state.apply(.opened(try store100k().load(try CaseID("K-2025-0001"))))
    }
    repeated("Calendar day keystroke (l)", .character("l")) { $0.press(.character("C")) }
    repeated("Report scroll keystroke (j)", .character("j")) { $0.press(.character("R")) }
    repeated("Page-down keystroke", .pageDown)
  }

  Benchmark(
    "Sort 100,000 cases by name, then back by id (:sort)",
    configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, maxIterations: 20)
  ) { (benchmark: Benchmark, session: Session) in
    for _ in benchmark.scaledIterations {
      session.press(.character(":"))
      for c in "sort name" { _ = session.state.update(.key(.character(c))) }
      blackHole(session.press(.enter))
      session.press(.character(":"))
      for c in "sort id" { _ = session.state.update(.key(.character(c))) }
      session.press(.enter)
    }
  } setup: {
    try Session(rows: 24, columns: 80)
  }
}
