import Foundation
import TestSupport
import Testing

@testable import CaseStore

/// What every store promises, run on the folder and on PostgreSQL alike.
@Suite(.serialized) struct StoreContractTests {
  @Test(arguments: StoreKind.allCases) func idsComeFromACounterPerKindAndYearAndAreNeverHandedOutTwice(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let in2025 = Timestamp.parse("2025-06-01T10:00:00Z")!
    let a = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let b = try s.create(ContractStore.draft("Yusuf Karim"), by: t.coordinator)
    let old = try s.create(ContractStore.draft("Olga Petrenko"), by: t.coordinator, now: in2025)
    let year = LocalDate.today().year
    #expect(a.id == CaseID(year: year, number: 1) && b.id == CaseID(year: year, number: 2))
    #expect(old.id == CaseID(year: 2025, number: 1))
    // A refused create, a case moved to the trash: neither frees a number.
    #expect(storeError { try s.create(ContractStore.draft(""), by: t.coordinator) } != nil)
    try s.delete(b.id, by: t.coordinator)
    let c = try s.create(ContractStore.draft("Sara Tesfaye"), by: t.coordinator)
    #expect(c.id == CaseID(year: year, number: 3))
    // Record ids have counters of their own.
    let e1 = try s.create(Employer(name: "Colruyt"), by: t.coordinator)
    let e2 = try s.create(Employer(name: "Aerts"), by: t.coordinator)
    #expect(e1.id == Employer.kind.id(year: LocalDate.today().year, number: 1))
    #expect(e2.id == Employer.kind.id(year: LocalDate.today().year, number: 2))
  }

  @Test(arguments: StoreKind.allCases) func aSaveOnAStaleRevisionIsAConflictAndChangesNothing(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let created = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let mine = try s.load(created.id)
    let theirs = try s.load(created.id)
    var first = mine.document
    first.person.phone = "+32 470 00 00 01"
    let saved = try s.save(first, basedOn: mine, by: t.coordinator)
    #expect(saved.revision == 2)
    var second = theirs.document
    second.person.phone = "+32 470 00 00 02"
    let error = storeError { try s.save(second, basedOn: theirs, by: t.coordinator) }
    guard case .conflict(let id, let basedOn, let stored, let by, _)? = error else {
      Issue.record("expected a conflict, got \(String(describing: error))")
      return
    }
    #expect(id == created.id && basedOn == 1 && stored == 2 && by == t.coordinator)
    #expect(error?.exitCode == 3)
    let now = try s.load(created.id)
    #expect(now.revision == 2 && now.document.person.phone == "+32 470 00 00 01")
    let changes = try s.history(of: created.id).filter { $0.action == .change }
    #expect(changes.count == 1 && changes.allSatisfy { $0.isCompleted })
  }

  @Test(arguments: StoreKind.allCases) func aMentorsPlacesAreCountedOverTheWholeChainWhoeverAsks(kind: StoreKind) throws {
    // A case worker of Gent cannot see Brugge's cases, but a mentor's one place taken there is
    // still taken: the count is the chain's, not what the login's rows show.
    let t = try ContractStore(kind)
    let gentWorker = t.tag + "_gentw"
    try t.addUser(gentWorker, .caseWorker, centre: "Gent")
    let mentor = try t.store.create(Mentor(name: "Jan Peeters", login: t.tag + "_jan", maxMentees: 1), by: t.coordinator)
    func paired(_ d: CaseDocument) -> CaseDocument {
      var d = d
      d.addPair(
        MentorPair(
          id: "", mentor: mentor.id, mentorName: "Jan Peeters", confirmedBy: t.coordinator,
          confirmedOn: LocalDate("2026-11-02")!, start: LocalDate("2026-11-02")!, goals: ["job-search"]))
      return d
    }
    let brugge = try t.store.create(ContractStore.draft("Yusuf Karim", centre: "Brugge"), by: t.coordinator)
    _ = try t.store.save(paired(brugge.document), basedOn: brugge, by: t.coordinator)
    let gent = try t.signedIn(gentWorker)
    let mine = try gent.create(ContractStore.draft("Amina Haddad", centre: "Gent"), by: gentWorker)
    #expect(try gent.openPairsPerMentor()[mentor.id] == 1)
    guard case .invalid(let issues)? = storeError({ try gent.save(paired(mine.document), basedOn: mine, by: gentWorker) }) else {
      Issue.record("a case worker gave a full mentor a second mentee")
      return
    }
    #expect(issues.contains { if case .mentorFull = $0.problem { true } else { false } })
    // Saving the paired case again does not count its own pair twice.
    let reloaded = try t.store.load(brugge.id)
    var again = reloaded.document
    again.person.phone = "+32 470 00 00 01"
    #expect(try t.store.save(again, basedOn: reloaded, by: t.coordinator).revision == reloaded.revision + 1)
  }

