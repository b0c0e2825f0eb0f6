import Foundation
import Testing

@testable import CaseStore

@Suite struct StoreTests {
  @Test func unknownKeysSurviveEditAndSaveNestedOnesIncluded() throws {
    let t = try TempStore()
    let created = try t.create()
    var tree = try JSONValue.parse(try t.bytes(created.id))
    tree["futureSection"] = .object(["level": .int(3), "items": .array([.string("a")])])
    tree["person"]!["pronouns"] = .string("she/her")
    var notes = tree["notes"]!
    if case .array(var items) = notes {
      items[0]["audio"] = .object(["file": .string("n1.ogg")])
      notes = .array(items)
    }
    tree["notes"] = notes
    try tree.serialized().write(to: URL(fileURLWithPath: t.casePath(created.id)))

    let loaded = try t.store.load(created.id)
    var doc = loaded.document
    doc.person.phone = nil  // a known key removed must really go
    doc.addNote(text: "second", author: "an.peeters")
    let first = try t.store.save(doc, basedOn: loaded, by: "an.peeters")
    // A second save based on what the first returned (an editing session) keeps them too.
    var again = first.document
    again.person.centre = "Leuven"
    try t.store.save(again, basedOn: first, by: "an.peeters")

    let saved = try JSONValue.parse(try t.bytes(created.id))
    #expect(saved["futureSection"] == .object(["level": .int(3), "items": .array([.string("a")])]))
    #expect(saved["person"]?["pronouns"] == .string("she/her"))
    #expect(saved["person"]?["phone"] == nil)
    guard case .array(let savedNotes)? = saved["notes"] else {
      Issue.record("notes missing")
      return
    }
    #expect(savedNotes.count == 2)
    #expect(savedNotes[0]["audio"]?["file"] == .string("n1.ogg"))
    #expect(savedNotes[1]["audio"] == nil)
  }

  @Test func schemaZeroMigratesOnReadAndIsWrittenAsCurrentOnSave() throws {
    let t = try TempStore()
    let fixture = try Data(contentsOf: Bundle.module.url(forResource: "v0-case", withExtension: "json", subdirectory: "Fixtures")!)
    try fixture.write(to: URL(fileURLWithPath: t.path + "/cases/K-2024-0007.json"))
    chmod(t.path + "/cases/K-2024-0007.json", 0o600)
    let id = try CaseID("K-2024-0007")
    let loaded = try t.store.load(id)
    #expect(loaded.migratedFrom == 0)
    #expect(loaded.document.person.fullName == "Dawit Haile")
    #expect(loaded.document.person.gender == .male)
    #expect(loaded.document.person.dateOfBirth == LocalDate("1994-07-01"))
    #expect(loaded.document.stages == [.bridging])
    #expect(loaded.document.notes.first?.author == "jan.desmet")
    #expect(loaded.document.revision == 3)
    #expect(try t.store.list().cases.map(\.fullName) == ["Dawit Haile"])

    var doc = loaded.document
    doc.person.phone = "+32 470 00 00 00"
    try t.store.save(doc, basedOn: loaded, by: "jan.desmet")
    let saved = try JSONValue.parse(try t.bytes(id))
    #expect(saved["schemaVersion"] == .int(1))
    #expect(saved["revision"] == .int(4))
    #expect(saved["name"] == nil)
    #expect(saved["shoeSize"] == .int(44))  // unknown v0 keys are kept
    #expect(saved["notes"]?.arrayFirst?["mood"] == .string("good"))
  }

