import Foundation
import Testing

@testable import CaseStore

/// A store with one case whose every section holds a marker, a second case nobody but the
/// coordinator may see, a training group, a mentor, and a user of each role.
final class AccessFixture {
  let t: TempStore
  let target: StoredCase
  let other: StoredCase
  let mentorID: String

  /// Section → a string found in that section only (for training: in the group record).
  static let markers: [CaseSection: String] = [
    .names: "Nameqx Markerfield", .contact: "470 99 88 77", .languages: "LANGQX", .gender: "\"gender\": \"x\"",
    .personal: "NATQX",
    .procedure: "2019-07-13", .status: "\"bridging\"", .notes: "NOTEQX", .screening: "SCREENQX",
    .training: "TRAINQX", .mentoring: "MENTORQX", .placement: "2031-03-17", .consents: "CONSENTQX",
    .plan: "PLANQX",
  ]

  static let logins: [Role: String] = [.coordinator: "coord", .caseWorker: "cw", .trainer: "tr", .mentor: "mt"]

  init() throws {
    t = try TempStore()
    let store = t.store
    mentorID = try store.create(Mentor(name: "MENTORQX Claes", login: "mt"), by: "coord").id
    var d = sampleDocument(name: "Nameqx Markerfield")
    d.person.phone = "+32 470 99 88 77"
    d.person.languages = ["LANGQX"]
    d.person.nationality = "NATQX"
    d.person.gender = .x
    d.person.centre = "Gent-Centrum"
    d.procedure = Procedure(status: .asylumSeeker, applicationDate: LocalDate("2019-07-13"))
    d.stages = [.bridging]
    d.notes = []
    d.addNote(text: "NOTEQX about the file", author: "cw")
    d.screening.factual.softCriteria = ["network": "SCREENQX cousin"]
    d.addPair(
      MentorPair(
        id: "", mentor: mentorID, mentorName: "MENTORQX Claes", confirmedBy: "coord",
        confirmedOn: LocalDate("2026-11-01")!, start: LocalDate("2026-11-01")!, goals: ["job-search"]))
    d.placement.availableFrom = LocalDate("2031-03-17")
    d.addConsent(
      recipient: "VDAB", purpose: "CONSENTQX", givenOn: LocalDate("2026-11-01")!, how: .signed, witness: nil, by: "cw")
    var plan = ActionPlan(startedOn: LocalDate("2026-11-01")!, startedBy: "cw")
    plan.goals = [PlanGoal(id: "g1", kind: .housing, actions: [
      PlanAction(id: "a1", what: "PLANQX housing visit", partner: .municipality, due: LocalDate("2026-12-01")!, createdOn: LocalDate("2026-11-01")!),
    ])]
    d.actionPlan = plan
    target = try store.create(d, by: "cw")
    var o = sampleDocument(name: "Otherqx Person")
    o.person.centre = "Antwerpen"
    o.person.caseWorker = "someone.else"
    other = try store.create(o, by: "coord")
    var group = TrainingGroup(
      name: "VOORwerk Gent", centre: "Gent-Centrum", trainers: ["tr"], language: "nl", days: [LocalDate("2026-12-01")!],
      capacity: 12, level: "standard")
    var participant = TrainingGroup.Participant(caseID: target.id.rawValue)
    participant.notes = ["m1": "TRAINQX engaged"]
    group.participants = [participant]
    try store.create(group, by: "coord")
    try store.saveUsers(
      UserRegistry(users: Role.allCases.map {
        StaffUser(
          login: Self.logins[$0]!, role: $0, centre: $0 == .caseWorker ? "gent-centrum" : nil, addedOn: today,
          addedBy: "coord")
      }), basedOn: nil, by: "coord", change: "test users")
  }

  func signIn(_ role: Role) throws -> Store { try t.store.signIn(Self.logins[role]!) }

  /// Everything of the target case that reaches `role`: the case as loaded, its summary, the
  /// training groups, and the journal about it when the role may read it.
  func visibleBytes(_ role: Role) throws -> String {
    let store = try signIn(role)
    var out = String(decoding: try store.load(target.id).visibleJSON(), as: UTF8.self)
    out += String(describing: try store.list().cases.first { $0.id == target.id }!)
    let encoder = JSONEncoder()
    // A role that may not see groups at all is refused them (checked in eachRoleSeesOnlyItsRecords).
    let groups = store.viewer!.mayRead(kind: TrainingGroup.kind) ? try store.records(TrainingGroup.self).records : []
    for group in groups {
      out += String(decoding: try encoder.encode(group.record), as: UTF8.self)
    }
    return out
  }
}

@Suite struct AccessTests {
  /// The role table of the issue, written out: what each role is shown of a case it may see.
  static let shown: [Role: Set<CaseSection>] = [
    .coordinator: Set(CaseSection.allCases), .caseWorker: Set(CaseSection.allCases),
    .trainer: [.names, .gender, .training], .mentor: [.names, .contact, .languages, .mentoring],
  ]

