import CaseStore
import Foundation
import Testing

@testable import Casework

/// The groundwork of the VOORwerk capability: programme content, group records, the report.
@Suite struct TrainingTests {
  let programme: VoorwerkProgramme = {
    do {
      return try VoorwerkProgramme.load(storeRoot: nil)
    } catch {
      fatalError("the shipped programme does not load: \(error)")
    }
  }()

  @Test func theShippedProgrammeHasThreePartsFiveModulesAndEighteenHours() {
    #expect(programme.parts.map(\.id) == ["group", "individual", "practice"])
    #expect(programme.modules.count == 5)
    #expect(programme.totalHours == 18)
    #expect(programme.days == 3)
    #expect(programme.modules[3].title("en") == "Work ethic")
  }

  @Test func entryTestPointsGiveALevel() {
    // 6 questions, 0–2 points each; basic from 0, standard from 5, advanced from 9.
    #expect(programme.recommendedLevel([:]).id == "basic")
    let some = ["worked-in-team": 2, "applied-for-job": 1, "names-strengths": 2]
    #expect(programme.points(some) == 5)
    #expect(programme.recommendedLevel(some).id == "standard")
    let all = Dictionary(uniqueKeysWithValues: programme.entryTest.map { ($0.id, 2) })
    #expect(programme.recommendedLevel(all).id == "advanced")
    #expect(programme.points(["worked-in-team": 7, "unknown": 1]) == 0)
  }

  func group() -> TrainingGroup {
    var g = TrainingGroup(
      name: "VOORwerk najaar", centre: "Kapellen", trainers: ["an"], language: "en",
      interpreters: [.init(name: "Samir", languages: ["ar"])],
      days: [LocalDate("2026-10-05")!, LocalDate("2026-10-12")!, LocalDate("2026-10-19")!], capacity: 12,
      level: "standard")
    // Modules 1 to 3 given: attendance is recorded for them only.
    g.delivered = ["m1": LocalDate("2026-10-05")!, "m2": LocalDate("2026-10-12")!, "m3": LocalDate("2026-10-19")!]
    for (n, id) in ["K-2026-0001", "K-2026-0002", "K-2026-0003", "K-2026-0004", "K-2026-0005"].enumerated() {
      var p = TrainingGroup.Participant(caseID: id)
      p.attendance = ["m1": .present, "m2": n == 4 ? .absent : .present, "m3": n < 2 ? .excused : .present]
      if n < 4 {
        p.evaluation = .init(
          confidence: 4 + n % 2, labourMarket: 2 + n, communication: 3, initiative: 4, organisation: 3,
          responsibility: 5, level: n == 3 ? .tooHigh : .right)
      }
      p.entryTest = n == 0 ? [:] : Dictionary(uniqueKeysWithValues: programme.entryTest.map { ($0.id, n == 1 ? 2 : 1) })
      g.participants.append(p)
    }
    return g
  }

  @Test func reportSplitsTheEvaluationByGenderWithCounts() {
    let genders: [String: Gender] = [
      "K-2026-0001": .female, "K-2026-0002": .female, "K-2026-0003": .male, "K-2026-0004": .male, "K-2026-0005": .female,
    ]
    let report = TrainingReport(group: group(), programme: programme, genders: genders)
    #expect(report.attendance.map(\.rate) == [100, 80, 60, nil, nil])
    #expect(report.attendance[2].excused == 2 && report.attendance[3].unrecorded == 5)
    let women = report.evaluations.first { $0.gender == .female }!
    let men = report.evaluations.first { $0.gender == .male }!
    #expect(women.count == 2 && men.count == 2)
    // Women: cases 1 and 2 (n = 0, 1): confidence 4 and 5, labour market 2 and 3.
    #expect(women.means["confidence"] == 4.5 && women.means["labourMarket"] == 2.5)
    // Men: cases 3 and 4 (n = 2, 3): labour market 4 and 5; one found the level too high.
    #expect(men.means["labourMarket"] == 4.5)
    #expect(men.levelFit[.tooHigh] == 1 && men.levelFit[.right] == 1)
    #expect(report.total.count == 4)
    // Entry tests: case 1 scored 0 (basic), case 2 all 2s (advanced), the rest 1s = 6 (standard).
    #expect(report.levelMix == ["basic": 1, "advanced": 1, "standard": 3])
    #expect(report.levelSpreadIsWide)
  }

  @Test func groupsAreStoredDurablyWithRevisionsAndConflicts() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keten-groups-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try Store(root: dir, rules: ChainRules())
    let now = Date(timeIntervalSince1970: 1_795_339_800)  // 2026-11-22
    let created = try store.create(group(), by: "an", now: now)
    #expect(created.id == "G-2026-0001" && created.revision == 1)
    #expect(try store.create(group(), by: "an", now: now).id == "G-2026-0002")
    var st = stat()
    #expect(stat(dir + "/groups/G-2026-0001.json", &st) == 0 && st.st_mode & 0o777 == 0o600)
    var edited = created.record
    edited.delivered["m4"] = LocalDate("2026-10-19")!
    let saved = try store.save(edited, basedOn: created, by: "an", now: now)
    #expect(saved.revision == 2)
    // A save based on the old revision is a conflict, not an overwrite.
    do {
      try store.save(edited, basedOn: created, by: "bo", now: now)
      Issue.record("a stale save must fail")
    } catch {
      #expect(error.description.hasPrefix("The training group G-2026-0001 was changed by an"))
      #expect(error.exitCode == 3)
    }
    // Over capacity and bad scores are refused with the field named.
    var full = saved.record
    full.capacity = 2
    do {
      try store.save(full, basedOn: saved, by: "an", now: now)
      Issue.record("over capacity must fail")
    } catch {
      #expect(error.description == "capacity: '2' is not a whole number from 5 to 200.")
    }
    // Unknown keys written by a newer version survive a save.
    let path = dir + "/groups/G-2026-0002.json"
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(of: "\"capacity\"", with: "\"futureField\": {\"x\": 1},\n  \"capacity\"")
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let second = try store.record(TrainingGroup.self, "G-2026-0002")
    try store.save(second.record, basedOn: second, by: "an", now: now)
    #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"futureField\""))
    // Listing skips and reports a damaged file; an unknown id names the kind.
    try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/groups/G-2026-0009.json"))
    let listed = try store.records(TrainingGroup.self)
    #expect(listed.records.map(\.id) == ["G-2026-0001", "G-2026-0002"])
    #expect(listed.damaged.map(\.file) == ["groups/G-2026-0009.json"])
    do {
      _ = try store.record(TrainingGroup.self, "G-2026-0042")
      Issue.record("an unknown id must fail")
    } catch {
      #expect(error.description == "No training group G-2026-0042 in this store.")
    }
  }
}
