import CaseStore
import Foundation
import Testing

@Suite struct CLITests {
  @Test func newListShowEditRoundTrip() throws {
    let dir = TempDir()
    let new = try Keten.run(
      ["new", "--name", "Hévé Özdemir", "--born", "1990-02-03", "--gender", "female", "--centre", "Gent"],
      store: dir.store)
    #expect(new.code == 0)
    let id = new.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(id.hasPrefix("K-"))
    let list = try Keten.run(["list", "--search", "HEVE"], store: dir.store)
    #expect(list.stdout.contains(id) && list.stdout.contains("Hévé Özdemir"))
    #expect(try Keten.run(["list", "--search", "nobody"], store: dir.store).stdout.isEmpty)

    let edit = try Keten.run(
      ["edit", id, "--set", "procedure.applicationDate=2026-01-31", "--set", "stages=screening,bridging", "--note", "Eerste gesprek", "--if-revision", "1"],
      store: dir.store)
    #expect(edit.code == 0, "\(edit.stderr)")
    let json = try Keten.run(["show", id, "--json"], store: dir.store)
    let onDisk = try Data(contentsOf: URL(fileURLWithPath: dir.store + "/cases/\(id).json"))
    #expect(json.stdoutData == onDisk)
    let tree = try JSONSerialization.jsonObject(with: onDisk) as! [String: Any]
    #expect((tree["procedure"] as! [String: Any])["workPermitDate"] as? String == "2026-05-31")
    #expect(tree["stages"] as? [String] == ["screening", "bridging"])
    #expect(((tree["notes"] as! [[String: Any]])[0])["text"] as? String == "Eerste gesprek")

    let text = try Keten.run(["show", id], store: dir.store)
    #expect(text.stdout.contains("Work permit from      2026-05-31 (application + 4 months)"))

    let listJSON = try Keten.run(["list", "--json", "--stage", "bridging"], store: dir.store)
    let rows = try JSONSerialization.jsonObject(with: listJSON.stdoutData) as! [[String: Any]]
    #expect(rows.map { $0["id"] as? String } == [id])
  }

  @Test func errorsAreOneSentenceOnStderrWithExitCodes() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Olena"], store: dir.store).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let cases: [([String], Int32, String)] = [
      (["edit", id, "--set", "person.dateOfBirth=2026-02-30"], 1, "does not exist; check the day and the month (YYYY-MM-DD)"),
      (["edit", id, "--set", "person.gender=woman"], 1, "choose one of female, male, x, unspecified"),
      (["edit", id, "--set", "nope=1"], 1, "valid fields are person.fullName"),
      (["edit", id, "--set", "person.phone=1234567", "--if-revision", "7"], 3, "is at revision 1 (last written by"),
      (["edit", id, "--set", "person.phone=1234567", "--if-revision", "7"], 3, "not the revision 7 your edits were based on"),
      (["show", "../../etc/passwd"], 1, "not a valid case id"),
      (["show", "K-2026-9999"], 1, "No case K-2026-9999"),
      (["restore", id], 1, "is not in the trash"),
      (["new", "--name", "X", "--born", "2999-01-01"], 1, "is in the future"),
      (["list", "--stage", "training"], 1, "choose one of screening, bridging, matching, sustaining"),
    ]
    for (args, code, message) in cases {
      let result = try Keten.run(args, store: dir.store)
      #expect(result.code == code, "\(args): exit \(result.code)")
      #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
    }
    // None of those changed the case.
    #expect(try Store(root: dir.store).load(try CaseID(id)).revision == 1)
  }

  @Test func checkExitsOneAndNamesEachDamagedFile() throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "5", "--seed", "3"], store: dir.store)
    #expect(try Keten.run(["check"], store: dir.store).code == 0)
    let bad = dir.store + "/cases/K-2026-0500.json"
    _ = FileManager.default.createFile(atPath: bad, contents: Data("{\"id\": \"K-2026-0500\",".utf8), attributes: [.posixPermissions: 0o600])
    let check = try Keten.run(["check"], store: dir.store)
    #expect(check.code == 1)
    #expect(check.stderr.contains("K-2026-0500.json: not valid JSON: unexpected end of file at line 1"))
    let list = try Keten.run(["list"], store: dir.store)
    #expect(list.code == 0)
    // One line per readable case, then the mark that the listing is incomplete.
    let lines = list.stdout.split(separator: "\n")
    #expect(lines.count == (try Store(root: dir.store).list().cases.filter { !$0.isClosed }.count) + 1)
    #expect(lines.last?.hasPrefix("INCOMPLETE: 1 damaged file(s)") == true)
    #expect(list.stderr.contains("K-2026-0500.json") && list.stderr.split(separator: "\n").count == 1)
  }

  @Test func deleteAndRestore() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Samson"], store: dir.store).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try Keten.run(["delete", id], store: dir.store).code == 0)
    #expect(try Keten.run(["list"], store: dir.store).stdout.isEmpty)
    #expect(try Keten.run(["show", id], store: dir.store).code == 1)
    #expect(try Keten.run(["restore", id], store: dir.store).code == 0)
    #expect(try Keten.run(["list"], store: dir.store).stdout.contains(id))
  }

  @Test func storeLocationComesFromFlagThenEnvironmentThenXDG() throws {
    let dir = TempDir()
    let env = ["XDG_DATA_HOME": dir.path + "/xdg", "KETEN_STORE": ""]
    #expect(try Keten.run(["new", "--name", "A"], environment: env).code == 0)
    #expect(FileManager.default.fileExists(atPath: dir.path + "/xdg/keten/cases/"))
    let viaEnv = ["KETEN_STORE": dir.path + "/env-store"]
    #expect(try Keten.run(["new", "--name", "B"], environment: viaEnv).code == 0)
    #expect(try Keten.run(["list"], environment: viaEnv).stdout.contains("B"))
    #expect(try Keten.run(["list"], store: dir.path + "/env-store", environment: env).stdout.contains("B"))
  }

  @Test func helpAndVersion() throws {
    #expect(try Keten.run(["--version"]).stdout.hasPrefix("0."))
    let help = try Keten.run(["help"])
    for command in ["new", "list", "show", "edit", "delete", "restore", "check", "demo"] {
      #expect(help.stdout.contains(command))
    }
    #expect(try Keten.run(["edit", "--help"]).stdout.contains("--if-revision"))
  }
}

