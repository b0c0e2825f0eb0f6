import CaseStore
import Casework
import Foundation
import Testing

@Suite struct SubjectAccessTests {
  /// A store holding one case with every section filled, a field this version does not know,
  /// a training group and a job fair with the person in them.
  static func store() throws -> (Store, CaseID, String) {
    let root = NSTemporaryDirectory() + "keten-sar-\(UUID().uuidString)"
    let store = try Store(root: root).signIn("coord")
    var d = Fixture.screened(name: "Layla Haddad")
    d.stages = [.bridging, .matching]
    d.addNote(text: "Asked about evening classes", author: "coord")
    d.addConsent(recipient: "VDAB", purpose: "job-matching", givenOn: Fixture.today, how: .signed, witness: nil, by: "coord")
    d.disclosures = [Disclosure(at: Date(timeIntervalSince1970: 1_790_000_000), by: "coord", recipient: "VDAB", purpose: "job-matching", what: "screening-summary", consent: "c1")]
    d.addPair(
      MentorPair(
        id: "", mentor: "M-2026-0001", mentorName: "Hilde Claes", confirmedBy: "coord",
        confirmedOn: LocalDate("2026-10-01")!, start: LocalDate("2026-10-01")!, goals: ["job-search"]))
    d.placement.availableFrom = LocalDate("2026-12-01")
    d.placement.hoursPerWeek = 30
    d.placement.hires = [
      Hire(id: "h1", employerName: "Bakkerij Peeters", job: "Baker", contract: .fixedTerm, start: LocalDate("2026-11-02")!,
           hoursPerWeek: 38, recordedBy: "coord", recordedOn: LocalDate("2026-11-02")!)
    ]
    let created = try store.create(d, by: "coord")
    // A key from a newer Keten, written by hand: it must reach the person too.
    let path = root + "/cases/" + created.id.fileName
    var tree = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path)))
    tree["futureSection"] = .object(["allergy": .string("UNKNOWNFIELDQX")])
    try tree.serialized().write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    var group = TrainingGroup(
      name: "VOORwerk Kapellen", centre: "Kapellen", trainers: ["tr"], language: "nl", days: [Fixture.today],
      capacity: 12, level: "standard")
    var participant = TrainingGroup.Participant(caseID: created.id.rawValue)
    participant.notes = ["m1": "TRAININGNOTEQX"]
    group.participants = [participant, .init(caseID: "K-2026-0999")]
    try store.create(group, by: "coord")
    var fair = JobFair(name: "Jobbeurs Antwerpen", on: Fixture.today)
    fair.registrations = [FairRegistration(caseID: created.id.rawValue, transport: true, notes: "FAIRNOTEQX")]
    try store.create(fair, by: "coord")
    _ = try store.open(created.id, by: "coord")
    return (store, created.id, path)
  }

  /// Every string value and every key in a tree.
  static func leaves(_ v: JSONValue, into out: inout Set<String>) {
    switch v {
    case .object(let m):
      for (k, x) in m {
        out.insert(k)
        leaves(x, into: &out)
      }
    case .array(let a): for x in a { leaves(x, into: &out) }
    case .string(let s): out.insert(s)
    default: break
    }
  }

  @Test func theExportHoldsEveryStoredFieldAndEverythingAboutThePerson() throws {
    let (store, id, path) = try Self.store()
    defer { try? FileManager.default.removeItem(atPath: store.root) }
    let raw = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path)))
    let export = try SubjectAccess(store: store, id: id, by: "coord", now: Date(timeIntervalSince1970: 1_795_348_800))
    let json = try JSONValue.parse(export.json)
    // The case file exactly as stored, unknown field included.
    #expect(json["case"] == raw)
    #expect(json["case"]?["futureSection"]?["allergy"] == .string("UNKNOWNFIELDQX"))
    // Every key and string of the stored file is in the text, too.
    var strings: Set<String> = []
    Self.leaves(raw, into: &strings)
    for s in strings where !s.isEmpty { #expect(export.text.contains(s), "\(s) missing from the text") }
    #expect(export.text.contains("futureSection.allergy: UNKNOWNFIELDQX"))
    // Their part of groups and fairs, and nobody else's.
    #expect(export.text.contains("TRAININGNOTEQX") && export.text.contains("FAIRNOTEQX"))
    #expect(!export.text.contains("K-2026-0999"))
    guard case .array(let groups)? = json["trainingGroups"], case .array(let fairs)? = json["jobFairs"] else {
      Issue.record("groups or fairs missing")
      return
    }
    #expect(groups.count == 1 && fairs.count == 1)
    // Consents, disclosures (this export included), and the journal about the case.
    guard case .array(let consents)? = json["consents"], case .array(let disclosures)? = json["disclosures"],
      case .array(let journal)? = json["journal"]
    else {
      Issue.record("consents, disclosures or journal missing")
      return
    }
    #expect(consents.count == 1)
    #expect(disclosures.count == 2 && disclosures.last?["purpose"] == .string("subject-access"))
    #expect(journal.map { $0["action"]?.stringValue } == ["create", "open"])
    #expect(export.text.contains("Journal (who opened or changed the case, and when)"))
  }

  @Test func aTrainerCannotExportWhatTheyMayNotSee() throws {
    let (store, id, _) = try Self.store()
    defer { try? FileManager.default.removeItem(atPath: store.root) }
    var users = try store.users()!
    users.users.append(StaffUser(login: "tr", role: .trainer, centre: nil, addedOn: Fixture.today, addedBy: "coord"))
    try store.saveUsers(users, basedOn: try store.users(), by: "coord", change: "add tr")
    let trainer = try Store(root: store.root).signIn("tr")
    #expect(throws: StoreError.notPermitted(what: "export case data", role: .trainer)) {
      try SubjectAccess(store: trainer, id: id, by: "tr", now: Date())
    }
  }
}
