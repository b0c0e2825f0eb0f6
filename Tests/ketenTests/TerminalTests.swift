import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal: tmux on a private socket, waiting for text on the screen
/// after each key instead of sleeping.
final class TmuxSession {
  let socket = "keten-e2e-\(UUID().uuidString.prefix(8))"
  let dir: TempDir

  init(_ dir: TempDir, command: String, rows: Int = 24, columns: Int = 80) throws {
    self.dir = dir
    // After the app: record the terminal modes the shell gets back, then the exit code.
    let script = "\(command); code=$?; stty -a > \(dir.path)/stty.txt; echo KETEN-EXITED $code; sleep 60"
    try tmux(["new-session", "-d", "-x", "\(columns)", "-y", "\(rows)", "sh", "-c", script])
  }

  deinit { _ = try? tmux(["kill-server"]) }

  /// Runs tmux (`TestProcess.run`: its client exits while the server it started lives on).
  @discardableResult
  func tmux(_ args: [String]) throws -> String {
    let result = TestProcess.run(["tmux", "-L", socket] + args)
    if result.status == -1 && result.output.hasPrefix("could not start") {
      throw E2EError("tmux could not be started; install tmux.")
    }
    guard result.status == 0 else { throw E2EError("tmux \(args.first ?? "") failed: \(result.output)") }
    return result.output
  }

  var screen: String { (try? tmux(["capture-pane", "-p"])) ?? "" }

  func keys(_ keys: String...) throws { try tmux(["send-keys"] + keys) }
  func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }

  /// Waits up to 15 s for `text` on the screen; throws with the screen when it never comes.
  func waitFor(_ text: String, timeout: Double = 15) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if screen.contains(text) { return }
      usleep(50_000)
    }
    throw E2EError("'\(text)' did not appear; the screen was:\n\(screen)")
  }

  func waitFor(timeout: Double = 15, _ condition: (String) -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition(screen) { return }
      usleep(50_000)
    }
    throw E2EError("the screen never matched; it was:\n\(screen)")
  }

  /// The terminal modes after the app ended: canonical input and echo must be back on.
  func terminalWasRestored() throws -> Bool {
    let stty = try String(contentsOfFile: dir.path + "/stty.txt", encoding: .utf8)
    let flags = stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
    return flags.contains("icanon") && flags.contains("echo") && flags.contains("icrnl")
  }
}

struct E2EError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

@Suite(.serialized) struct TerminalTests {
  func app(_ dir: TempDir, _ extra: String = "") -> String {
    "env LANG=C.UTF-8 TERM=xterm-256color \(Keten.binary) --store \(dir.store) --lang en \(extra)"
  }

