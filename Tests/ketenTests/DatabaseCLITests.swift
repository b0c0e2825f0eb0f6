import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real binary on a PostgreSQL store: set up by its owner, used by staff logins.
final class DatabaseStore {
  let name: String
  let tag = "e" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
  var coordinator: String { tag + "_coord" }

  init() throws {
    name = try PGTestCluster.createDatabase("ke")
    try PGTestCluster.addLogin(coordinator)
    let r = try Keten.run(["db-init", "--store", uri("keten_owner"), "--coordinator", coordinator])
    guard r.code == 0 else { throw PGTestError("db-init: \(r.stderr)") }
  }

  deinit { try? PGTestCluster.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

  /// libpq settings reaching it as `login`.
  func uri(_ login: String) -> String { PGTestCluster.conninfo + " dbname=\(name) user=\(login)" }
  var store: String { uri(coordinator) }
}

@Suite(.serialized) struct DatabaseCLITests {
  @Test func aCaseCreatedByAnotherProcessAppearsInTheOpenListWithoutAKey() throws {
    let db = try DatabaseStore()
    let dir = TempDir()
    let first = try Keten.run(["new", "--name", "Amina Haddad", "--centre", "Gent"], store: db.store)
    #expect(first.code == 0, "\(first.stderr)")
    let t = try TmuxSession(
      dir, command: "env LANG=C.UTF-8 TERM=xterm-256color \(Keten.binary) --store '\(db.store)' --lang en", rows: 24,
      columns: 100)
    try t.waitFor("1 of 1 cases")
    let created = try Keten.run(["new", "--name", "Yusuf Karim", "--centre", "Gent"], store: db.store)
    #expect(created.code == 0, "\(created.stderr)")
    let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    // No key is sent: the notification alone brings it in (the wait allows for a slow machine).
    try t.waitFor(id, timeout: 5)
    try t.waitFor("2 of 2 cases", timeout: 5)
    // The open case file too: saved elsewhere, shown here with who saved it.
    try t.keys("Enter")
    try t.waitFor("Case file")
    let openID = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let edit = try Keten.run(["edit", openID, "--set", "person.phone=+32 470 11 22 33"], store: db.store)
    #expect(edit.code == 0, "\(edit.stderr)")
    try t.waitFor("Updated: \(db.coordinator) saved this case elsewhere (revision 2).", timeout: 5)
    try t.keys("q")
  }

  @Test func twentyProcessesSavingOneCaseLoseNoNote() throws {
    let db = try DatabaseStore()
    let id = try Keten.run(["new", "--name", "Amina Haddad", "--centre", "Gent"], store: db.store).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let dir = TempDir()
    // Each process adds its notes one by one; a conflict (exit 3) is tried again, as a person
    // would after reloading.
    let script = """
      for n in 1 2 3; do
        until \(Keten.binary) edit \(id) --note "writer $1 note $n" --store '\(db.store)' 2>>\(dir.path)/err-$1; do
          [ $? -eq 3 ] || exit 1
        done
      done
      """
    try script.write(toFile: dir.path + "/writer.sh", atomically: true, encoding: .utf8)
    let writers = (1...20).map { n in
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = [dir.path + "/writer.sh", String(n)]
      return p
    }
    for p in writers { try p.run() }
    for p in writers { p.waitUntilExit() }
    #expect(writers.allSatisfy { $0.terminationStatus == 0 })
    let shown = try Keten.run(["show", id, "--json"], store: db.store)
    let doc = try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any]
    #expect((doc?["notes"] as? [Any])?.count == 60)
    #expect(doc?["revision"] as? Int == 61)
  }

