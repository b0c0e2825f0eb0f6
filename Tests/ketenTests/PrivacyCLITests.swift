import Foundation
import Testing
import TestSupport

/// Users, roles, the journal, subject access, erasure and retention through the real binary.
@Suite struct PrivacyCLITests {
  static let login = String(cString: getpwuid(geteuid())!.pointee.pw_name)

  /// Rewrites the users file as the person setting up the machine would (the test is the admin).
  static func setRole(_ role: String, centre: String? = nil, _ dir: TempDir) throws {
    let path = dir.store + "/users.json"
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    var users = json["users"] as! [[String: Any]]
    let i = users.firstIndex { $0["login"] as? String == login }!
    users[i]["role"] = role
    users[i]["centre"] = centre
    json["users"] = users
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
  }

  @Test func usersRolesAndWhatEachSeesFromTheCommandLine() throws {
    let dir = TempDir()
    let gent = try ok(["new", "--name", "Amal Gentqx", "--centre", "Gent"], dir)
    let antwerp = try ok(["new", "--name", "Bashir Antwerpqx", "--centre", "Antwerpen", "--worker", "someone"], dir)
    _ = try ok(["edit", gent, "--set", "person.phone=+32 470 11 22 33", "--note", "NOTEQX private"], dir)
    // The first login became coordinator; users are managed by command.
    #expect(try ok(["users"], dir).contains("\(Self.login)"))
    try fails(["users", "add", "an", "--role", "boss"], dir, saying: "'boss' is not a role; use one of coordinator, case-worker, trainer, mentor.")
    try fails(["users", "add", "an", "--role", "case-worker"], dir, saying: "A case worker needs --centre")
    try fails(["users", "add", "no spaces", "--role", "trainer"], dir, saying: "is not a login name")
    _ = try ok(["users", "add", "an", "--role", "case-worker", "--centre", "Gent"], dir)
    try fails(["users", "add", "an", "--role", "trainer"], dir, saying: "an is already a user")
    _ = try ok(["users", "set", "an", "--role", "trainer"], dir)
    _ = try ok(["users", "remove", "an"], dir)
    try fails(["users", "remove", "an"], dir, saying: "an is not a user of this store")
    try fails(["users", "remove", Self.login], dir, saying: "at least one coordinator")
    let group = try ok(["training", "create", "--name", "VOORwerk", "--centre", "Gent", "--language", "nl", "--day", "2026-12-01"], dir)
    _ = try ok(["training", "add", group, gent], dir)
    // A second coordinator, so the one running the tests can take other roles.
    _ = try ok(["users", "add", "boss", "--role", "coordinator"], dir)

    // As a case worker of Gent: only Gent's cases; the other does not exist as far as they know.
    try Self.setRole("case-worker", centre: "gent", dir)
    let list = try ok(["list"], dir)
    #expect(list.contains("Amal Gentqx") && !list.contains("Antwerpqx"))
    try fails(["show", antwerp], dir, saying: "No case \(antwerp) in this store")
    try fails(["users"], dir, code: 5, saying: "As a case-worker you may not list the users of the store; ask a coordinator.")
    try fails(["erase", gent, "--reason", "art. 17 request"], dir, code: 5, saying: "may not erase cases")
    let created = try ok(["new", "--name", "Chen Newqx"], dir)
    #expect(try ok(["show", created], dir).contains("gent"))

    // As a trainer: names and training only; no notes, no phone, no editing, no export.
    try Self.setRole("trainer", dir)
    let shown = try ok(["show", gent, "--json"], dir)
    #expect(shown.contains("Amal Gentqx"))
    for secret in ["470 11 22 33", "NOTEQX", "Gent\""] { #expect(!shown.contains(secret), "\(secret) leaked") }
    #expect(try ok(["list"], dir).contains("Amal Gentqx"))
    try fails(["edit", gent, "--note", "x"], dir, code: 5, saying: "As a trainer you may not change case files")
    try fails(["export", gent, "--format", "cv-text"], dir, code: 5, saying: "may not export case data")
    try fails(["audit"], dir, code: 5, saying: "may not read the journal")

    // An unknown login is told how to be added.
    let users = try String(contentsOfFile: dir.store + "/users.json", encoding: .utf8)
    try users.replacingOccurrences(of: "\"\(Self.login)\"", with: "\"somebody\"").write(toFile: dir.store + "/users.json", atomically: false, encoding: .utf8)
    try fails(["list"], dir, code: 5, saying: "\(Self.login) is not a user of this store. A coordinator adds you with `keten users add \(Self.login) --role ROLE")
  }

  @Test func journalSubjectAccessErasureAndRetention() throws {
    let dir = TempDir()
    let id = try ok(["new", "--name", "Zephyrine Quaglioni", "--centre", "Gent"], dir)
    let keep = try ok(["new", "--name", "Someone Else"], dir)
    _ = try ok(["edit", id, "--set", "person.phone=+32 470 11 22 33"], dir)
    _ = try ok(["show", id], dir)
    _ = try ok(["consent", id, "--to", "VDAB", "--purpose", "job-matching", "--given", "2026-01-05", "--how", "signed"], dir)
    _ = try ok(["export", id, "--format", "share", "--to", "VDAB", "--purpose", "job-matching", "-o", dir.path + "/share.json"], dir)
    _ = try ok(["consent", id, "--withdraw", "c1", "--on", "2026-02-01"], dir)
    try fails(["export", id, "--format", "share", "--to", "VDAB", "--purpose", "job-matching"], dir, code: 4, saying: "(it was withdrawn)")

    let audit = try ok(["audit", "--case", id], dir)
    let actions = audit.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
    #expect(actions == ["create", "change", "open", "change", "share", "change"])
    #expect(audit.contains("person.phone") && audit.contains("consents[0].withdrawnOn"))
    #expect(!audit.contains("470 11 22 33") && !audit.contains("Zephyrine"))
    #expect(try ok(["audit", "--user", "nobody"], dir) == "No journal entries match.")
    #expect(try ok(["audit", "--from", "2999-01-01"], dir) == "No journal entries match.")
    try fails(["audit", "--from", "2026-02-30"], dir, saying: "--from '2026-02-30' does not exist")
    try fails(["audit", "--case", "../etc"], dir, saying: "not a valid case id")

    try fails(["export", id, "--format", "subject-access"], dir, code: 64, saying: "needs --output BASE")
    _ = try ok(["export", id, "--format", "subject-access", "-o", dir.path + "/sar"], dir)
    let text = try String(contentsOfFile: dir.path + "/sar.txt", encoding: .utf8)
    #expect(text.contains("person.fullName: Zephyrine Quaglioni") && text.contains("Consents") && text.contains("withdrawnOn: 2026-02-01"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/sar.json"))) as! [String: Any]
    #expect((json["journal"] as! [Any]).count == 6)
    for file in ["/sar.txt", "/sar.json"] {
      #expect((try FileManager.default.attributesOfItem(atPath: dir.path + file)[.posixPermissions] as! Int) == 0o600)
    }

    _ = try ok(["delete", id], dir)
    try fails(["erase", id, "--reason", "Quaglioni asked"], dir, saying: "it holds the person's name")
    let erased = try ok(["erase", id, "--reason", "art. 17 request of 2026-11-20"], dir)
    #expect(erased.contains("tell them of the erasure") && erased.contains("VDAB"))
    let grep = Process()
    grep.executableURL = URL(fileURLWithPath: "/bin/grep")
    grep.arguments = ["-rlai", "quaglioni", dir.store]
    let out = Pipe()
    grep.standardOutput = out
    try grep.run()
    let found = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    grep.waitUntilExit()
    #expect(grep.terminationStatus == 1, "still in the store: \(found)")
    #expect(try ok(["audit", "--case", id], dir).contains("erase    \(id)  art. 17 request of 2026-11-20"))
    try fails(["erase", id, "--reason", "again please"], dir, saying: "No case \(id) in this store")

    _ = try ok(["edit", keep, "--set", "closed.on=2023-06-01", "--set", "closed.reason=moved away"], dir)
    let retention = try ok(["retention"], dir)
    #expect(retention.contains("\(keep)  Someone Else  closed 2023-06-01"))
    #expect(try ok(["retention", "--months", "240"], dir).contains(": 0."))
    try fails(["retention", "--months", "0"], dir, saying: "--months 0 is not from 1 to 240.")
  }

  @Test func csvIsSafeAgainstFormulas() throws {
    let dir = TempDir()
    _ = try ok(["new", "--name", "=HYPERLINK(\"http://evil\",\"x\")", "--centre", "+Gent"], dir)
    _ = try ok(["new", "--name", "@SUM(1,2)", "--centre=-1"], dir)
    let csv = try Keten.run(["list", "--csv"], store: dir.store).stdout
    #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""))
    #expect(csv.contains("\"'+Gent\"") && csv.contains("\"'@SUM(1,2)\"") && csv.contains("\"'-1\""))
    // No cell a spreadsheet would run: after parsing, none starts with a formula character.
    let parsed = try Python.run(
      "import csv, sys, json; print(json.dumps([c for r in csv.reader(sys.stdin) for c in r]))", input: csv)
    let cells = try JSONDecoder().decode([String].self, from: Data(parsed.utf8))
    for cell in cells { #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell)") }
    #expect(cells.contains("'=HYPERLINK(\"http://evil\",\"x\")"))
    #expect(try ok(["audit"], dir).contains("case list as CSV (2 cases)"))
  }
}
