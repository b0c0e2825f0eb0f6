import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

/// `keten consent` and `keten export`: the CV formats, and sharing only with a consent.
@Suite struct ShareTests {
  /// A store with one case whose phase 1 is partly filled in.
  func storeWithScreenedCase() throws -> (TempDir, String) {
    let dir = TempDir()
    let store = try Store(root: dir.store, rules: ChainRules())
    var d = CaseDocument(
      id: CaseID(year: 2026, number: 0),
      person: Person(fullName: "<script>alert(1)</script> Dawit Tekle", gender: .male, nationality: "Eritrea"),
      createdBy: "tester")
    var w = WorkEntry()
    w.occupation = "welder"
    w.sector = "construction"
    w.country = "Eritrea"
    w.fromYear = 2012
    w.toYear = 2019
    w.employment = .employed
    d.screening.factual.work = [w]
    d.screening.factual.motherTongues = ["Tigrinya"]
    d.screening.factual.hardCriteria = ["medical-treatment": true]
    d.screening.factual.softCriteria = ["network": "Brother in Leuven"]
    let created = try store.create(d, by: "tester")
    return (dir, created.id.rawValue)
  }

  func document(_ id: String, _ dir: TempDir) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir.store + "/cases/\(id).json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  @Test func shareIsRefusedWithoutConsentAndNothingIsWritten() throws {
    let (dir, id) = try storeWithScreenedCase()
    let out = dir.path + "/share.json"
    let refused = try Keten.run(["export", id, "--format", "share", "--to", "VDAB", "--purpose", "job matching", "-o", out], store: dir.store)
    #expect(refused.code == 4)
    #expect(refused.stderr.contains("holds no active consent to share with 'VDAB' for 'job matching'; nothing was written."))
    #expect(refused.stderr.contains("keten consent \(id) --to RECIPIENT"))
    #expect(!refused.stderr.contains("Dawit"))
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try document(id, dir)["disclosures"] == nil)
    let missing = try Keten.run(["export", id, "--format", "share"], store: dir.store)
    #expect(missing.code != 0 && missing.stderr.contains("--format share needs --to RECIPIENT and --purpose PURPOSE."))
  }

  @Test func consentIsRecordedValidatedAndWithdrawn() throws {
    let (dir, id) = try storeWithScreenedCase()
    let verbal = try Keten.run(["consent", id, "--to", "VDAB", "--purpose", "job matching", "--given", "2026-10-01", "--how", "verbal-with-witness"], store: dir.store)
    #expect(verbal.code == 1 && verbal.stderr.contains("consents[0].witness: a verbal consent needs the name of its witness."))
    let badDate = try Keten.run(["consent", id, "--to", "VDAB", "--purpose", "x", "--given", "2026-02-30", "--how", "signed"], store: dir.store)
    #expect(badDate.stderr.contains("--given '2026-02-30' does not exist; check the day and the month (YYYY-MM-DD)"))
    let badHow = try Keten.run(["consent", id, "--to", "VDAB", "--purpose", "x", "--given", "2026-02-03", "--how", "nod"], store: dir.store)
    #expect(badHow.stderr.contains("--how 'nod' is not allowed; use signed or verbal-with-witness."))
    let signed = try Keten.run(["consent", id, "--to", "VDAB", "--purpose", "job matching", "--given", "2026-10-01", "--how", "signed"], store: dir.store)
    #expect(signed.code == 0, "\(signed.stderr)")
    #expect(signed.stdout.contains("c1  VDAB / job matching  given 2026-10-01 (signed)"))

    let out = dir.path + "/share.json"
    let share = try Keten.run(["export", id, "--format", "share", "--to", "vdab", "--purpose", "Job matching", "--lang", "en", "-o", out], store: dir.store)
    #expect(share.code == 0, "\(share.stderr)")
    var st = stat()
    #expect(stat(out, &st) == 0 && st.st_mode & 0o777 == 0o600)
    let json = try String(contentsOfFile: out, encoding: .utf8)
    #expect(json.contains("\"profile\" : \"welder\""))
    #expect(json.contains("Welder"))
    // Placement criteria and the network answer stay in the case.
    #expect(!json.contains("medical") && !json.contains("Brother in Leuven"))
    let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Resources/schema/screening-summary.schema.json").path
    let verdict = try Python.run(
      """
      import sys, json, jsonschema
      schema = json.load(open(sys.argv[1]))
      jsonschema.Draft202012Validator.check_schema(schema)
      errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)))
      print("ok" if not errors else "\\n".join(e.message for e in errors))
      """, input: json, arguments: [schema])
    #expect(verdict == "ok\n")

    let disclosures = try document(id, dir)["disclosures"] as! [[String: Any]]
    #expect(disclosures.count == 1)
    #expect(disclosures[0]["recipient"] as? String == "VDAB")
    #expect(disclosures[0]["consent"] as? String == "c1")
    #expect(disclosures[0]["by"] as? String == CurrentLogin.name)
    #expect((disclosures[0]["what"] as? String)?.hasPrefix("screening-summary+cv-text") == true)

    let withdraw = try Keten.run(["consent", id, "--withdraw", "c1", "--on", "2026-11-01"], store: dir.store)
    #expect(withdraw.code == 0 && withdraw.stdout.contains("withdrawn 2026-11-01"))
    let again = try Keten.run(["export", id, "--format", "share", "--to", "VDAB", "--purpose", "job matching"], store: dir.store)
    #expect(again.code == 4 && again.stderr.contains("(it was withdrawn)"))
    let unknown = try Keten.run(["consent", id, "--withdraw", "c9"], store: dir.store)
    #expect(unknown.stderr.contains("has no consent 'c9'; its consents are c1."))
    #expect(try (document(id, dir)["disclosures"] as! [[String: Any]]).count == 1)
  }

  @Test func cvExportsAreEscapedPrivateAndLogged() throws {
    let (dir, id) = try storeWithScreenedCase()
    let out = dir.path + "/cv.html"
    let html = try Keten.run(["export", id, "--format", "cv-html", "--lang", "nl", "-o", out], store: dir.store)
    #expect(html.code == 0, "\(html.stderr)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Dawit Tekle"))
    #expect(!text.contains("<script>"))
    #expect(text.contains("Lasser"))
    var st = stat()
    #expect(stat(out, &st) == 0 && st.st_mode & 0o777 == 0o600)
    let stdout = try Keten.run(["export", id, "--format", "cv-text", "--lang", "en"], store: dir.store)
    #expect(stdout.stdout.contains("WORK EXPERIENCE") && stdout.stdout.contains("Welder"))
    let disclosures = try document(id, dir)["disclosures"] as! [[String: Any]]
    #expect(disclosures.map { $0["what"] as? String } == ["cv-html (nl)", "cv-text (en)"])
    #expect(disclosures.allSatisfy { $0["recipient"] as? String == "self" && $0["consent"] == nil })
    let bad = try Keten.run(["export", id, "--format", "pdf"], store: dir.store)
    #expect(bad.code != 0 && bad.stderr.contains("cv-text"))
    let noFolder = try Keten.run(["export", id, "--format", "cv-md", "-o", dir.path + "/missing/cv.md"], store: dir.store)
    #expect(noFolder.code != 0 && noFolder.stderr.contains("cv.md"))
  }
}

enum CurrentLogin {
  static var name: String {
    if let pw = getpwuid(geteuid()), let n = pw.pointee.pw_name { return String(cString: n) }
    return ProcessInfo.processInfo.environment["USER"] ?? ""
  }
}