  @Test func killedDuringSavesEveryChangeStillHasExactlyItsJournalEntry() throws {
    let db = try DatabaseStore()
    let id = try Keten.run(["new", "--name", "Amina Haddad", "--centre", "Gent"], store: db.store).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let dir = TempDir()
    // One writer saving as fast as it can, killed with SIGKILL at random moments, 15 times.
    for round in 0..<15 {
      // The shell notes each keten it starts; that keten is killed (at whatever step its save
      // was), then the shell. One the shell started in between finishes on its own.
      let pidFile = dir.path + "/keten.pid"
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = [
        "-c",
        "while true; do \(Keten.binary) edit \(id) --note 'round \(round)' --store '\(db.store)' >/dev/null 2>&1 & echo $! > \(pidFile); wait $!; done",
      ]
      try p.run()
      usleep(UInt32.random(in: 150_000...400_000))
      if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
        kill(pid, SIGKILL)
      }
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
    }
    // Stragglers (a keten started just before its shell went) finish before anything is read.
    while try Keten.launch("/usr/bin/pgrep", ["-f", "dbname=\(db.name) "]).code == 0 { usleep(50_000) }
    let shown = try Keten.run(["show", id, "--json"], store: db.store)
    let doc = try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any]
    let revision = doc?["revision"] as? Int ?? 0
    let notes = (doc?["notes"] as? [Any])?.count ?? -1
    let audit = try Keten.run(["audit", "--case", id], store: db.store)
    let changes = audit.stdout.split(separator: "\n").filter { $0.contains(" change ") }
    #expect(revision > 1)
    #expect(notes == revision - 1)
    #expect(changes.count == revision - 1, "\(audit.stdout)")
    #expect(!audit.stdout.contains("NOT CONFIRMED") && !audit.stdout.contains("FAILED"))
    let check = try PGTestCluster.takingTurns { try Keten.run(["check"], store: db.store) }
    #expect(check.code == 0, "\(check.stderr)")
  }
}

