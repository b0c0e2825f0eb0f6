import Foundation
import Testing

/// `keten training` and `keten mentoring` on the real binary, including the mentor's boundary.
@Suite struct BridgingCLITests {
  static var login: String { String(cString: getpwuid(geteuid())!.pointee.pw_name) }

  func newCase(_ name: String, gender: String, born: String, _ dir: TempDir) throws -> String {
    try ok(["new", "--name", name, "--gender", gender, "--born", born], dir)
  }

  @Test func aGroupFromTheCommandLine() throws {
    let dir = TempDir()
    let a = try newCase("Amal Yousef", gender: "female", born: "1996-03-01", dir)
    let b = try newCase("Bashir Noori", gender: "male", born: "1990-07-12", dir)
    let g = try ok([
      "training", "create", "--name", "VOORwerk test", "--centre", "Gent", "--language", "Engels",
      "--interpreter", "Samira (ar fa)", "--day", "2026-11-02", "--day", "2026-11-04", "--day", "2026-11-06", "--capacity", "2",
    ], dir)
    #expect(g.hasPrefix("G-"))
    _ = try ok(["training", "add", g, a, b], dir)
    let c = try newCase("Chen Li", gender: "x", born: "2000-01-01", dir)
    try fails(["training", "add", g, c], dir, saying: "is full (2 places)")
    try fails(["training", "attend", g, "m9", "\(a)=present"], dir, saying: "'m9' is not a module; modules are m1, m2, m3, m4, m5.")
    try fails(["training", "attend", g, "m1", "\(a)=late"], dir, saying: "'late' is not an attendance; use present, absent or excused.")
    try fails(["training", "attend", g, "m1", "\(c)=present"], dir, saying: "\(c) is not in \(g)")
    // Attendance waits until the module is given; given off the group's days needs --off-day.
    try fails(["training", "attend", g, "m1", "\(a)=present"], dir, saying: "module m1 has not been given yet")
    try fails(["training", "deliver", g, "m1", "--on", "2026-11-03"], dir, saying: "m1 is planned for 2026-11-02, not 2026-11-03; if it was given then, add --off-day.")
    _ = try ok(["training", "deliver", g, "m1", "--on", "2026-11-02"], dir)
    _ = try ok(["training", "deliver", g, "m2", "--on", "2026-11-03", "--off-day"], dir)
    _ = try ok(["training", "attend", g, "m1", "\(a)=present", "\(b)=absent"], dir)
    _ = try ok(["training", "attend", g, "m2", "\(a)=present", "\(b)=present"], dir)
    _ = try ok(["training", "note", g, "m1", a, "Helped others translate"], dir)
    let answers = ["worked-in-team", "applied-for-job", "names-strengths", "plans-week", "knows-workplace", "training-language"]
    try fails(["training", "entry-test", g, a, "--answer", "worked-in-team=3"], dir, saying: "Answers are missing for applied-for-job")
    try fails(["training", "entry-test", g, a, "--answer", "worked-in-team=4"], dir, saying: "give a number from 1 to 3")
    let level = try ok(["training", "entry-test", g, a] + answers.flatMap { ["--answer", "\($0)=3"] }, dir)
    #expect(level.hasSuffix("entry test 12 points, recommended level advanced"))
    _ = try ok(["training", "entry-test", g, b] + answers.flatMap { ["--answer", "\($0)=1"] }, dir)
    _ = try ok(["training", "practice", g, a, "--internship", "Bakkerij Smets", "--from", "2026-11-20", "--to", "2026-12-18", "--contacted", "OCMW"], dir)
    try fails(["training", "practice", g, b, "--from", "2026-11-20"], dir, saying: "give the internship's organisation first")
    try fails(["training", "practice", g, a, "--to", "2026-11-01"], dir, saying: "is before the start 2026-11-20")
    _ = try ok(["training", "evaluate", g, a, "--confidence", "5", "--labour-market", "3", "--communication", "4", "--initiative", "4",
                "--organisation", "4", "--responsibility", "5", "--level", "right"], dir)
    _ = try ok(["training", "evaluate", g, b, "--confidence", "3", "--labour-market", "2", "--communication", "3", "--initiative", "2",
                "--organisation", "3", "--responsibility", "4", "--level", "too-high"], dir)
    try fails(["training", "evaluate", g, b, "--confidence", "6", "--labour-market", "2", "--communication", "3", "--initiative", "2",
               "--organisation", "3", "--responsibility", "4", "--level", "right"], dir, saying: "'6' is not a whole number from 1 to 5")
    let show = try ok(["training", "show", g], dir)
    #expect(show.contains("WARNING: the levels are far apart"))
    #expect(show.contains("Amal Yousef"))
    #expect(show.contains("PP...  entry advanced  evaluated  internship Bakkerij Smets"))
    #expect(show.contains("AP...  entry basic  evaluated\n"))
    let report = try ok(["training", "report", g, "--lang", "en"], dir)
    // m1: 1 of 2 present (50 %); m2: 2 of 2; the evaluation split: one woman, one man.
    #expect(report.contains(" 50 %  1 of 2 present · 1 absent · 0 excused"))
    #expect(report.contains("100 %  2 of 2 present"))
    #expect(report.contains("all n=2"))
    #expect(report.contains("female n=1"))
    #expect(report.contains("male n=1"))
    #expect(report.contains("Confidence in looking for a job  4.0"))
    #expect(try ok(["training", "groups"], dir).contains("2/2  standard  modules 2/5"))
    // The case's data never went into the group file: only ids.
    let file = try String(contentsOfFile: dir.store + "/groups/\(g).json", encoding: .utf8)
    #expect(!file.contains("Amal"))
  }

