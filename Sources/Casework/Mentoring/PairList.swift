import CaseStore

/// One pair in the coordinator's list: who, and how it is doing.
public struct PairRow: Sendable {
  public var caseID: CaseID
  public var menteeName: String
  public var gender: Gender
  public var caseWorker: String
  public var pair: MentorPair
  public var health: PairHealth

  public init(document d: CaseDocument, pair: MentorPair, programme: MentoringProgramme, today: LocalDate) {
    caseID = d.id
    menteeName = d.person.displayName
    gender = d.person.gender
    caseWorker = d.person.caseWorker ?? ""
    self.pair = pair
    health = PairHealth(pair, programme: programme, today: today)
  }

  /// The open pairs of these case files.
  public static func open(_ documents: [CaseDocument], programme: MentoringProgramme, today: LocalDate) -> [PairRow] {
    documents.compactMap { d in
      guard !d.isClosed, let pair = d.openPair else { return nil }
      return PairRow(document: d, pair: pair, programme: programme, today: today)
    }
  }
}

/// Orders of the pair list.
public enum PairSort: String, CaseIterable, Sendable {
  /// Longest without contact first; then furthest behind the plan.
  case leastActive = "least-active"
  case mentee, mentor, start

  public func sorted(_ rows: [PairRow]) -> [PairRow] {
    rows.sorted { a, b in
      switch self {
      case .leastActive:
        if a.health.daysSinceContact != b.health.daysSinceContact { return a.health.daysSinceContact > b.health.daysSinceContact }
        return (a.health.percentOfPlan ?? 100) < (b.health.percentOfPlan ?? 100)
      case .mentee:
        return a.menteeName.localizedStandardCompare(b.menteeName) == .orderedAscending
      case .mentor:
        if a.pair.mentorName != b.pair.mentorName {
          return a.pair.mentorName.localizedStandardCompare(b.pair.mentorName) == .orderedAscending
        }
        return a.menteeName.localizedStandardCompare(b.menteeName) == .orderedAscending
      case .start:
        return a.pair.start != b.pair.start ? a.pair.start < b.pair.start : a.caseID.rawValue < b.caseID.rawValue
      }
    }
  }
}

extension Store {
  /// Case files that have mentoring pairs; `openOnly` limits them to those with an open pair.
  public func casesWithPairs(openOnly: Bool) throws(StoreError) -> [CaseDocument] {
    var out: [CaseDocument] = []
    for s in try list().cases where openOnly ? !s.mentor.isEmpty : s.pairCount > 0 {
      out.append(try load(s.id).document)
    }
    return out
  }

  /// Open pairs per mentor id over the whole store, whoever asks (a mentor's places are
  /// taken by mentees of every centre).
  public func activePairCounts() throws(StoreError) -> [String: Int] {
    try openPairsPerMentor()
  }
}

extension CaseSummary {
  /// Open pairs per mentor id among these summaries.
  public static func activePairCounts(_ summaries: [CaseSummary]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for s in summaries where !s.mentor.isEmpty { counts[s.mentor, default: 0] += 1 }
    return counts
  }
}
