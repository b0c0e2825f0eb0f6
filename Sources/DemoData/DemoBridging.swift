import CaseStore
import Casework
import Foundation

/// Demo mentors, mentoring pairs with check-ins, and VOORwerk groups, so the trainer's and the
/// coordinator's screens have realistic data: some pairs overdue, some with a concern, closed
/// pairs with outcomes, past groups with attendance and evaluations, a group still to come.
public struct DemoBridging {
  public let asOf: LocalDate
  public let seed: UInt64
  let content: CaseworkContent

  public init(seed: UInt64, asOf: LocalDate) throws {
    self.seed = seed
    self.asOf = asOf
    content = try CaseworkContent.load(storeRoot: nil)
  }

  static let givenNames: [(String, Gender)] = [
    ("Hilde", .female), ("Koen", .male), ("Marleen", .female), ("Luc", .male), ("Annemie", .female), ("Dirk", .male),
    ("Griet", .female), ("Patrick", .male), ("Veerle", .female), ("Johan", .male), ("Nadia", .female), ("Rachid", .male),
    ("Els", .female), ("Geert", .male), ("Sofie", .female), ("Bart", .male), ("Ingrid", .female), ("Marc", .male),
  ]
  static let familyNames = ["Claes", "Wouters", "Peeters", "Janssens", "Maes", "Willems", "Mertens", "Jacobs", "Goossens", "Aerts", "El Amrani", "De Smet"]
  static let professions: [(String, String?)] = [
    ("Chef-kok", "cook"), ("Magazijnverantwoordelijke", nil), ("Verpleegkundige", nil), ("Boekhouder", nil),
    ("Elektricien", nil), ("HR-medewerker", nil), ("Buschauffeur", nil), ("Zorgkundige", nil), ("Bakker", nil), ("Schrijnwerker", nil),
  ]

  /// Mentors for `cases` cases: about one per twelve, most of them over fifty.
  public func mentors(forCases cases: Int) -> [Mentor] {
    var rng = SplitMix64(seed: seed &+ 0x6d656e74)
    let count = max(3, min(400, cases / 12))
    let sectors = content.skills.sectors.map(\.id)
    return (0..<count).map { i in
      let (given, gender) = rng.pick(Self.givenNames)
      let family = rng.pick(Self.familyNames)
      let (profession, profile) = rng.pick(Self.professions)
      var languages = ["nl"]
      for extra in ["en", "fr", "ar", "ti", "prs", "uk"] where rng.chance(extra == "en" ? 0.7 : 0.15) { languages.append(extra) }
      let band: Mentor.AgeBand = rng.weighted([(.under30, 1), (.thirties, 2), (.forties, 2), (.fifties, 4), (.sixties, 4), (.seventyPlus, 1)])
      return Mentor(
        name: "\(given) \(family)", login: "\(given.lowercased()).\(family.lowercased().replacingOccurrences(of: " ", with: ""))\(i)",
        ageBand: band, gender: gender, languages: languages, profession: profession,
        sector: profile.flatMap { content.skills.profile($0)?.sector } ?? rng.pick(sectors), profile: profile,
        yearsExperience: 5 + rng.next(in: 0..<35), hoursPerWeek: 2 + rng.next(in: 0..<5),
        sameGenderOnly: gender == .female && rng.chance(0.2), preferences: "", maxMentees: 1 + rng.next(in: 0..<3),
        active: rng.chance(0.92))
    }
  }

  /// What pairing carries from one batch of drafts to the next: the random sequence and the
  /// places each mentor has taken.
  public struct Pairing {
    var rng: SplitMix64
    var taken: [String: Int] = [:]
  }

  public func pairing() -> Pairing { Pairing(rng: SplitMix64(seed: seed &+ 0x70616972)) }

  /// Adds mentoring pairs to open cases in the bridging stage, respecting each mentor's places.
  public func addPairs(to drafts: inout [CaseDocument], mentors: [Mentor], coordinator: String) {
    var state = pairing()
    addPairs(to: &drafts, mentors: mentors, coordinator: coordinator, state: &state)
  }