  static let cells: [(Role, CaseSection)] = Role.allCases.flatMap { r in CaseSection.allCases.map { (r, $0) } }

  @Test(arguments: cells)
  func eachRoleSeesExactlyItsSections(role: Role, section: CaseSection) throws {
    let f = try AccessFixture()
    let expected = Self.shown[role]!.contains(section)
    if section == .history {
      let store = try f.signIn(role)
      if expected {
        let entries = try store.history(of: f.target.id)
        #expect(entries.contains { $0.action == .create })
      } else {
        #expect(storeError { try store.history(of: f.target.id) } == .notPermitted(what: "read the journal", role: role))
      }
      return
    }
    let bytes = try f.visibleBytes(role)
    let marker = AccessFixture.markers[section]!
    #expect(bytes.contains(marker) == expected, "\(role) / \(section): marker \(marker) \(expected ? "missing" : "leaked")")
  }

  @Test(arguments: Role.allCases)
  func eachRoleSeesOnlyItsCases(role: Role) throws {
    let f = try AccessFixture()
    let store = try f.signIn(role)
    let ids = try store.list().cases.map(\.id)
    #expect(ids.contains(f.target.id))
    #expect(ids.contains(f.other.id) == (role == .coordinator))
    if role != .coordinator {
      // Not "forbidden" but "not found": the existence of the case is not given away.
      #expect(storeError { try store.load(f.other.id) } == .notFound(f.other.id))
    }
  }

  /// Which record kinds reach each role at all; the others are refused, never shown as empty.
  static let recordKinds: [Role: Set<String>] = [
    .coordinator: ["groups", "mentors", "employers", "openings", "fairs", "services"],
    .caseWorker: ["groups", "mentors", "employers", "openings", "fairs", "services"],
    .trainer: ["groups"], .mentor: ["mentors"],
  ]

  @Test(arguments: Role.allCases)
  func eachRoleSeesOnlyItsRecords(role: Role) throws {
    let f = try AccessFixture()
    let store = try f.signIn(role)
    func reaches<R: StoreRecord>(_ type: R.Type) -> Bool {
      do {
        _ = try store.records(type)
        return true
      } catch {
        #expect(error == .notPermitted(what: "see \(R.kind.noun)s (they are not visible for your role)", role: role))
        return false
      }
    }
    let reached: Set<String> = Set(
      [
        ("groups", reaches(TrainingGroup.self)), ("mentors", reaches(Mentor.self)), ("employers", reaches(Employer.self)),
        ("openings", reaches(Opening.self)), ("fairs", reaches(JobFair.self)), ("services", reaches(Service.self)),
      ].filter(\.1).map(\.0))
    #expect(reached == Self.recordKinds[role]!)
  }

  static let permissions: [Role: Set<Permission>] = [
    .coordinator: Set(Permission.allCases),
    .caseWorker: [.editCases, .export, .readJournal, .editGroups, .editRecords, .logCheckIns],
    .trainer: [.editGroups], .mentor: [.logCheckIns],
  ]

  /// Each permission tried for real through the store, for every role.
  @Test(arguments: Role.allCases.flatMap { r in Permission.allCases.map { (r, $0) } })
  func eachRoleMayDoExactlyItsActions(role: Role, permission: Permission) throws {
    let f = try AccessFixture()
    let store = try f.signIn(role)
    let allowed = Self.permissions[role]!.contains(permission)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let attempt: () throws -> Void
    switch permission {
    case .editCases:
      attempt = {
        let stored = try store.load(f.target.id)
        var d = stored.document
        d.addNote(text: "more", author: "x")
        try store.save(d, basedOn: stored, by: "x", now: now)
      }
    case .export:
      attempt = {
        try store.disclose(
          Disclosure(at: now, by: "x", recipient: "self", purpose: "cv", what: "cv-text", consent: nil),
          of: try store.load(f.target.id), now: now) {}
      }
    case .erase: attempt = { _ = try store.erase(f.target.id, reason: "art. 17 request", by: "x", now: now) }
    case .manageUsers:
      attempt = {
        var users = try store.users()!
        users.users.append(StaffUser(login: "new", role: .trainer, centre: nil, addedOn: today, addedBy: "x"))
        try store.saveUsers(users, basedOn: try store.users(), by: "x", change: "add")
      }
    case .readJournal: attempt = { _ = try store.history(of: f.target.id) }
    case .editGroups:
      attempt = {
        let group = try f.t.store.records(TrainingGroup.self).records[0]
        var g = group.record
        g.capacity = 14
        try store.save(g, basedOn: group, by: "x", now: now)
      }
    case .editRecords: attempt = { try store.create(Employer(name: "Colruyt"), by: "x", now: now) }
    case .logCheckIns:
      attempt = {
        _ = try store.logCheckIn(
          CheckIn(on: LocalDate("2026-11-10")!, minutes: 60, channel: .phone), caseID: f.target.id,
          mentorIDs: [f.mentorID], by: "x", now: now)
      }
    }
    if allowed {
      #expect(throws: Never.self) { try attempt() }
    } else {
      let error = storeError(attempt)
      if case .notPermitted(_, let r)? = error {
        #expect(r == role)
      } else {
        Issue.record("\(role) / \(permission): expected notPermitted, got \(String(describing: error))")
      }
    }
  }