  @Test(arguments: StoreKind.allCases) func keysThisVersionDoesNotKnowSurviveASave(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let created = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    var raw = try t.raw(created.id)
    raw["futureSection"] = .object(["level": .int(3), "items": .array([.string("a")])])
    raw["person"]!["pronouns"] = .string("she/her")
    try t.setRaw(created.id, raw)
    let loaded = try s.load(created.id)
    var doc = loaded.document
    doc.person.phone = "+32 470 12 34 56"
    let first = try s.save(doc, basedOn: loaded, by: t.coordinator)
    var again = first.document
    again.person.nationality = "Syria"
    try s.save(again, basedOn: first, by: t.coordinator)
    let stored = try t.raw(created.id)
    #expect(stored["futureSection"] == .object(["level": .int(3), "items": .array([.string("a")])]))
    #expect(stored["person"]?["pronouns"] == .string("she/her"))
    #expect(stored["person"]?["phone"] == .string("+32 470 12 34 56"))
    #expect(stored["revision"] == .int(3))
  }

  @Test(arguments: StoreKind.allCases) func everyChangeHasItsJournalEntryAndARefusedOneHasNone(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let created = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let loaded = try s.load(created.id)
    var doc = loaded.document
    doc.person.phone = "+32 470 00 00 01"
    try s.save(doc, basedOn: loaded, by: t.coordinator)
    _ = try? s.save(doc, basedOn: loaded, by: t.coordinator)  // stale: refused
    doc.person.fullName = ""
    _ = try? s.save(doc, basedOn: try s.load(created.id), by: t.coordinator)  // invalid: refused
    try s.delete(created.id, by: t.coordinator)
    try s.restore(created.id, by: t.coordinator)
    let entries = try s.history(of: created.id)
    #expect(entries.map(\.action) == [.create, .change, .delete, .restore])
    #expect(entries.allSatisfy { $0.isCompleted })
    #expect(entries.first { $0.action == .change }?.paths == ["person.phone"])
    #expect(entries.allSatisfy { $0.user == t.coordinator })
  }

  @Test(arguments: StoreKind.allCases) func theTrashKeepsADeletedCaseUntilItIsRestored(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let a = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let b = try s.create(ContractStore.draft("Yusuf Karim"), by: t.coordinator)
    try s.delete(a.id, by: t.coordinator)
    #expect(try s.list().cases.map(\.id) == [b.id])
    #expect(s.trash() == [a.id])
    #expect(s.trashDates().map(\.1) == [LocalDate.today()])
    if case .notFound? = storeError({ try s.load(a.id) }) {} else { Issue.record("a trashed case loaded") }
    if case .notFound? = storeError({ try s.delete(a.id, by: t.coordinator) }) {} else { Issue.record("deleted twice") }
    try s.restore(a.id, by: t.coordinator)
    #expect(try s.list().cases.map(\.id) == [a.id, b.id])
    if case .notInTrash? = storeError({ try s.restore(a.id, by: t.coordinator) }) {} else { Issue.record("restored twice") }
    #expect(try s.load(a.id).document.person.fullName == "Amina Haddad")
  }

