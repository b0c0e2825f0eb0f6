import Foundation
import Testing

/// Names instead of codes on the command line: languages typed by name are stored as ISO 639
/// codes, `show` names them (in the chosen language with `--lang`), and `list --stage` leaves
/// closed cases out like the app does.
@Suite struct NamesCLITests {
  @Test func languagesAreTypedByNameAndStoredAsCodes() throws {
    let dir = TempDir()
    let a = try ok(["new", "--name", "Amal Yousef", "--gender", "female"], dir)
    _ = try ok(["edit", a, "--set", "person.languages=Arabisch, english, ትግርኛ, prs"], dir)
    let json = try ok(["show", a, "--json"], dir)
    let compact = json.filter { $0 != " " && $0 != "\n" }
    #expect(compact.contains(#""languages":["ar","en","ti","prs"]"#))
    #expect(try ok(["show", a], dir).contains("Arabic, English, Tigrinya, Dari"))
    let dutch = try ok(["show", a, "--lang", "nl"], dir)
    #expect(dutch.contains("Talen                 Arabisch, Engels, Tigrinya, Dari"))
    #expect(dutch.contains("Geslacht              vrouw"))
    try fails(["edit", a, "--set", "person.languages=Arabisch, Klingon"], dir,
      saying: "'Klingon' is not a known language; write its name (Arabic, Arabisch) or its ISO 639 code (ar)")
    try fails(["edit", a, "--set", "person.phone=0470/12.34.56"], dir, saying: "is not a phone number")
  }

  @Test func listByStageLeavesClosedCasesOutUnlessAsked() throws {
    let dir = TempDir()
    let open = try ok(["new", "--name", "Open Case"], dir)
    let closed = try ok(["new", "--name", "Closed Case"], dir)
    _ = try ok(["edit", closed, "--set", "closed.on=2026-11-01", "--set", "closed.reason=moved"], dir)
    let byStage = try ok(["list", "--stage", "screening"], dir)
    #expect(byStage.contains(open) && !byStage.contains(closed))
    let withClosed = try ok(["list", "--stage", "screening", "--closed"], dir)
    #expect(withClosed.contains(closed))
  }
}