extension DatabaseCLITests {
  /// Every part of the chain, from the command line, on a database: each command succeeds and
  /// what it wrote is read back.
  @Test func theWholeChainWorksOnADatabaseFromTheCommandLine() throws {
    let db = try DatabaseStore()
    let dir = TempDir()
    func ok(_ args: [String]) throws -> String {
      let r = try Keten.run(args, store: db.store)
      #expect(r.code == 0, "keten \(args.joined(separator: " ")): \(r.stderr)")
      return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let id = try ok(["new", "--name", "Amina Haddad", "--centre", "Gent", "--born", "1990-02-03"])
    _ = try ok(["edit", id, "--set", "person.phone=+32 470 11 22 33", "--note", "first talk"])
    _ = try ok(["consent", id, "--to", "VDAB", "--purpose", "matching", "--given", "2026-11-02", "--how", "signed"])
    let group = try ok(["training", "create", "--name", "VOORwerk Gent", "--centre", "Gent", "--day", "2026-12-01"])
    _ = try ok(["training", "add", group, id])
    _ = try ok(["mentoring", "add-mentor", "--name", "Jan Peeters", "--login", db.tag + "_mentor"])
    let employer = try ok(["employers", "add", "--name", "Colruyt"]).split(separator: " ").first.map(String.init) ?? ""
    #expect(employer.hasPrefix("E-"))
    _ = try ok(["fairs", "create", "--name", "Jobbeurs Gent", "--on", "2026-12-10"])
    _ = try ok(["action-plan", "start", id])
    _ = try ok(["export", id, "--format", "cv-text", "-o", dir.path + "/cv.txt"])
    _ = try ok(["export", id, "--format", "subject-access", "-o", dir.path + "/sar"])
    let sar = try String(contentsOfFile: dir.path + "/sar.json", encoding: .utf8)
    #expect(sar.contains("Amina Haddad") && sar.contains(group) && sar.contains("first talk"))
    #expect(try ok(["list"]).contains("Amina Haddad"))
    #expect(try ok(["training", "show", group]).contains("Amina Haddad"))
    _ = try ok(["report"])
    _ = try ok(["agenda"])
    _ = try ok(["retention"])
    #expect(try ok(["audit", "--case", id]).contains("export"))
    _ = try ok(["delete", id])
    _ = try ok(["restore", id])
    let erase = try Keten.run(["erase", id, "--reason", "art. 17 request of 2026-11-20"], store: db.store)
    #expect(erase.code == 0, "\(erase.stderr)")
    #expect(!(try ok(["training", "show", group]).contains("Amina")))
    #expect(try Keten.run(["show", id], store: db.store).code == 1)
    let check = try PGTestCluster.takingTurns { try Keten.run(["check"], store: db.store) }
    #expect(check.code == 0, "\(check.stderr)")
  }

  @Test func addingAUserSaysWhatTheDBAStillHasToDo() throws {
    let db = try DatabaseStore()
    let missing = try Keten.run(["users", "add", db.tag + "_new", "--role", "trainer"], store: db.store)
    #expect(missing.code == 0 && missing.stdout.contains("note: the database has no login \(db.tag)_new yet"), "\(missing.stdout)")
    try PGTestCluster.addLogin(db.tag + "_outside", staff: false)
    let outside = try Keten.run(["users", "add", db.tag + "_outside", "--role", "trainer"], store: db.store)
    #expect(outside.stdout.contains("is not in keten_staff"), "\(outside.stdout)")
    try PGTestCluster.addLogin(db.tag + "_ready")
    let ready = try Keten.run(["users", "add", db.tag + "_ready", "--role", "trainer"], store: db.store)
    #expect(ready.code == 0 && !ready.stdout.contains("note:"), "\(ready.stdout)")
  }

  @Test func aDemoFillsADatabaseAtOnceAndOnlyAnEmptyOne() throws {
    let db = try DatabaseStore()
    let r = try Keten.run(["demo", "--cases", "40"], store: db.store)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(try Keten.run(["list"], store: db.store).stdout.split(separator: "\n").count > 20)
    let again = try Keten.run(["demo", "--cases", "5"], store: db.store)
    #expect(again.code == 1 && again.stderr.contains("already holds"))
  }

  @Test func dbInitGivesADatabaseItsOwnContentOnlyWhenItLoads() throws {
    let db = try DatabaseStore()
    let dir = TempDir()
    let folder = dir.path + "/content-of-the-chain"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // Broken: refused, naming what is wrong, and the store keeps the content it had (none).
    try Data("{\"rescreenIntervalMonths\": 0}".utf8).write(to: URL(fileURLWithPath: folder + "/settings.json"))
    let broken = try Keten.run(["db-init", "--store", db.uri("keten_owner"), "--content", folder])
    #expect(broken.code == 1 && broken.stderr.contains("settings.json"), "\(broken.stderr)")
    let none = PGTestCluster.psql(db.uri("keten_owner"), "SELECT count(*) FROM keten.content")
    #expect(none.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    // A link inside it is refused too (never followed).
    try Data("{\"rescreenIntervalMonths\": 6}".utf8).write(to: URL(fileURLWithPath: folder + "/settings.json"))
    try FileManager.default.createDirectory(atPath: folder + "/content", withIntermediateDirectories: true)
    symlink("/etc/hostname", folder + "/content/hostname")
    let linked = try Keten.run(["db-init", "--store", db.uri("keten_owner"), "--content", folder])
    #expect(linked.code == 1 && linked.stderr.contains("symbolic link"), "\(linked.stderr)")
    unlink(folder + "/content/hostname")
    let good = try Keten.run(["db-init", "--store", db.uri("keten_owner"), "--content", folder])
    #expect(good.code == 0 && good.stdout.contains("its own content is now the 1 file(s)"), "\(good.stderr)")
    let rows = PGTestCluster.psql(db.uri("keten_owner"), "SELECT path || ' ' || convert_from(body, 'UTF8') FROM keten.content")
    #expect(rows.output.contains("settings.json {\"rescreenIntervalMonths\": 6}"), "\(rows.output)")
    // Staff cannot change it.
    let staff = PGTestCluster.psql(db.store, "UPDATE keten.content SET body = 'x'")
    #expect(staff.status != 0 && staff.output.contains("permission denied"), "\(staff.output)")
    // And the store works on it.
    #expect(try Keten.run(["check"], store: db.store).code == 0)
  }

  @Test func anUnknownLoginAndAWrongPasswordlessHostAreOneClearSentence() throws {
    let db = try DatabaseStore()
    let stranger = db.tag + "_stranger"
    try PGTestCluster.addLogin(stranger)
    let r = try Keten.run(["list"], store: db.uri(stranger))
    #expect(r.code == 5 && r.stderr.contains("\(stranger) is not a user of this store"))
    let gone = try Keten.run(["list"], store: "host=/nonexistent-socket-dir port=5432 dbname=x user=y")
    #expect(gone.code == 1 && gone.stderr.hasPrefix("keten: The database could not connect:"))
    #expect(gone.stderr.split(separator: "\n").count == 1)
    let empty = try PGTestCluster.createDatabase("kn")
    defer { try? PGTestCluster.admin("DROP DATABASE IF EXISTS \(empty) WITH (FORCE)") }
    let none = try Keten.run(["list"], store: PGTestCluster.conninfo + " dbname=\(empty) user=keten_owner")
    #expect(none.code == 1 && none.stderr.contains("holds no Keten store") && none.stderr.contains("keten db-init"))
  }
}