  @Test(arguments: StoreKind.allCases) func theListHoldsEverySummaryByTheSameRules(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    var ids: [CaseID] = []
    for name in ["Amina Haddad", "Yusuf Karim", "Олена Шевченко", "Tigist Bekele"] {
      ids.append(try s.create(ContractStore.draft(name), by: t.coordinator).id)
    }
    let listing = try s.list()
    #expect(listing.cases.map(\.id) == ids)
    #expect(listing.damaged.isEmpty)
    for summary in listing.cases {
      #expect(summary == s.summary(of: try s.load(summary.id)))
    }
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("ОЛЕНА")) }.map(\.id) == [ids[2]])
    #expect(s.listFromIndex().map { $0.cases.map(\.id) } ?? ids == ids)
  }

  @Test(arguments: StoreKind.allCases) func rolesLimitWhatEachLoginSeesAndChanges(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let gentWorker = t.tag + "_gent"
    let bruggeWorker = t.tag + "_brugge"
    try t.addUser(gentWorker, .caseWorker, centre: "Gent")
    try t.addUser(bruggeWorker, .caseWorker, centre: "Brugge")
    let inGent = try s.create(ContractStore.draft("Amina Haddad", centre: "Gent"), by: t.coordinator)
    let inBrugge = try s.create(ContractStore.draft("Yusuf Karim", centre: "Brugge"), by: t.coordinator)
    let gent = try t.signedIn(gentWorker)
    #expect(try gent.list().cases.map(\.id) == [inGent.id])
    if case .notFound? = storeError({ try gent.load(inBrugge.id) }) {} else { Issue.record("Gent saw a Brugge case") }
    if case .notPermitted? = storeError({ try gent.create(ContractStore.draft("X Y", centre: "Brugge"), by: gentWorker) }) {} else {
      Issue.record("Gent created a case for Brugge")
    }
    let mine = try gent.create(ContractStore.draft("Sara Tesfaye", centre: ""), by: gentWorker)
    #expect(mine.document.person.centre == "Gent")
    let loaded = try gent.load(inGent.id)
    var doc = loaded.document
    doc.person.phone = "+32 470 00 00 09"
    #expect(try gent.save(doc, basedOn: loaded, by: gentWorker).revision == 2)
    // Not even a case assigned to them: moving it to another centre is a coordinator's step.
    var moved = try gent.load(inGent.id).document
    moved.person.centre = "Brugge"
    moved.person.caseWorker = gentWorker
    if case .notPermitted? = storeError({ try gent.save(moved, basedOn: try gent.load(inGent.id), by: gentWorker) }) {} else {
      Issue.record("a case worker moved a case to another centre")
    }
    // Nor to no centre at all (the same refusal on both stores, before the database is asked).
    var blanked = try gent.load(inGent.id).document
    blanked.person.centre = "  "
    if case .notPermitted? = storeError({ try gent.save(blanked, basedOn: try gent.load(inGent.id), by: gentWorker) }) {} else {
      Issue.record("a case worker took a case out of every centre")
    }
    // Writing their own centre another way ("gent") is no move.
    var respelled = try gent.load(inGent.id).document
    respelled.person.centre = "gent"
    #expect(try gent.save(respelled, basedOn: try gent.load(inGent.id), by: gentWorker).document.person.centre == "gent")
    // Another role's things: the users table and erasing are a coordinator's.
    if case .notPermitted? = storeError({ try gent.saveUsers(UserRegistry(users: []), basedOn: nil, by: gentWorker, change: "x") }) {} else {
      Issue.record("a case worker changed the users")
    }
    let brugge = try t.signedIn(bruggeWorker)
    #expect(try brugge.list().cases.map(\.id) == [inBrugge.id])
    // A login Keten does not know is refused.
    let stranger = t.tag + "_stranger"
    try t.addLogin(stranger)
    if case .unknownUser? = storeError({ try t.signedIn(stranger) }) {} else { Issue.record("an unknown login got in") }
  }

  @Test(arguments: StoreKind.allCases) func recordsKeepRevisionsConflictsAndUnknownKeys(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let created = try s.create(Employer(name: "Colruyt", sector: "sales-logistics", region: "Gent"), by: t.coordinator)
    let mine = try s.record(Employer.self, created.id)
    let theirs = try s.record(Employer.self, created.id)
    var edited = mine.record
    edited.region = "Leuven"
    #expect(try s.save(edited, basedOn: mine, by: t.coordinator).revision == 2)
    var stale = theirs.record
    stale.region = "Brugge"
    if case .recordConflict? = storeError({ try s.save(stale, basedOn: theirs, by: t.coordinator) }) {} else {
      Issue.record("a stale record save was not a conflict")
    }
    #expect(try s.record(Employer.self, created.id).record.region == "Leuven")
    let other = try s.create(Employer(name: "Aerts"), by: t.coordinator)
    #expect(try s.records(Employer.self).records.map(\.id) == [created.id, other.id])
    if case .recordNotFound? = storeError({ try s.record(Employer.self, "E-2026-9999") }) {} else { Issue.record("found nothing") }
    #expect(try s.history(of: try CaseID("K-2026-0001")).isEmpty)
    let journal = try s.journal.read().entries.filter { $0.record == created.id }.map(\.action)
    #expect(journal == [.create, .change])
  }

  @Test(arguments: StoreKind.allCases) func theUsersTableRefusesAChangeOnAStaleBase(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let base = try s.users()!
    try t.addUser(t.tag + "_a", .trainer)
    var stale = base
    stale.users.append(StaffUser(login: t.tag + "_b", role: .mentor, centre: nil, addedOn: .today(), addedBy: t.coordinator))
    if case .recordConflict? = storeError({ try s.saveUsers(stale, basedOn: base, by: t.coordinator, change: "b") }) {} else {
      Issue.record("a stale users change was not refused")
    }
    #expect(try s.users()!.users.map(\.login).sorted() == [t.coordinator, t.tag + "_a"].sorted())
    #expect(try s.journal.read().entries.filter { $0.action == .users }.count == 2)
  }

  @Test(arguments: StoreKind.allCases) func checkFindsACleanStoreClean(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    for name in ["Amina Haddad", "Yusuf Karim"] { try s.create(ContractStore.draft(name), by: t.coordinator) }
    try s.create(Employer(name: "Colruyt"), by: t.coordinator)
    let report = PGTestCluster.takingTurns { s.check() }
    #expect(report.problems == [])
    #expect(report.checked == 3)
  }
}

