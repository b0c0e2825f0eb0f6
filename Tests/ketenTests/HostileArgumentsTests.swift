import Foundation
import Testing

/// Every command's arguments tried with bad values on the real binary: each refusal is one
/// line on stderr, starting `keten:` and naming what is wrong, with a non-zero exit and no crash.
@Suite struct HostileArgumentsTests {
  @Test func everyCommandRefusesBadValuesInOneLine() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Amal Yousef", "--gender", "female"], dir)
    let g = try ok(["training", "create", "--name", "VOORwerk", "--centre", "Gent", "--language", "nl", "--day", "2026-12-01"], dir)
    let m = try ok(["mentoring", "add-mentor", "--name", "Hilde Claes", "--login", "hilde"], dir)
    let e = try ok(["employers", "add", "--name", "Colruyt"], dir)
    let f = try ok(["fairs", "create", "--name", "Jobbeurs", "--on", "2026-10-20"], dir)
    _ = try ok(["hire", a, "--set", "employerName=Bakkerij", "--set", "job=Baker", "--set", "start=2026-11-02", "--set", "contract=fixed-term"], dir)
    let b = try ok(["new", "--name", "Bashir Noori"], dir)
    _ = try ok(["training", "add", g, b], dir)
    _ = try ok(["fairs", "register", f, b], dir)
    let before = try ok(["show", a, "--json"], dir)
    let long = String(repeating: "x", count: 5_000)
    let rows: [([String], String)] = [
      (["new"], "Missing expected argument '--name"),
      (["new", "--name", "X", "--born", "1990-02-30"], "'1990-02-30' does not exist"),
      (["new", "--name", "X", "--gender", "robot"], "'robot' is not allowed; choose one of female, male, x, unspecified"),
      (["new", "--name", "", "--centre", "Gent"], "person.fullName: this field is required"),
      (["new", "--name", "X", "--worker", "two words"], "is not a login name"),
      (["new", "--name", "X", "--bogus"], "Unknown option '--bogus'"),
      (["list", "--stage", "flying"], "'flying' is not a stage"),
      (["list", "--json", "--csv"], "Choose --json or --csv"),
      (["show", "K-2026-9999"], "No case K-2026-9999 in this store"),
      (["show", "../../etc/passwd"], "not a valid case id"),
      (["show", long], "case id"),
      (["edit", a], "Give at least one --set"),
      (["edit", a, "--set", "nonsense"], "'nonsense' is not PATH=VALUE"),
      (["edit", a, "--set", "person.shoeSize=42"], "no such field; valid fields are"),
      (["edit", a, "--set", "person.phone=call me\nmaybe"], "person.phone: it holds a control character"),
      (["edit", a, "--set", "person.phone=call me"], "is not a phone number"),
      (["edit", a, "--set", "procedure.applicationDate=2999-01-01"], "is in the future"),
      (["edit", a, "--set", "closed.reason=x"], "the case is open"),
      (["edit", a, "--set", "person.fullName=X", "--if-revision", "1"], "after you opened revision 1"),
      (["edit", a, "--set", "person.fullName=X", "--if-revision", "abc"], "'abc' is invalid for '--if-revision"),
      (["delete", "K-2026-9999"], "No case K-2026-9999"),
      (["restore", a], "is not in the trash"),
      (["export", a, "--format", "pdf"], "'pdf' is invalid for '--format"),
      (["export", a, "--format", "share"], "--format share needs --to RECIPIENT and --purpose PURPOSE"),
      (["export", a, "--format", "cv-text", "--lang", "klingon"], "--lang 'klingon' is not supported; use nl or en"),
      (["export", a, "--format", "cv-text", "-o", "/nonexistent/dir/cv.txt"], "Could not find the folder of cv.txt"),
      (["consent", a, "--to", "VDAB"], "give --to, --purpose, --given and --how"),
      (["consent", a, "--to", "VDAB", "--purpose", "p", "--given", "2026-01-01", "--how", "telepathy"], "--how 'telepathy' is not allowed"),
      (["consent", a, "--withdraw", "c9"], "has no consent 'c9'"),
      (["demo", "--cases", "0"], "--cases must be between 1 and 1000000"),
      (["demo", "--as-of", "soon"], "--as-of 'soon' is not written as a date"),
      (["training", "create", "--name", "G", "--centre", "C", "--language", "nl", "--day", "2026-12-01", "--capacity", "0"], "capacity"),
      (["training", "add", g, "K-2026-9999"], "K-2026-9999"),
      (["training", "attend", g, "m9", "\(a)=present"], "m9"),
      (["training", "attend", g, "m1", "\(b)=maybe"], "maybe"),
      (["training", "show", "G-2026-9999"], "No training group G-2026-9999"),
      (["mentoring", "add-mentor", "--name", "X", "--login", "hilde"], "login: hilde is already mentor"),
      (["mentoring", "edit-mentor", m, "--set", "maxMentees=-3"], "maxMentees"),
      (["mentoring", "pair", a, "M-2026-9999", "--goal", "job-search"], "M-2026-9999"),
      (["mentoring", "pair", a, m, "--goal", "job-search", "--set", "frequencyDays=0"], "frequencyDays"),
      (["mentoring", "checkin", a], "No mentee \(a)"),
      (["employers", "edit", e, "--set", "phone=abc"], "'abc' is not a phone number"),
      (["employers", "edit", "E-2026-9999", "--set", "name=x"], "No employer E-2026-9999"),
      (["openings", "add", e, "--title", "T", "--profile", "astronaut", "--start", "2026-12-01"], "'astronaut' is not a job profile"),
      (["openings", "add", e, "--title", "T", "--profile", "cook", "--start", "01-12-2026"], "'01-12-2026' is not written as a date"),
      (["match", "K-2026-9999"], "No case K-2026-9999"),
      (["internship", "add", a, "--set", "from=2026-13-01"], "'2026-13-01' does not exist"),
      (["fairs", "create", "--name", "F", "--on", "2026-02-30"], "'2026-02-30' does not exist"),
      (["fairs", "register", f, "K-2026-9999"], "K-2026-9999"),
      (["fairs", "result", f, b, "--set", "interviews=-1"], "interviews"),
      (["hire", a, "--set", "employerName=X", "--set", "job=x"], "without a six-month outcome"),
      (["followup", "log", a, "manager@99w"], "manager@99w is not a meeting of h1"),
      (["followup", "log", a, "manager@1w", "--set", "risk=extreme"], "'extreme' is not allowed"),
      (["followup", "reschedule", a, "manager@1w", "--to", "never", "--reason", "x"], "'never' is not written as a date"),
      (["followup", "outcome", a, "--status", "vanished"], "vanished"),
      (["agenda", "--days", "0"], "--days"),
      (["agenda", "--from", "2026-02-30"], "--from '2026-02-30' does not exist"),
      (["users", "add", "x", "--role", "king"], "'king' is not a role"),
      (["users", "set", "nobody", "--role", "trainer"], "nobody is not a user of this store"),
      (["users", "set", "nobody"], "Give --role and/or --centre"),
      (["audit", "--from", "2026-12-01", "--to", "2026-11-01"], "--from 2026-12-01 is after --to 2026-11-01"),
      (["erase", a, "--reason", "x"], "reason: write at least 5 characters"),
      (["erase", a, "--reason", "Amal asked"], "it holds the person's name"),
      (["retention", "--months", "999"], "--months 999 is not from 1 to 240"),
      (["nonsense-command"], "Unexpected argument 'nonsense-command'"),
    ]
    for (args, expected) in rows {
      let r = try Keten.run(args, store: dir.store)
      let line = "keten \(args.joined(separator: " ").prefix(80))"
      #expect(r.code != 0 && r.code < 128, "\(line) exited \(r.code)")
      let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
      #expect(lines.count == 1, "\(line): \(r.stderr.prefix(400))")
      #expect(r.stderr.hasPrefix("keten: "), "\(line): \(r.stderr.prefix(200))")
      #expect(r.stderr.contains(expected), "\(line): expected '\(expected)', got \(r.stderr.prefix(300))")
      #expect(r.stderr.count < 600, "\(line): \(r.stderr.count) characters")
    }
    // Nothing of that changed the case.
    #expect(try ok(["show", a, "--json"], dir) == before)
  }
}