  /// Adds pairs to one batch of drafts; batches in order with one `state` pair as one call would.
  public func addPairs(to drafts: inout [CaseDocument], mentors: [Mentor], coordinator: String, state: inout Pairing) {
    var rng = state.rng
    var taken = state.taken
    defer { state = Pairing(rng: rng, taken: taken) }
    let programme = content.mentoring
    let goals = programme.goals.map(\.id)
    let activities = programme.activities.map(\.id)
    for i in drafts.indices where drafts[i].stages.contains(.bridging) && !drafts[i].isClosed && rng.chance(0.45) {
      let gender = drafts[i].person.gender
      let free = mentors.filter { m in
        m.active && (taken[m.id] ?? 0) < m.maxMentees && (!m.sameGenderOnly || m.gender == gender)
      }
      guard !free.isEmpty else { continue }
      let mentor = rng.pick(free)
      let created = LocalDate.today(drafts[i].createdAt)
      let earliest = max(created.adding(days: 14), asOf.adding(days: -300))
      guard earliest < asOf else { continue }
      let start = earliest.adding(days: rng.next(in: 0..<max(1, earliest.days(until: asOf))))
      var chosen = goals.filter { _ in rng.chance(0.4) }
      if chosen.isEmpty { chosen = ["job-search"] }
      var pair = programme.newPair(mentor: mentor, start: start, goals: chosen, confirmedBy: coordinator, today: start)
      // Weekly meetings with the odd gap; some pairs fall silent in the last weeks.
      let silentFrom = rng.chance(0.2) ? asOf.adding(days: -(10 + rng.next(in: 0..<20))) : asOf
      let end = min(silentFrom, pair.endReview)
      var day = start.adding(days: rng.next(in: 0..<5))
      var level: [String: Int] = [:]
      while day <= end {
        if !rng.chance(0.12) {
          var check = CheckIn(
            id: pair.nextCheckInID, on: day, minutes: rng.weighted([(60, 2), (90, 3), (120, 6), (150, 1)]),
            channel: rng.weighted([(.inPerson, 6), (.phone, 2), (.video, 2), (.messaging, 1)]),
            loggedBy: mentor.login, loggedAt: Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 64_800))
          check.goals = chosen.filter { _ in rng.chance(0.6) }
          check.activities = activities.filter { _ in rng.chance(0.2) }
          for goal in check.goals where rng.chance(0.7) {
            level[goal] = min(5, (level[goal] ?? 1) + (rng.chance(0.35) ? 1 : 0))
            check.progress[goal] = level[goal]
          }
          if rng.chance(0.015) {
            check.concern = rng.pick(["Lijkt erg moe, slaapt slecht in het centrum", "Dreigt zijn kamer te verliezen", "Heeft vragen over zijn verblijfsvergunning"])
            if day < asOf.adding(days: -14) {
              check.concernHandled = ConcernHandled(on: day.adding(days: 2), by: drafts[i].person.caseWorker ?? coordinator, note: "Besproken met de bewoner")
            }
          }
          pair.checkIns.append(check)
        }
        day = day.adding(days: pair.frequencyDays)
      }
      if pair.endReview <= asOf {
        let outcome: PairOutcome = rng.weighted([(.job, 35), (.internship, 20), (.training, 20), (.none, 15), (.stoppedEarly, 10)])
        pair.closure = PairClosure(
          on: pair.endReview, outcome: outcome, reason: outcome == .stoppedEarly ? "Verhuisd naar een ander centrum" : nil,
          review: "Goede samenwerking; afspraken werden nagekomen.", by: coordinator)
      } else {
        taken[mentor.id, default: 0] += 1
      }
      drafts[i].addPair(pair)
    }
  }

  /// Training groups over the created cases in the bridging stage: past groups delivered in full,
  /// one group in progress and one still to come.
  public func groups(cases: [CaseSummary], trainers: [String]) -> [TrainingGroup] {
    var rng = SplitMix64(seed: seed &+ 0x67726f75)
    let programme = content.voorwerk
    let pool = cases.filter { $0.stages.contains(.bridging) && !$0.isClosed }.map(\.id.rawValue)
    guard !pool.isEmpty else { return [] }
    let count = max(1, min(40, pool.count / 20))
    var groups: [TrainingGroup] = []
    var next = 0
    for g in 0..<count {
      // Oldest first, one every three weeks, the last one next week.
      let firstDay = asOf.adding(days: (g - count + 1) * 21 + 7)
      let days = [firstDay, firstDay.adding(days: 2), firstDay.adding(days: 4)]
      let centre = ["Kapellen", "Brussel-Noord", "Mechelen", "Gent-Centrum"][g % 4]
      var group = TrainingGroup(
        name: "VOORwerk \(centre) \(firstDay.day)/\(firstDay.month)", centre: centre, trainers: [rng.pick(trainers)],
        language: rng.pick(["en", "ar", "nl", "ti"]), days: days, capacity: 12,
        level: programme.levels[programme.levels.count / 2].id)
      if rng.chance(0.6) { group.interpreters = [.init(name: rng.pick(["Samira", "Yonas", "Ahmad", "Olena"]), languages: [rng.pick(["ar", "ti", "prs", "uk"])])] }
      let size = 6 + rng.next(in: 0..<7)
      for _ in 0..<size where next < pool.count {
        var p = TrainingGroup.Participant(caseID: pool[next])
        next += 1
        p.entryTest = Dictionary(uniqueKeysWithValues: programme.entryTest.map { ($0.id, rng.next(in: 0..<$0.answers.count)) })
        for (m, module) in programme.modules.enumerated() {
          let day = days[min(days.count - 1, m * days.count / programme.modules.count)]
          guard day <= asOf else { continue }
          p.attendance[module.id] = rng.weighted([(.present, 17), (.absent, 2), (.excused, 1)])
        }
        if days.last! <= asOf {
          let level = programme.recommendedLevel(p.entryTest!)
          let fit: TrainingGroup.LevelFit = level.id == "basic" ? rng.weighted([(.tooHigh, 3), (.right, 2)]) : rng.weighted([(.right, 5), (.tooLow, 1), (.tooHigh, 1)])
          func score() -> Int { 2 + rng.next(in: 0..<4) }
          p.evaluation = TrainingGroup.Evaluation(
            confidence: score(), labourMarket: max(1, score() - 1), communication: score(), initiative: score(),
            organisation: score(), responsibility: score(), level: fit)
          if rng.chance(0.4) {
            let from = days.last!.adding(days: 14)
            p.internship = .init(organisation: rng.pick(["Bakkerij Smets", "Colruyt Kapellen", "WZC Hof ter Beke", "Kringwinkel"]), from: from, to: from.adding(days: 28))
          }
          p.organisationsContacted = ["OCMW", "VDAB", "Kringwinkel", "Buurthuis"].filter { _ in rng.chance(0.3) }
        }
        group.participants.append(p)
      }
      for (m, module) in programme.modules.enumerated() {
        let day = days[min(days.count - 1, m * days.count / programme.modules.count)]
        if day <= asOf { group.delivered[module.id] = day }
      }
      groups.append(group)
      if next >= pool.count { break }
    }
    return groups
  }
}