extension StoreContractTests {
  @Test(arguments: StoreKind.allCases) func anErasedCaseIsGoneEverywhereAndItsIdNeverComesBack(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let erased = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let kept = try s.create(ContractStore.draft("Yusuf Karim"), by: t.coordinator)
    var group = TrainingGroup(
      name: "VOORwerk Gent", centre: "Gent", trainers: [t.tag + "_trainer"], language: "nl",
      days: [LocalDate("2026-12-01")!], capacity: 12, level: "A2")
    group.participants = [TrainingGroup.Participant(caseID: erased.id.rawValue), TrainingGroup.Participant(caseID: kept.id.rawValue)]
    let stored = try s.create(group, by: t.coordinator)
    // The reason is kept in the journal: it may not name the person.
    if case .invalid? = storeError({ try s.erase(erased.id, reason: "request of Amina herself", by: t.coordinator) }) {} else {
      Issue.record("a reason naming the person was taken")
    }
    let erasure = try s.erase(erased.id, reason: "art. 17 request of 2026-11-20", by: t.coordinator)
    #expect(erasure.isComplete && erasure.records == [stored.id])
    if case .notFound? = storeError({ try s.load(erased.id) }) {} else { Issue.record("the erased case still loads") }
    #expect(try s.list().cases.map(\.id) == [kept.id])
    #expect(s.trash().isEmpty)
    #expect(try s.record(TrainingGroup.self, stored.id).record.participants.map(\.caseID) == [kept.id.rawValue])
    let tombstone = try s.history(of: erased.id).last
    #expect(tombstone?.action == .erase && tombstone?.detail == "art. 17 request of 2026-11-20" && tombstone?.isCompleted == true)
    let next = try s.create(ContractStore.draft("Sara Tesfaye"), by: t.coordinator)
    #expect(next.id != erased.id && next.id != kept.id)
    if case .notFound? = storeError({ try s.erase(erased.id, reason: "art. 17 request again", by: t.coordinator) }) {} else {
      Issue.record("erased twice")
    }
  }

