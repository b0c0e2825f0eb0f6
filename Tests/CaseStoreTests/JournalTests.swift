import Foundation
import Testing

@testable import CaseStore

@Suite struct JournalTests {
  let now = Date(timeIntervalSince1970: 1_795_348_800)  // 2026-11-22 12:00 UTC

  @Test func everyActionIsJournalledWithWhoWhenWhichCaseAndNoValues() throws {
    let t = try TempStore()
    let store = try t.store.signIn("coord")
    let created = try store.create(sampleDocument(name: "Journalqx Person"), by: "coord", now: now)
    let opened = try store.open(created.id, by: "coord", now: now)
    var d = opened.document
    d.person.phone = "+32 470 55 44 33"
    d.addNote(text: "SECRETQX", author: "coord")
    let changed = try store.save(d, basedOn: opened, by: "coord", now: now)
    let consent = changed.document.consents.count
    #expect(consent == 0)
    var withConsent = changed.document
    withConsent.addConsent(recipient: "VDAB", purpose: "job-matching", givenOn: today, how: .signed, witness: nil, by: "coord")
    let consented = try store.save(withConsent, basedOn: changed, by: "coord", now: now)
    let shared = try store.disclose(
      Disclosure(at: now, by: "coord", recipient: "VDAB", purpose: "job-matching", what: "screening-summary", consent: "c1"),
      of: consented, now: now) {}
    try store.disclose(
      Disclosure(at: now, by: "coord", recipient: "self", purpose: "cv", what: "cv-text (nl)", consent: nil), of: shared,
      now: now) {}
    try store.delete(created.id, by: "coord", now: now)
    try store.restore(created.id, by: "coord", now: now)
    _ = try store.erase(created.id, reason: "art. 17 request", by: "coord", now: now)

    let (entries, unreadable) = try store.journal.read()
    #expect(unreadable == 0)
    let about = entries.filter { $0.caseID == created.id }
    #expect(about.map(\.action) == [.create, .open, .change, .change, .share, .export, .delete, .restore, .erase])
    #expect(about.allSatisfy { $0.user == "coord" && $0.at == now })
    #expect(about[2].paths == ["notes[1]", "person.phone"])
    #expect(about[2].revision == 2)
    #expect(about[3].paths == ["consents"])
    #expect(about[4].detail == "screening-summary to VDAB for job-matching")
    #expect(about[8].detail == "art. 17 request")
    #expect(entries.first?.action == .users)
    // Never a value: not the phone, not the note, not the name.
    let raw = try String(contentsOfFile: t.path + "/journal.jsonl", encoding: .utf8)
    for secret in ["470 55 44 33", "SECRETQX", "Journalqx"] { #expect(!raw.contains(secret)) }
    #expect(t.mode(t.path + "/journal.jsonl") == 0o600)
  }

  @Test func aTornLastLineIsSkippedCountedAndLeftAlone() throws {
    let t = try TempStore()
    try t.store.journal.append(JournalEntry(at: now, user: "a", action: .open, caseID: try CaseID("K-2026-0001")))
    let path = t.path + "/journal.jsonl"
    let handle = FileHandle(forWritingAtPath: path)!
    handle.seekToEndOfFile()
    handle.write(Data("{\"action\":\"cha".utf8))
    handle.closeFile()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let read = try t.store.journal.read()
    #expect(read.entries.count == 1 && read.unreadable == 1)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func aFailedJournalWriteRefusesTheOpen() throws {
    var ops = FileOps.system
    ops.fsync = { _ in errno = EIO; return -1 }
    let t = try TempStore()
    let created = try t.create()
    let failing = try Store(root: t.path, ops: ops)
    #expect(storeError { try failing.open(created.id, by: "x") } == .io(operation: "append to", file: "journal.jsonl", errno: EIO))
  }

  @Test func changedPathsNameFieldsNeverValues() throws {
    let a = try JSONValue.parse(Data(#"{"person":{"fullName":"A","phone":"1"},"notes":[{"text":"x"}],"revision":1}"#.utf8))
    let b = try JSONValue.parse(Data(#"{"person":{"fullName":"A","phone":"2"},"notes":[{"text":"x"},{"text":"y"}],"revision":2}"#.utf8))
    #expect(ChangedPaths.between(a, b) == ["notes[1]", "person.phone"])
  }

  @Test func erasureLeavesNoTraceOfThePersonInTheStore() throws {
    let t = try TempStore()
    let store = try t.store.signIn("coord")
    let name = "Zephyrine Quaglioni"
    var d = sampleDocument(name: name)
    d.person.preferredName = "Zephy"
    d.addNote(text: "Zephyrine called about her diploma", author: "coord")
    d.addConsent(recipient: "VDAB", purpose: "job-matching", givenOn: today, how: .signed, witness: nil, by: "coord")
    let created = try store.create(d, by: "coord")
    let keep = try store.create(sampleDocument(name: "Someone Else"), by: "coord")
    var group = TrainingGroup(
      name: "VOORwerk", centre: "Gent", trainers: ["tr"], language: "nl", days: [today], capacity: 12, level: "standard")
    var participant = TrainingGroup.Participant(caseID: created.id.rawValue)
    participant.notes = ["m1": "engaged"]
    group.participants = [participant, .init(caseID: keep.id.rawValue)]
    try store.create(group, by: "coord")
    var fair = JobFair(name: "Jobbeurs", on: today)
    fair.registrations = [FairRegistration(caseID: created.id.rawValue, notes: "needs a ride")]
    try store.create(fair, by: "coord")
    let shared = try store.disclose(
      Disclosure(at: now, by: "coord", recipient: "VDAB", purpose: "job-matching", what: "summary", consent: "c1"),
      of: try store.open(created.id, by: "coord")) {}
    _ = shared
    // Deleted twice over (an older trash copy is kept aside), restored once in between.
    try store.delete(created.id, by: "coord")
    try store.restore(created.id, by: "coord")
    try store.delete(created.id, by: "coord")
    #expect(try store.list().cases.count == 1)

    #expect(storeError { try store.erase(created.id, reason: "Zephy asked for it", by: "coord") }?.description.contains("name") == true)
    let erasure = try store.erase(created.id, reason: "art. 17 request of 2026-11-20", by: "coord")
    #expect(erasure.recipients == ["VDAB"])
    #expect(erasure.records.count == 2)

    for needle in ["Zephyrine", "Quaglioni", "Zephy", "zephyrine"] {
      #expect(Self.filesContaining(needle, under: t.path).isEmpty, "\(needle) found")
    }
    // The rest of the store is intact and the journal keeps the tombstone.
    #expect(try store.list().cases.map(\.id) == [keep.id])
    #expect(try store.records(TrainingGroup.self).records[0].record.participants.map(\.caseID) == [keep.id.rawValue])
    // The tombstone is completed: its outcome followed once every trace was gone (the group and
    // fair saves in between are journalled as changes to those records).
    let tombstones = try store.journal.read().entries.filter { $0.action == .erase }
    #expect(tombstones.count == 1 && tombstones[0].caseID == created.id && tombstones[0].state == .done)
    #expect(erasure.isComplete)
    #expect(storeError { try store.load(created.id) } == .notFound(created.id))
  }

  /// Every file under `root` (recursively) whose bytes contain `needle`.
  static func filesContaining(_ needle: String, under root: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root)!
    var hits: [String] = []
    while let relative = enumerator.nextObject() as? String {
      let path = root + "/" + relative
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      if data.range(of: Data(needle.utf8)) != nil { hits.append(relative) }
    }
    return hits
  }

  @Test func aStoreOthersCanReadIsRefusedWithTheFix() throws {
    let t = try TempStore()
    let created = try t.create()
    chmod(t.casePath(created.id), 0o644)
    let error = storeError { try t.store.list() }
    #expect(error?.description.contains("chmod -R go-rwx '\(t.path)'") == true)
    #expect(error?.description.contains("mode 644") == true)
    chmod(t.casePath(created.id), 0o600)
    chmod(t.path + "/users.json", 0o600)
    _ = try t.store.signIn("coord")
    chmod(t.path + "/users.json", 0o640)
    #expect(storeError { try Store(root: t.path) }?.description.contains("users.json can be read or written by other users") == true)
    chmod(t.path + "/users.json", 0o600)
    chmod(t.path, 0o750)
    #expect(storeError { try Store(root: t.path) }?.description.contains("chmod 700") == true)
    chmod(t.path, 0o700)
    #expect(throws: Never.self) { try Store(root: t.path).list() }
  }
}

extension JournalTests {
  @Test func anEntryAfterATornLineStartsOnItsOwnLine() throws {
    let t = try TempStore()
    let path = t.path + "/journal.jsonl"
    try Data("{\"action\":\"cha".utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    try t.store.journal.append(JournalEntry(at: now, user: "a", action: .open, caseID: try CaseID("K-2026-0001")))
    let read = try t.store.journal.read()
    #expect(read.entries.map(\.action) == [.open] && read.unreadable == 1)
  }
}