@Suite struct DemoTests {
  @Test func sameSeedSameCasesAndEveryStageAndScriptIsThere() throws {
    let a = TempDir()
    let b = TempDir()
    try Keten.run(["demo", "--cases", "200", "--seed", "7", "--as-of", "2026-11-01"], store: a.store)
    try Keten.run(["demo", "--cases", "200", "--seed", "7", "--as-of", "2026-11-01"], store: b.store)
    let files = try FileManager.default.contentsOfDirectory(atPath: a.store + "/cases").sorted()
    #expect(files.count == 200)
    #expect(files == (try FileManager.default.contentsOfDirectory(atPath: b.store + "/cases").sorted()))
    for file in files {
      func text(_ dir: TempDir) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.store + "/cases/" + file))
        // createdBy/updatedBy/caseWorker are the running user's login in both, so equal too.
        return String(decoding: data, as: UTF8.self)
      }
      #expect(try text(a) == text(b))
    }
    let listing = try Store(root: a.store).list()
    for stage in ChainStage.allCases {
      #expect(listing.cases.contains { $0.stages.contains(stage) }, "no case in \(stage)")
    }
    #expect(listing.cases.contains { $0.isClosed })
    let names = listing.cases.map(\.fullName).joined()
    #expect(names.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) }, "no Arabic script")
    #expect(names.unicodeScalars.contains { (0x1200...0x137F).contains($0.value) }, "no Ge'ez script")
    #expect(names.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "no Cyrillic")
    #expect(names.contains("é") || names.contains("ë") || names.contains("ş"), "no Latin diacritics")
    let years = Set(listing.cases.compactMap { $0.id.yearAndNumber?.year })
    #expect(years.count >= 2, "dates should span two years")
  }

  /// Every demo document validates against the published JSON Schema (checked by Python's
  /// jsonschema, an independent implementation).
  @Test func demoDocumentsMatchTheJSONSchema() throws {
    let dir = TempDir()
    try Keten.run(["demo", "--cases", "60", "--seed", "11"], store: dir.store)
    let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Resources/schema/case.schema.json").path
    let script = """
      import json, sys, glob, jsonschema
      schema = json.load(open(sys.argv[1]))
      jsonschema.Draft202012Validator.check_schema(schema)
      v = jsonschema.Draft202012Validator(schema)
      files = sorted(glob.glob(sys.argv[2] + '/cases/*.json'))
      bad = [(f, e.message) for f in files for e in v.iter_errors(json.load(open(f)))]
      print(len(files), 'valid' if not bad else bad[:3])
      sys.exit(1 if bad or not files else 0)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, schema, dir.store]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.hasPrefix("60 valid"), "\(text)")
  }
}