  @Test(arguments: StoreKind.allCases) func aTrainerSeesTheirGroupsParticipantsOnly(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let trainer = t.tag + "_trainer"
    try t.addUser(trainer, .trainer)
    let inGroup = try s.create(ContractStore.draft("Amina Haddad"), by: t.coordinator)
    let outside = try s.create(ContractStore.draft("Yusuf Karim"), by: t.coordinator)
    var group = TrainingGroup(
      name: "VOORwerk Gent", centre: "Gent", trainers: [trainer], language: "nl", days: [LocalDate("2026-12-01")!],
      capacity: 12, level: "A2")
    group.participants = [TrainingGroup.Participant(caseID: inGroup.id.rawValue)]
    try s.create(group, by: t.coordinator)
    let seen = try t.signedIn(trainer)
    #expect(try seen.list().cases.map(\.id) == [inGroup.id])
    if case .notFound? = storeError({ try seen.load(outside.id) }) {} else { Issue.record("a trainer saw a case outside their group") }
    let partial = try seen.load(inGroup.id)
    #expect(partial.isPartial && partial.document.person.fullName == "Amina Haddad")
  }

  @Test(arguments: StoreKind.allCases) func aMentorIsToldWhenAMenteesFileCannotBeReadNeverLeftToWonder(kind: StoreKind) throws {
    let t = try ContractStore(kind)
    let s = t.store!
    let login = t.tag + "_hilde"
    try t.addUser(login, .mentor)
    let mentor = try s.create(Mentor(name: "Hilde", login: login, maxMentees: 3), by: t.coordinator)
    func pair(_ name: String) throws -> CaseID {
      let created = try s.create(ContractStore.draft(name), by: t.coordinator)
      var d = created.document
      d.addPair(
        MentorPair(
          id: "", mentor: mentor.id, mentorName: "Hilde", confirmedBy: t.coordinator,
          confirmedOn: LocalDate("2026-11-02")!, start: LocalDate("2026-11-02")!, goals: ["job-search"]))
      return try s.save(d, basedOn: created, by: t.coordinator).id
    }
    _ = try pair("Amina Haddad")
    let broken = try pair("Yusuf Karim")
    let mentorsStore = try t.signedIn(login)
    let mine = try #require(mentorsStore.viewer?.mentorIDs)
    #expect(try mentorsStore.mentees(of: mine) == Mentees(views: mentorsStore.mentees(of: mine).views, unreadable: [], damagedElsewhere: 0))
    #expect(try mentorsStore.mentees(of: mine).views.count == 2)
    // One mentee's case damaged underneath Keten (a field of the wrong type).
    var raw = try t.raw(broken)
    raw["person"] = .string("not a person")
    try t.setRaw(broken, raw)
    let found = try mentorsStore.mentees(of: mine)
    #expect(found.views.map(\.fullName) == ["Amina Haddad"])
    // Told, without the name of a file that might be another's case: one damaged file.
    #expect(found.damagedElsewhere + found.unreadable.count == 1)
    #expect(!found.unreadable.contains { $0 != broken })
    // The coordinator's check names it.
    #expect(s.check().problems.map(\.description).contains { $0.contains(broken.rawValue) })
  }
}
