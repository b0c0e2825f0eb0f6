import Foundation
import TestSupport
import Testing

@Suite struct ReportCLITests {
  @Test func eachUserCountsOnlyTheCasesTheyMaySee() throws {
    let dir = TempDir()
    _ = try ok(["new", "--name", "Amal", "--gender", "female", "--centre", "Gent"], dir)
    _ = try ok(["new", "--name", "Bashir", "--gender", "male", "--centre", "Antwerpen", "--worker", "someone"], dir)
    _ = try ok(["users", "add", "boss", "--role", "coordinator"], dir)
    let all = try ok(["report", "--lang", "en"], dir)
    #expect(all.contains("2 cases open in the period"), "\(all)")
    #expect(all.contains("Cases") && all.contains("f 1 · m 1 · x 0 · ? 0"))
    try PrivacyCLITests.setRole("case-worker", centre: "Gent", dir)
    let mine = try ok(["report", "--lang", "en"], dir)
    #expect(mine.contains("1 cases open in the period") && mine.contains("f 1 · m 0"), "\(mine)")
    try fails(["report", "--from", "2026-12-01", "--to", "2026-01-01"], dir, saying: "--from 2026-12-01 is after --to 2026-01-01")
    try fails(["report", "--from", "2026-02-30"], dir, saying: "--from '2026-02-30' does not exist")

    // CSV: masked small counts, nothing a spreadsheet would run, and journalled.
    _ = try ok(["report", "--csv", "-o", dir.path + "/report.csv"], dir)
    let csv = try String(contentsOfFile: dir.path + "/report.csv", encoding: .utf8)
    let parsed = try Python.run(
      "import csv, sys, json; print(json.dumps([r for r in csv.reader(sys.stdin)]))", input: csv)
    let rows = try JSONDecoder().decode([[String]].self, from: Data(parsed.utf8))
    #expect(rows.first == ["section", "figure", "label", "group", "n", "of", "percent", "median days", "hours logged", "hours planned"])
    #expect(rows.contains(["funnel", "cases", "Cases", "all", "<5", "", "", "", "", ""]))
    for cell in rows.joined() { #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell)") }
    #expect((try FileManager.default.attributesOfItem(atPath: dir.path + "/report.csv")[.posixPermissions] as! Int) == 0o600)
    try PrivacyCLITests.setRole("coordinator", dir)
    #expect(try ok(["audit"], dir).contains("as CSV (1 cases)"))
  }
}