  @Test func anUnknownLoginIsRefusedAndTheFirstLoginBecomesCoordinator() throws {
    let t = try TempStore()
    #expect(try t.store.users() == nil)
    let first = try t.store.signIn("an.peeters")
    #expect(first.viewer?.role == .coordinator)
    #expect(try t.store.users()?.user("an.peeters")?.role == .coordinator)
    let error = storeError { try t.store.signIn("stranger") }
    #expect(error == .unknownUser("stranger"))
    #expect(error?.description.contains("keten users add stranger --role") == true)
    // The last coordinator cannot be removed.
    var users = try t.store.users()!
    users.users[0].role = .trainer
    #expect(users.validationIssues().contains { $0.path == "users" })
  }

  @Test func aCaseWorkersNewCaseBelongsToTheirCentre() throws {
    let f = try AccessFixture()
    let store = try f.signIn(.caseWorker)
    var d = sampleDocument(name: "New Person")
    d.person.centre = nil
    let created = try store.create(d, by: "cw")
    #expect(created.document.person.centre == "gent-centrum")
    d.person.centre = "Antwerpen"
    d.person.caseWorker = nil
    #expect(storeError { try store.create(d, by: "cw") }.map { if case .notPermitted = $0 { true } else { false } } == true)
  }

  @Test func aTrainersPartialViewCannotBeSaved() throws {
    let f = try AccessFixture()
    let store = try f.signIn(.trainer)
    let partial = try store.load(f.target.id)
    #expect(partial.isPartial)
    #expect(partial.document.notes.isEmpty && partial.document.person.phone == nil)
    #expect(storeError { try store.save(partial.document, basedOn: partial, by: "tr") } == .notPermitted(what: "change case files", role: .trainer))
    // The file on disk is untouched.
    #expect(try f.t.store.load(f.target.id).bytes == f.target.bytes)
  }
}

@Suite struct SharingTests {
  @Test func aStoreSharedWithTheNamedGroupOpensAndAnyOtherGroupIsRefused() throws {
    let t = try TempStore()
    let store = try t.store.signIn("coord")
    let created = try store.create(sampleDocument(name: "Layla"), by: "coord")
    let group = Sharing.name(of: getegid())
    // Group bits without the users file naming the group: refused, as a loose key is.
    chmod(t.path, 0o770)
    #expect(storeError { try Store(root: t.path) }?.description.contains("chmod 700") == true)
    chmod(t.path, 0o700)
    try store.share(withGroup: group, by: "coord")
    #expect(t.mode(t.path) == 0o770 && t.mode(t.path + "/cases") == 0o770)
    #expect(t.mode(t.casePath(created.id)) == 0o660 && t.mode(t.path + "/journal.jsonl") == 0o660)
    let shared = try Store(root: t.path)
    #expect(shared.sharing.group == getegid())
    let second = try shared.signIn("coord").create(sampleDocument(name: "Second"), by: "coord")
    #expect(t.mode(t.casePath(second.id)) == 0o660)
    #expect(try shared.list().cases.count == 2)
    // Others never: one world-readable file refuses the store.
    chmod(t.casePath(second.id), 0o664)
    #expect(storeError { try shared.list() }?.description.contains("o-rwx") == true)
    chmod(t.casePath(second.id), 0o660)
    try shared.signIn("coord").share(withGroup: nil, by: "coord")
    #expect(t.mode(t.path) == 0o700 && t.mode(t.casePath(second.id)) == 0o600)
    #expect(try Store(root: t.path).sharing == .ownerOnly)
  }
}

@Suite struct CentreNameTests {
  @Test func centresMatchWhateverTheCaseOrAccents() {
    #expect(Viewer.sameCentre("Gent", "gent"))
    #expect(Viewer.sameCentre("GENT-Centrum", "gent-centrum"))
    #expect(Viewer.sameCentre("Liège", "liege"))
    #expect(Viewer.sameCentre("Liège", "LIÈGE"))
    #expect(!Viewer.sameCentre("Gent", "Genk"))
    #expect(!Viewer.sameCentre("Gent", "Gent-Centrum"))
    #expect(!Viewer.sameCentre("Liège", "Luik"))
  }
}