  @Test func screeningInterviewAssessmentAndCVInARealTerminal() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Dawit Tekle", "--centre", "Leuven"], store: dir.store)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor("of 1 cases")
    try t.keys("Enter")
    try t.waitFor(id)
    try t.keys("3")
    try t.waitFor("Not started; press i to begin the interview.")
    // Phase 1, education: one school picked from the ISCED list, then pause with Ctrl-S.
    try t.keys("i")
    try t.waitFor("Phase 1 · factual screening")
    try t.keys("C-n")
    try t.waitFor("School or training 1")
    try t.keys("Enter")
    try t.waitFor("Level (ISCED)")
    try t.keys("6")  // a digit chooses in the numbered list; the list closes on the field
    try t.waitFor("Bachelor or equivalent (ISCED 6)")
    try t.keys("Tab")
    try t.type("Civil engineering")
    try t.keys("PageDown")
    try t.waitFor("No work experience")
    try t.keys("C-n", "F4")
    try t.waitFor("Find:")
    try t.type("welder")
    try t.waitFor("Welder · Construction")
    try t.keys("Enter")
    try t.waitFor("Construction  ▾")
    try t.keys("C-s")
    try t.waitFor("Screening saved (revision 2)")
    try t.waitFor("Incomplete: Education, Work, Languages")
    // A self-assessment answered with the number keys, then its report.
    try t.keys("s")
    try t.waitFor("Sector of the self-assessment")
    try t.keys("c", "Enter")
    try t.waitFor("Job profile in Construction")
    try t.keys("w", "Enter")
    try t.waitFor("Self-assessment: Welder · Lasser")
    for _ in 0..<10 { try t.keys("4") }
    try t.waitFor("10 of 10 answered")
    try t.keys("C-s")
    try t.waitFor("Self-assessment saved")
    for _ in 0..<10 { try t.keys("j") }  // scroll the tab down to the assessments
    try t.waitFor("Welder  ● 100%")
    // The CV as HTML, written 0600 and logged.
    try t.keys("x")
    try t.waitFor("Export")
    try t.keys("Down", "Down", "Enter")
    try t.waitFor("Language of the CV")
    try t.keys("Enter")
    try t.waitFor("Write to:")
    try t.keys("C-u")
    try t.type(dir.path + "/cv.html")
    try t.keys("Enter")
    try t.waitFor("Written to")
    try t.keys("q", "q")
    try t.waitFor("KETEN-EXITED 0")
    let html = try String(contentsOfFile: dir.path + "/cv.html", encoding: .utf8)
    #expect(html.contains("<h3>Welder</h3>"))
    #expect(html.contains("Bachelor or equivalent (ISCED 6) — Civil engineering"))
    var st = stat()
    #expect(stat(dir.path + "/cv.html", &st) == 0 && st.st_mode & 0o777 == 0o600)
    let json = try Keten.run(["show", id, "--json"], store: dir.store).stdout
    #expect(json.contains("\"resumeSection\": \"work\""))
    #expect(json.contains("\"what\": \"cv-html (en)\""))
  }

  @Test func searchOpenAddNoteSaveQuitWithResizes() throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "200", "--seed", "3"], store: dir.store)
    let id = try Keten.run(["new", "--name", "Hévé Testcase", "--centre", "Leuven"], store: dir.store)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor("of 201 cases")
    try t.keys("/")
    try t.type("heve test")
    try t.waitFor("1 matches")
    try t.keys("Enter")
    try t.keys("Enter")
    try t.waitFor("Hévé Testcase")
    try t.waitFor(id)
    // Bigger, then back to 80×24: the tab bar shows full labels only when there is room.
    try t.tmux(["resize-window", "-x", "120", "-y", "40"])
    try t.waitFor("0 History")
    try t.tmux(["resize-window", "-x", "80", "-y", "24"])
    try t.waitFor { !$0.contains("0 History") && $0.contains("0 His") }
    try t.keys("a")
    try t.waitFor("New note")
    try t.type("Gesprek via e2e: wil lassen leren. 日本 ✓")
    try t.keys("C-s")
    try t.waitFor("Note saved.")
    // Too small, then big enough again.
    try t.tmux(["resize-window", "-x", "60", "-y", "20"])
    try t.waitFor("too small")
    try t.tmux(["resize-window", "-x", "80", "-y", "24"])
    try t.waitFor("Gesprek via e2e")
    try t.keys("Escape")
    try t.waitFor("of 201 cases")
    try t.keys("q")
    try t.waitFor("KETEN-EXITED 0")
    #expect(try t.terminalWasRestored())
    let json = try Keten.run(["show", id, "--json"], store: dir.store).stdout
    #expect(json.contains("Gesprek via e2e: wil lassen leren. 日本 ✓"))
  }

  @Test func controlCRestoresTheTerminal() throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "20"], store: dir.store)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor("of 20 cases")
    try t.keys("C-c")
    try t.waitFor("KETEN-EXITED 0")
    #expect(try t.terminalWasRestored())
  }

  /// SIGTERM ends the app; SIGSEGV stands in for a crash (the handler restores the terminal
  /// and dies of the same signal, so the shell sees 128 + 11).
  @Test(arguments: [(SIGTERM, 143), (SIGSEGV, 139)])
  func signalsRestoreTheTerminal(signal: Int32, exitCode: Int) throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "20"], store: dir.store)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor("of 20 cases")
    let pgrep = Process()
    pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    pgrep.arguments = ["pgrep", "-n", "-f", "^\(Keten.binary) --store \(dir.store)"]
    let out = Pipe()
    pgrep.standardOutput = out
    try pgrep.run()
    let pids = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    pgrep.waitUntilExit()
    let pid = try #require(pids.split(separator: "\n").compactMap { pid_t($0) }.first)
    kill(pid, signal)
    try t.waitFor("KETEN-EXITED \(exitCode)")
    #expect(try t.terminalWasRestored())
  }

  @Test func monochromeAndVT100Work() throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "20"], store: dir.store)
    let t = try TmuxSession(
      dir, command: "env NO_COLOR=1 LANG=C.UTF-8 TERM=vt100 \(Keten.binary) --store \(dir.store) --lang nl")
    try t.waitFor("van 20 dossiers")
    try t.keys("Enter")
    try t.waitFor("1 Overzicht")
    try t.keys("Escape", "q")
    try t.waitFor("KETEN-EXITED 0")
    #expect(try t.terminalWasRestored())
  }

  @Test func aMentorLogsACheckInInAFewKeys() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Amal Yousef", "--gender", "female"], store: dir.store)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let mentor = try Keten.run(["mentoring", "add-mentor", "--name", "Hilde Claes", "--login", "hilde"], store: dir.store)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    try Keten.run(["mentoring", "pair", id, mentor, "--goal", "job-search", "--goal", "language"], store: dir.store)
    // The person running the test is Hilde from now on.
    let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)
    try Keten.run(["mentoring", "edit-mentor", mentor, "--set", "login=\(me)"], store: dir.store)
    try Keten.run(["users", "add", "boss", "--role", "coordinator"], store: dir.store)
    try Keten.run(["users", "set", me, "--role", "mentor"], store: dir.store)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor("My mentees")
    try t.waitFor("Amal Yousef")
    // c · Tab · 45 · Tab · Enter · ↓ · Enter (phone) · Ctrl-S: a check-in in eight keys.
    try t.keys("c")
    try t.waitFor("Check-in with Amal Yousef")
    try t.keys("Tab")
    try t.type("45")
    try t.keys("Tab", "Enter")
    try t.waitFor("messaging")
    try t.keys("Down", "Enter")
    try t.waitFor("phone  ▾")
    try t.keys("C-s")
    try t.waitFor("Check-in for Amal Yousef saved")
    try t.keys("Enter")
    try t.waitFor("45 min · phone")
    try t.keys("q", "q")
    try t.waitFor("KETEN-EXITED 0")
    let json = try Keten.run(["mentoring", "mentees", "--json"], store: dir.store).stdout
    #expect(json.contains("\"minutes\" : 45"))
    #expect(json.contains("\"channel\" : \"phone\""))
    #expect(json.contains("\"loggedBy\" : \"\(me)\""))
  }

  @Test func aCaseWorkerLogsAFollowUpFromTodaysAgenda() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Samir Nouri"], store: dir.store).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    // Hired fifteen days ago: both week-1 meetings and the manager's week 2 are overdue today.
    let day = { (offset: Int) -> String in
      let f = DateFormatter()
      f.dateFormat = "yyyy-MM-dd"
      f.timeZone = TimeZone.current
      return f.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }
    let start = day(-15)
    try Keten.run(["hire", id, "--set", "employerName=Bakkerij Peeters", "--set", "job=Baker", "--set", "start=\(start)"], store: dir.store)
    let t = try TmuxSession(dir, command: app(dir))
    try t.waitFor(id)
    try t.keys("A")
    try t.waitFor("Overdue (3)")
    // The week ahead holds the manager's week 3; the first overdue entry is the counsellor's week 1.
    try t.keys("j", "f")
    try t.waitFor("Follow-up of Samir Nouri: Career counsellor · week 1")
    try t.keys("C-s")
    try t.waitFor("Follow-up logged")
    try t.waitFor { $0.contains("Overdue (2)") && !$0.contains("Career counsellor · week 1") }
    try t.keys("q", "q")
    try t.waitFor("KETEN-EXITED 0")
    let schedule = try Keten.run(["followup", "schedule", id], store: dir.store).stdout
    #expect(schedule.contains("counsellor@1w   held \(day(0))"), "\(schedule)")
    // Week 1 falls on a working day 8 to 12 days ago (a weekend or holiday moves it earlier).
    #expect(schedule.contains("manager@1w      OVERDUE"), "\(schedule)")
  }
}