  @Test func savesThatChangeTheStagesAreDatedInTheStageHistory() throws {
    let t = try TempStore()
    var draft = sampleDocument(name: "Layla Al-Hassan")
    draft.stages = [.screening]
    let created = try t.store.create(draft, by: "an", now: Self.at("2026-02-01"))
    #expect(created.document.stageHistory == [StageChange(on: LocalDate("2026-02-01")!, stages: [.screening])])
    func save(_ base: StoredCase, _ stages: Set<ChainStage>, on day: String) throws -> StoredCase {
      var d = base.document
      d.stages = stages
      return try t.store.save(d, basedOn: base, by: "an", now: Self.at(day))
    }
    var current = try save(created, [.screening, .bridging], on: "2026-03-01")
    // A save that leaves the stages alone adds nothing.
    var d = current.document
    d.person.phone = "+32 470 11 22 33"
    current = try t.store.save(d, basedOn: current, by: "an", now: Self.at("2026-03-05"))
    #expect(current.document.stageHistory.count == 2)
    // Two changes on one day count as one; a change undone the same day leaves no trace.
    current = try save(current, [.bridging], on: "2026-04-01")
    current = try save(current, [.matching], on: "2026-04-01")
    current = try save(current, [.sustaining], on: "2026-05-02")
    current = try save(current, [.matching], on: "2026-05-02")
    let expected = [
      StageChange(on: LocalDate("2026-02-01")!, stages: [.screening]),
      StageChange(on: LocalDate("2026-03-01")!, stages: [.screening, .bridging]),
      StageChange(on: LocalDate("2026-04-01")!, stages: [.matching]),
    ]
    #expect(current.document.stageHistory == expected)
    #expect(try t.store.load(created.id).document.stageHistory == expected)
    let tree = try JSONValue.parse(try t.bytes(created.id))
    #expect(tree["stageHistory"]?.arrayFirst?["stages"] == .array([.string("screening")]))
  }