  @Test func mentoringFromRegistryToOutcomeAndTheMentorsBoundary() throws {
    let dir = TempDir()
    let amal = try newCase("Amal Yousef", gender: "female", born: "1996-03-01", dir)
    let bashir = try newCase("Bashir Noori", gender: "male", born: "1990-07-12", dir)
    _ = try ok(["edit", amal, "--set", "person.languages=ar, fr", "--note", "SECRET-NOTE about her file"], dir)
    let hilde = try ok(["mentoring", "add-mentor", "--name", "Hilde Claes", "--login", "hilde", "--set", "ageBand=50-59",
                        "--set", "gender=female", "--set", "languages=nl, ar", "--set", "sameGenderOnly=yes", "--set", "maxMentees=1"], dir)
    let koen = try ok(["mentoring", "add-mentor", "--name", "Koen Wouters", "--login", "koen", "--set", "ageBand=30-39",
                       "--set", "gender=male", "--set", "languages=nl, fr", "--set", "maxMentees=2"], dir)
    try fails(["mentoring", "add-mentor", "--name", "Dup", "--login", "hilde"], dir, saying: "login: hilde is already mentor \(hilde).")
    try fails(["mentoring", "add-mentor", "--name", "Bad", "--login", "no spaces"], dir, saying: "'no spaces' is not a login name")
    try fails(["mentoring", "add-mentor", "--name", "Bad", "--login", "bad", "--set", "sector=space"], dir, saying: "'space' is not a sector")
    let suggest = try ok(["mentoring", "suggest", amal], dir).split(separator: "\n")
    #expect(suggest.first?.contains(hilde) == true, "\(suggest)")
    #expect(try ok(["mentoring", "suggest", bashir], dir).contains("not offered: \(hilde)  Hilde Claes  (gender-preference)"))
    try fails(["mentoring", "pair", bashir, hilde, "--goal", "job-search"], dir, saying: "mentors only their own gender")
    try fails(["mentoring", "pair", amal, hilde], dir, saying: "Give at least one --goal")
    // Below the programme (DUO for a JOB: 2 hours a week for 6 months) only with a reason.
    try fails(["mentoring", "pair", amal, hilde, "--goal", "job-search", "--set", "minutesPerMeeting=30"], dir,
      saying: "The pair plans 30 minutes a week for 6 months, less than the programme; say why (belowReason). Add --set belowReason=….")
    _ = try ok(["mentoring", "pair", amal, hilde, "--goal", "job-search", "--goal", "language", "--start", "2026-11-01"], dir)
    let c = try newCase("Chen Li", gender: "female", born: "2000-01-01", dir)
    try fails(["mentoring", "pair", c, hilde, "--goal", "job-search"], dir, saying: "has no free place")
    _ = try ok(["mentoring", "pair", bashir, koen, "--goal", "network", "--start", "2026-11-01"], dir)
    try fails(["mentoring", "checkin", amal, "--progress", "network=3"], dir, saying: "network is not a goal of this pair")
    try fails(["mentoring", "checkin", amal, "--channel", "pigeon"], dir, saying: "'pigeon' is not allowed")
    try fails(["mentoring", "checkin", amal, "--on", "2026-10-01"], dir, saying: "it is before the pair's start on 2026-11-01")
    let logged = try ok(["mentoring", "checkin", amal, "--minutes", "90", "--goal", "language", "--progress", "language=2",
                         "--concern", "Seems very tired"], dir)
    #expect(logged.contains("The concern is flagged to the case worker."))
    #expect(try ok(["list"], dir).contains("mentor's concern"))  // what is due, in words
    let pairs = try ok(["mentoring", "pairs", "--sort", "mentee"], dir)
    #expect(pairs.contains("Amal Yousef") && pairs.contains("CONCERN"))
    _ = try ok(["mentoring", "concern", amal, "--handled", "--note", "Referred to the nurse"], dir)
    try fails(["mentoring", "close", bashir, "--outcome", "stopped-early", "--review", "Short."], dir, saying: "closure.reason: this field is required.")
    _ = try ok(["mentoring", "close", bashir, "--outcome", "job", "--review", "Hired as a warehouse worker."], dir)
    let report = try ok(["mentoring", "report", "--lang", "en"], dir)
    #expect(report.contains("Open pairs: 1"))
    #expect(report.contains("100 %  this centre"))

    // Now the person running the tests becomes Hilde: a mentor sees her mentee, and only so much.
    _ = try ok(["mentoring", "edit-mentor", hilde, "--set", "login=\(Self.login)"], dir)
    try fails(["users", "set", Self.login, "--role", "mentor"], dir, saying: "must keep at least one coordinator")
    // A change prints the change, one line, not every user of the store.
    #expect(try ok(["users", "add", "boss", "--role", "coordinator"], dir).hasPrefix("Users: added boss as coordinator."))
    _ = try ok(["users", "set", Self.login, "--role", "mentor"], dir)
    try fails(["list"], dir, code: 5, saying: "is registered as a mentor and sees only their own mentees")
    try fails(["show", amal], dir, code: 5, saying: "sees only their own mentees")
    try fails(["mentoring", "pairs"], dir, code: 5, saying: "sees only their own mentees")
    let json = try ok(["mentoring", "mentees", "--json"], dir)
    let views = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    #expect(views.count == 1)
    // The plan's actions assigned to the mentor, nothing else of it (none here).
    #expect(Set(views[0].keys) == ["caseID", "fullName", "languages", "pair", "actions"])
    #expect(!json.contains("SECRET") && !json.contains("Referred to the nurse") && !json.contains("Bashir"))
    // Today's meeting is logged already (above): a second for the same day is a double entry.
    try fails(["mentoring", "checkin", amal, "--minutes", "60"], dir, saying: "a pair logs one check-in a day")
    _ = try ok(["mentoring", "checkin", amal, "--minutes", "60", "--on", yesterday()], dir)
    try fails(["mentoring", "checkin", bashir], dir, saying: "No mentee \(bashir) in this store.")
  }

