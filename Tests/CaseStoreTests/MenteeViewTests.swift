import Foundation
import Testing

@testable import CaseStore

/// The mentor's data boundary: what `Store.mentees(of:)` hands out, and check-ins through it.
@Suite struct MenteeViewTests {
  /// A case with every section a mentor must not see filled with recognisable text.
  func restrictedCase(_ t: TempStore) throws -> StoredCase {
    var d = sampleDocument(name: "Layla Al-Hassan")
    d.addNote(text: "SECRET-NOTE about her asylum interview", author: "an.peeters")
    d.screening.factual.hardCriteria = ["medical": true]
    d.screening.factual.softCriteria = ["network": "SECRET-NETWORK cousin in Gent"]
    d.screening.factual.motherTongues = ["Arabic"]
    d.screening.factual.work = [WorkEntry()]
    d.screening.factual.work[0].occupation = "SECRET-WORK"
    d.addConsent(recipient: "VDAB", purpose: "SECRET-PURPOSE", givenOn: LocalDate("2026-11-01")!, how: .signed, witness: nil, by: "an.peeters")
    var old = MentorPair(
      id: "", mentor: "M-2026-0009", mentorName: "SECRET-OLD-MENTOR", confirmedBy: "co", confirmedOn: LocalDate("2026-01-05")!,
      start: LocalDate("2026-01-05")!, goals: ["job-search"])
    old.closure = PairClosure(on: LocalDate("2026-03-01")!, outcome: .stoppedEarly, reason: "SECRET-REASON", review: "SECRET-REVIEW", by: "co")
    d.addPair(old)
    var pair = MentorPair(
      id: "", mentor: "M-2026-0001", mentorName: "Hilde", confirmedBy: "co", confirmedOn: LocalDate("2026-11-01")!,
      start: LocalDate("2026-11-01")!, goals: ["job-search", "language"])
    var checkIn = CheckIn(id: "k1", on: LocalDate("2026-11-08")!, minutes: 90, channel: .phone, goals: ["language"], progress: ["language": 2])
    checkIn.concern = "She seemed tired"
    checkIn.concernHandled = ConcernHandled(on: LocalDate("2026-11-09")!, by: "an.peeters", note: "SECRET-HANDLING referred to GP")
    pair.checkIns = [checkIn]
    d.addPair(pair)
    // The plan: one action for the mentor, one for the municipality (SECRET to the mentor).
    var plan = ActionPlan(startedOn: LocalDate("2026-11-01")!, startedBy: "an.peeters")
    plan.goals = [
      PlanGoal(id: "g1", kind: .job, actions: [
        PlanAction(id: "a1", what: "Practise a job interview", partner: .mentor, due: LocalDate("2026-11-30")!, createdOn: LocalDate("2026-11-01")!)
      ]),
      PlanGoal(id: "g2", kind: .housing, actions: [
        PlanAction(id: "a2", what: "SECRET-HOUSING social housing file", partner: .municipality, due: LocalDate("2026-12-15")!, createdOn: LocalDate("2026-11-01")!)
      ]),
    ]
    d.actionPlan = plan
    return try t.store.create(d, by: "an.peeters", now: Date(timeIntervalSince1970: 1_794_916_800))
  }

  @Test func aMentorGetsOnlyNameContactLanguagesGoalsAndCheckIns() throws {
    let t = try TempStore()
    let stored = try restrictedCase(t)
    try t.create("Someone Else")
    let views = try t.store.mentees(of: ["M-2026-0001"]).views
    #expect(views.count == 1)
    let view = try #require(views.first)
    #expect(view.caseID == stored.id)
    #expect(view.fullName == "Layla Al-Hassan")
    #expect(view.phone == "+32 470 12 34 56")
    #expect(view.languages == ["ar", "en", "Arabic"])
    #expect(view.pair.goals == ["job-search", "language"])
    #expect(view.pair.checkIns.map(\.id) == ["k1"])
    // What is handed to the view, as data: exactly these keys, and none of the restricted values.
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    let data = try encoder.encode(view)
    let keys = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
    #expect(Set(keys) == ["caseID", "fullName", "preferredName", "phone", "languages", "pair", "actions"])
    // Of the action plan, only the actions assigned to the mentor.
    #expect(view.actions.map(\.what) == ["Practise a job interview"])
    let text = String(decoding: data, as: UTF8.self)
    for secret in ["SECRET", "asylum", "medical", "Gent-Centrum", "an.peeters\"", "1991", "Syria", "VDAB"] {
      #expect(!text.contains(secret), "the mentor's view holds \(secret)")
    }
    #expect(view.pair.checkIns[0].concern == "She seemed tired")
    #expect(view.pair.checkIns[0].concernHandled == ConcernHandled(on: LocalDate("2026-11-09")!, by: "", note: ""))
  }

  @Test func otherMentorsAndStaffGetNothing() throws {
    let t = try TempStore()
    _ = try restrictedCase(t)
    #expect(try t.store.mentees(of: ["M-2026-0009"]).views.isEmpty)
    #expect(try t.store.mentees(of: []) == Mentees())
  }

  @Test func aCheckInIsAddedOnlyToTheMentorsOwnMentee() throws {
    let t = try TempStore()
    let stored = try restrictedCase(t)
    let now = Date(timeIntervalSince1970: 1_795_500_000)  // 2026-11-18
    let draft = CheckIn(on: LocalDate("2026-11-15")!, minutes: 120, channel: .inPerson, goals: ["job-search"], progress: ["job-search": 3])
    let error = storeError { try t.store.logCheckIn(draft, caseID: stored.id, mentorIDs: ["M-2026-0009"], by: "kim", now: now) }
    #expect(error?.description == "No mentee \(stored.id) in this store.")
    #expect(try t.store.load(stored.id).revision == stored.revision)
    let view = try t.store.logCheckIn(draft, caseID: stored.id, mentorIDs: ["M-2026-0001"], by: "hilde", now: now)
    #expect(view.pair.checkIns.map(\.id) == ["k1", "k2"])
    let saved = try t.store.load(stored.id).document
    #expect(saved.mentoring[1].checkIns[1].loggedBy == "hilde")
    #expect(saved.notes == stored.document.notes)
    // A bad value is reported by check-in field, and nothing is saved.
    var bad = draft
    bad.on = LocalDate("2026-11-16")!
    bad.progress = ["job-search": 9]
    let invalid = storeError { try t.store.logCheckIn(bad, caseID: stored.id, mentorIDs: ["M-2026-0001"], by: "hilde", now: now) }
    guard case .invalid(let issues)? = invalid else {
      Issue.record("expected invalid, got \(String(describing: invalid))")
      return
    }
    #expect(issues.map(\.path) == ["progress.job-search"])
    #expect(try t.store.load(stored.id).document.mentoring[1].checkIns.count == 2)
    // The same meeting logged again (the same day): refused, by its date.
    let twice = storeError { try t.store.logCheckIn(draft, caseID: stored.id, mentorIDs: ["M-2026-0001"], by: "hilde", now: now) }
    guard case .invalid(let again)? = twice else {
      Issue.record("a second check-in on one day was not refused: \(String(describing: twice))")
      return
    }
    #expect(again.map(\.problem) == [.checkInThatDay(LocalDate("2026-11-15")!)])
    #expect(try t.store.load(stored.id).document.mentoring[1].checkIns.count == 2)
  }
}