  @Test func aCaseFromBeforeDatedStagesStartsItsHistoryAtItsLastSave() throws {
    let t = try TempStore()
    let fixture = try Data(contentsOf: Bundle.module.url(forResource: "v0-case", withExtension: "json", subdirectory: "Fixtures")!)
    try fixture.write(to: URL(fileURLWithPath: t.path + "/cases/K-2024-0007.json"))
    chmod(t.path + "/cases/K-2024-0007.json", 0o600)
    let loaded = try t.store.load(try CaseID("K-2024-0007"))
    #expect(loaded.document.stageHistory.isEmpty)
    var d = loaded.document
    d.stages = [.matching]
    let saved = try t.store.save(d, basedOn: loaded, by: "an", now: Self.at("2026-06-01"))
    #expect(
      saved.document.stageHistory == [
        StageChange(on: LocalDate.today(loaded.document.updatedAt), stages: [.bridging]),
        StageChange(on: LocalDate("2026-06-01")!, stages: [.matching]),
      ])
  }

  @Test func aStageHistoryOutOfOrderIsRefused() throws {
    var d = sampleDocument(name: "Layla")
    d.stageHistory = [
      StageChange(on: LocalDate("2026-03-01")!, stages: [.screening]),
      StageChange(on: LocalDate("2026-02-01")!, stages: [.bridging]),
      StageChange(on: LocalDate("2026-04-01")!, stages: [.matching]),
    ]
    #expect(d.validationIssues(today: LocalDate("2026-11-01")!).map(\.path) == ["stageHistory[1].on"])
  }

  static func at(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T10:00:00Z")! }

  @Test func newerSchemaOpensReadOnly() throws {
    let t = try TempStore()
    let created = try t.create()
    var tree = try JSONValue.parse(try t.bytes(created.id))
    tree["schemaVersion"] = .int(2)
    try tree.serialized().write(to: URL(fileURLWithPath: t.casePath(created.id)))
    let loaded = try t.store.load(created.id)
    #expect(loaded.isReadOnly)
    #expect(throws: StoreError.newerSchema(created.id, version: 2)) {
      try t.store.save(loaded.document, basedOn: loaded, by: "x")
    }
    #expect(try t.bytes(created.id) == (try tree.serialized()))
  }

  @Test func twoWritersFromOneRevisionOneWinsTheOtherGetsAConflict() throws {
    let t = try TempStore()
    let base = try t.create()
    var mine = base.document
    mine.person.phone = "+32 111 11 11"
    var theirs = base.document
    theirs.person.nationality = "Eritrea"
    let first = try t.store.save(theirs, basedOn: base, by: "tom.claes")
    let error = storeError { try t.store.save(mine, basedOn: base, by: "an.peeters") }
    guard case .conflict(let id, let basedOn, let stored, let by, _)? = error else {
      Issue.record("expected a conflict, got \(String(describing: error))")
      return
    }
    #expect(id == base.id)
    #expect(basedOn == 1)
    #expect(stored == 2)
    #expect(by == "tom.claes")
    let onDisk = try t.store.load(base.id)
    #expect(onDisk.document == first.document)
    #expect(onDisk.document.person.phone == base.document.person.phone)
  }

  @Test func aHandEditWithoutNewRevisionIsAlsoAConflict() throws {
    let t = try TempStore()
    let base = try t.create()
    let text = String(decoding: try t.bytes(base.id), as: UTF8.self)
      .replacingOccurrences(of: "Gent-Centrum", with: "Gent-Zuid")
    try Data(text.utf8).write(to: URL(fileURLWithPath: t.casePath(base.id)))
    #expect(throws: StoreError.self) { try t.store.save(base.document, basedOn: base, by: "x") }
    #expect(try t.store.load(base.id).document.person.centre == "Gent-Zuid")
  }

  @Test func deletedMeanwhileIsNotFoundNotRecreated() throws {
    let t = try TempStore()
    let base = try t.create()
    try t.store.delete(base.id, by: "tester")
    #expect(throws: StoreError.notFound(base.id)) { try t.store.save(base.document, basedOn: base, by: "x") }
    #expect(!FileManager.default.fileExists(atPath: t.casePath(base.id)))
  }

  @Test func trashAndRestore() throws {
    let t = try TempStore()
    let a = try t.create("A")
    let b = try t.create("B")
    try t.store.delete(a.id, by: "tester")
    #expect(try t.store.list().cases.map(\.id) == [b.id])
    #expect(t.store.trash() == [a.id])
    #expect(throws: StoreError.notFound(a.id)) { try t.store.load(a.id) }
    try t.store.restore(a.id, by: "tester")
    #expect(try t.store.list().cases.map(\.id) == [a.id, b.id])
    #expect(throws: StoreError.notInTrash(a.id)) { try t.store.restore(a.id, by: "tester") }
    // A deleted id is never handed out again.
    try t.store.delete(b.id, by: "tester")
    let c = try t.create("C")
    #expect(c.id.yearAndNumber!.number == 3)
  }

  @Test func idsAreSequentialAndSurviveALostSequenceFile() throws {
    let t = try TempStore()
    let a = try t.create()
    let b = try t.create()
    #expect(a.id.yearAndNumber!.number + 1 == b.id.yearAndNumber!.number)
    unlink(t.path + "/sequence.json")
    let c = try t.create()
    #expect(c.id.yearAndNumber!.number == b.id.yearAndNumber!.number + 1)
  }

  @Test func filesStayPrivateAfterRepeatedSaves() throws {
    let old = umask(0)
    defer { umask(old) }
    let t = try TempStore()
    var stored = try t.create()
    for i in 0..<5 {
      var doc = stored.document
      doc.person.preferredName = "v\(i)"
      stored = try t.store.save(doc, basedOn: stored, by: "x")
      #expect(t.mode(t.casePath(stored.id)) == 0o600)
    }
    #expect(t.mode(t.path) == 0o700)
    #expect(t.mode(t.path + "/cases") == 0o700)
    #expect(t.mode(t.path + "/trash") == 0o700)
    #expect(t.mode(t.path + "/sequence.json") == 0o600)
  }

  @Test func aStoreOthersCanReadIsRefusedWithTheFix() throws {
    let t = try TempStore()
    chmod(t.path, 0o755)
    let error = storeError { try Store(root: t.path) }
    guard case .unsafePermissions(_, _, let fix)? = error else {
      Issue.record("expected a permissions refusal, got \(String(describing: error))")
      return
    }
    #expect(fix == "chmod 700 '\(t.path)'")
  }

  @Test func validationRunsOnSave() throws {
    let t = try TempStore()
    let base = try t.create()
    var doc = base.document
    doc.person.dateOfBirth = LocalDate("2099-01-01")
    #expect(throws: StoreError.self) { try t.store.save(doc, basedOn: base, by: "x") }
    #expect(try t.store.load(base.id).document == base.document)
  }
}

extension JSONValue {
  var arrayFirst: JSONValue? {
    if case .array(let items) = self { return items.first }
    return nil
  }
}