  /// One definition of an overdue pair: the pairs list, the mentoring report and the chain report
  /// count the same pairs on the demo (they once differed on pairs at exactly ten days).
  @Test func thePairsListAndBothReportsCountTheSameOverduePairs() throws {
    let dir = TempDir()
    _ = try ok(["demo", "--cases", "300", "--seed", "11"], dir)
    let listed = try ok(["mentoring", "pairs"], dir).split(separator: "\n").filter { $0.contains("OVERDUE") }.count
    let mentoring = try ok(["mentoring", "report", "--lang", "en"], dir)
    let chain = try ok(["report", "--lang", "en"], dir)
    #expect(listed > 0)
    #expect(mentoring.contains("of which overdue: \(listed)"), "\(listed) listed; \(mentoring)")
    let line = chain.split(separator: "\n").first { $0.contains("Open pairs overdue now") } ?? ""
    #expect(line.contains("(\(listed) of "), "\(listed) listed; \(line)")
  }
}

/// Yesterday's date as YYYY-MM-DD, by the machine's calendar (as `keten` reads --on).
private func yesterday() -> String {
  let formatter = DateFormatter()
  formatter.calendar = Calendar(identifier: .gregorian)
  formatter.locale = Locale(identifier: "en_US_POSIX")
  formatter.dateFormat = "yyyy-MM-dd"
  return formatter.string(from: Date().addingTimeInterval(-86_400))
}
