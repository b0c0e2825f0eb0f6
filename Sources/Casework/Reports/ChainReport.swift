import CaseStore
import Foundation

/// One figure of the chain report: what it counts, how many (n), split by gender where people
/// are counted.
public struct ReportFigure: Sendable, Equatable {
  public enum Section: String, Sendable, CaseIterable {
    case funnel, screening, voorwerk, mentoring, sustaining
  }

  public enum Value: Sendable, Equatable {
    /// People (or items) counted: `n`, split by gender in `byGender`.
    case count
    /// `n` of `of`, e.g. phase-1 complete among those screened; `byGender` splits `n`, `ofByGender` splits `of`.
    case share(of: Int)
    /// The median of `n` durations, in days (nil when n is 0).
    case medianDays(Int?)
    /// Hours logged against hours planned so far, over `n` pairs.
    case hours(logged: Int, planned: Int)
    /// A share with a reference percentage to compare with (the 3-in-4 of mentoring outcomes).
    case shareAgainst(of: Int, referencePercent: Int)
  }

  public var section: Section
  /// What it counts, as a strings key below `report.` (`stage.bridging`, `cefr.B1`, …).
  public var key: String
  public var n: Int
  public var value: Value
  public var byGender: [Gender: Int] = [:]
  public var ofByGender: [Gender: Int] = [:]

  /// The denominator of a share, if the figure is one.
  public var of: Int? {
    switch value {
    case .share(let of), .shareAgainst(let of, _): of
    default: nil
    }
  }
}

/// The figures coordinators and funders ask for, over the cases a user may see, for a period:
/// the chain funnel, screening, VOORwerk, mentoring and sustaining. Built from the index's
/// summaries and report facts plus the training groups — no case file is read.
public struct ChainReport: Sendable {
  public var period: ClosedRange<LocalDate>
  public var today: LocalDate
  public var centre: String?
  /// People counted: the cases in the report (open at some time in the period).
  public var cases: Int
  public var figures: [ReportFigure]

  public func figures(_ section: ReportFigure.Section) -> [ReportFigure] { figures.filter { $0.section == section } }
  public func figure(_ key: String) -> ReportFigure? { figures.first { $0.key == key } }

  public init(
    summaries: [CaseSummary], groups: [TrainingGroup], voorwerk: VoorwerkProgramme, mentoring: MentoringProgramme,
    period: ClosedRange<LocalDate>, today: LocalDate, centre: String? = nil
  ) {
    self.period = period
    self.today = today
    self.centre = centre
    let folded = centre.map(SearchText.fold)
    // The cases open at some point in the period (opened by its end, not closed before its start).
    let inScope = summaries.filter { s in
      let facts = Facts(s.facts)
      if let intake = facts.date(ReportFact.intake), intake > period.upperBound { return false }
      if let closed = s.closedOn, closed < period.lowerBound { return false }
      if let folded, SearchText.fold(s.centre) != folded { return false }
      return true
    }
    cases = inScope.count
    var out: [ReportFigure] = []
    let rows = inScope.map { (summary: $0, facts: Facts($0.facts)) }
    func people(_ section: ReportFigure.Section, _ key: String, _ who: [CaseSummary]) -> ReportFigure {
      var f = ReportFigure(section: section, key: key, n: who.count, value: .count)
      for s in who { f.byGender[s.gender, default: 0] += 1 }
      return f
    }
    func share(_ section: ReportFigure.Section, _ key: String, _ part: [CaseSummary], of base: [CaseSummary]) -> ReportFigure {
      var f = people(section, key, part)
      f.value = .share(of: base.count)
      for s in base { f.ofByGender[s.gender, default: 0] += 1 }
      return f
    }
    func median(_ section: ReportFigure.Section, _ key: String, _ days: [Int]) -> ReportFigure {
      let sorted = days.sorted()
      let m: Int? = sorted.isEmpty ? nil : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
      return ReportFigure(section: section, key: key, n: days.count, value: .medianDays(m))
    }
    func within(_ date: LocalDate?) -> Bool { date.map(period.contains) ?? false }

    // Funnel: where the cases stand, the steps taken in the period, and how long steps take.
    out.append(people(.funnel, "cases", inScope))
    for stage in ChainStage.allCases {
      out.append(people(.funnel, "stage.\(stage.rawValue)", inScope.filter { !$0.isClosed && $0.stages.contains(stage) }))
    }
    out.append(people(.funnel, "closed", inScope.filter { within($0.closedOn) }))
    out.append(people(.funnel, "step.intake", rows.filter { within($0.facts.date(ReportFact.intake)) }.map(\.summary)))
    out.append(people(.funnel, "step.phase1", rows.filter { within($0.facts.date(ReportFact.phase1Started)) }.map(\.summary)))
    out.append(people(.funnel, "step.phase2", rows.filter { within($0.facts.date(ReportFact.phase2)) }.map(\.summary)))
    out.append(people(.funnel, "step.mentoring", rows.filter { $0.facts.pairs.contains { within($0.start) } }.map(\.summary)))
    out.append(people(.funnel, "step.hired", rows.filter { $0.facts.hires.contains { within($0.start) } }.map(\.summary)))
    func days(_ from: String, _ to: (Facts) -> LocalDate?) -> [Int] {
      rows.compactMap { r in
        guard let a = r.facts.date(from), let b = to(r.facts), within(b), a <= b else { return nil }
        return a.days(until: b)
      }
    }
    out.append(median(.funnel, "days.intakeToPhase1", days(ReportFact.intake) { $0.date(ReportFact.phase1Started) }))
    out.append(median(.funnel, "days.phase1ToPhase2", days(ReportFact.phase1Started) { $0.date(ReportFact.phase2) }))
    out.append(median(.funnel, "days.permitToHire", days(ReportFact.permit) { $0.hires.map(\.start).min() }))

    // Screening: completeness, levels by gender, documents and recognition.
    let screened = rows.filter { $0.facts.date(ReportFact.phase1Started) != nil }
    out.append(share(.screening, "phase1Complete", screened.filter { $0.facts.has(ReportFact.phase1Complete) }.map(\.summary), of: screened.map(\.summary)))
    for level in CEFRLevel.allCases {
      out.append(people(.screening, "cefr.\(level.rawValue)", screened.filter { $0.facts.value(ReportFact.cefr) == level.rawValue }.map(\.summary)))
    }
    out.append(people(.screening, "cefr.none", screened.filter { $0.facts.value(ReportFact.cefr) == nil }.map(\.summary)))
    for level in 0...8 {
      out.append(people(.screening, "isced.\(level)", screened.filter { $0.facts.value(ReportFact.isced) == String(level) }.map(\.summary)))
    }
    out.append(people(.screening, "isced.none", screened.filter { $0.facts.value(ReportFact.isced) == nil }.map(\.summary)))
    let withDiploma = rows.filter { $0.facts.value(ReportFact.documents) != nil }
    out.append(share(.screening, "documentsOnHand", withDiploma.filter { $0.facts.value(ReportFact.documents) == "1" }.map(\.summary), of: withDiploma.map(\.summary)))
    for status in RecognitionStatus.allCases {
      out.append(people(.screening, "recognition.\(status.rawValue)", rows.filter { ($0.facts.value(ReportFact.recognition) ?? "").split(separator: ",").contains(Substring(status.rawValue)) }.map(\.summary)))
    }

    // VOORwerk: groups with a day in the period, their participants and attendance.
    let genders = Dictionary(inScope.map { ($0.id.rawValue, $0.gender) }, uniquingKeysWith: { a, _ in a })
    let visible = Set(genders.keys)
    let activeGroups = groups.filter { g in g.days.contains(where: period.contains) && (folded == nil || SearchText.fold(g.centre) == folded) }
    out.append(ReportFigure(section: .voorwerk, key: "groups", n: activeGroups.count, value: .count))
    let participants = activeGroups.flatMap { g in g.participants.filter { visible.contains($0.caseID) } }
    var inGroups = ReportFigure(section: .voorwerk, key: "participants", n: participants.count, value: .count)
    for p in participants { inGroups.byGender[genders[p.caseID] ?? .unspecified, default: 0] += 1 }
    out.append(inGroups)
    for module in voorwerk.modules {
      var f = ReportFigure(section: .voorwerk, key: "attendance.\(module.id)", n: 0, value: .share(of: 0))
      var present = 0
      var recorded = 0
      for p in participants {
        guard let a = p.attendance[module.id] else { continue }
        let g = genders[p.caseID] ?? .unspecified
        recorded += 1
        f.ofByGender[g, default: 0] += 1
        if a == .present {
          present += 1
          f.byGender[g, default: 0] += 1
        }
      }
      f.n = present
      f.value = .share(of: recorded)
      out.append(f)
    }
    let evaluated = participants.filter { $0.evaluation != nil }
    var evaluation = ReportFigure(section: .voorwerk, key: "evaluated", n: evaluated.count, value: .share(of: participants.count))
    for p in evaluated { evaluation.byGender[genders[p.caseID] ?? .unspecified, default: 0] += 1 }
    evaluation.ofByGender = inGroups.byGender
    out.append(evaluation)
    for name in TrainingGroup.Evaluation.scoreNames {
      // Scores 1–5: the share who scored 4 or 5, by gender.
      var f = ReportFigure(section: .voorwerk, key: "evaluation.\(name)", n: 0, value: .share(of: evaluated.count))
      f.ofByGender = evaluation.byGender
      for p in evaluated where (p.evaluation!.scores.first { $0.name == name }?.value ?? 0) >= 4 {
        f.n += 1
        f.byGender[genders[p.caseID] ?? .unspecified, default: 0] += 1
      }
      out.append(f)
    }

    // Mentoring: pairs active in the period, hours against the plan, overdue, outcomes.
    let end = min(period.upperBound, today)
    let pairs = rows.flatMap { r in r.facts.pairs.map { (summary: r.summary, pair: $0) } }
      .filter { $0.pair.start <= period.upperBound && ($0.pair.closedOn.map { $0 >= period.lowerBound } ?? true) }
    var active = ReportFigure(section: .mentoring, key: "pairs", n: pairs.count, value: .count)
    for p in pairs { active.byGender[p.summary.gender, default: 0] += 1 }
    out.append(active)
    var logged = 0
    var planned = 0
    for (_, p) in pairs {
      logged += p.minutesLogged
      let stop = min(p.closedOn ?? end, p.start.adding(months: p.months), end)
      let meetings = max(0, p.start.days(until: stop)) / max(1, p.every)
      planned += meetings * p.perMeeting
    }
    out.append(ReportFigure(section: .mentoring, key: "hours", n: pairs.count, value: .hours(logged: logged / 60, planned: planned / 60)))
    let overdue = pairs.filter { $0.pair.closedOn == nil && ($0.pair.last ?? $0.pair.start).adding(days: $0.pair.every + mentoring.overdueGraceDays) < today }
    var late = ReportFigure(section: .mentoring, key: "overdue", n: overdue.count, value: .share(of: pairs.filter { $0.pair.closedOn == nil }.count))
    for p in overdue { late.byGender[p.summary.gender, default: 0] += 1 }
    out.append(late)
    let closed = pairs.filter { within($0.pair.closedOn) }
    let positive = closed.filter { $0.pair.outcome?.isPositive ?? false }
    var outcome = ReportFigure(section: .mentoring, key: "outcomePositive", n: positive.count, value: .shareAgainst(of: closed.count, referencePercent: mentoring.outcomeReference.percent))
    for p in positive { outcome.byGender[p.summary.gender, default: 0] += 1 }
    for p in closed { outcome.ofByGender[p.summary.gender, default: 0] += 1 }
    out.append(outcome)
    for o in PairOutcome.allCases {
      var f = ReportFigure(section: .mentoring, key: "outcome.\(o.rawValue)", n: 0, value: .share(of: closed.count))
      for p in closed where p.pair.outcome == o {
        f.n += 1
        f.byGender[p.summary.gender, default: 0] += 1
      }
      out.append(f)
    }

    // Sustaining: meetings due in the period, still employed at six months, drop-out reasons.
    var onTime = 0, held = 0, missed = 0
    for r in rows {
      for m in r.facts.meetings where period.contains(m.due) && m.due < today {
        if let on = m.held {
          held += 1
          if on <= m.due { onTime += 1 }
        } else if !r.facts.hires.contains(where: { h in h.outcomeOn.map { $0 < m.due } ?? false }) {
          missed += 1
        }
      }
    }
    let due = held + missed
    out.append(ReportFigure(section: .sustaining, key: "followUps.onTime", n: onTime, value: .share(of: due)))
    out.append(ReportFigure(section: .sustaining, key: "followUps.late", n: held - onTime, value: .share(of: due)))
    out.append(ReportFigure(section: .sustaining, key: "followUps.missed", n: missed, value: .share(of: due)))
    let reviewed = rows.flatMap { r in r.facts.hires.filter { within($0.outcomeOn) }.map { (r.summary, $0) } }
    var employed = ReportFigure(section: .sustaining, key: "stillEmployed", n: 0, value: .share(of: reviewed.count))
    for (s, h) in reviewed {
      employed.ofByGender[s.gender, default: 0] += 1
      if let status = h.outcome, HireOutcome.Status(rawValue: status)?.stillEmployed == true {
        employed.n += 1
        employed.byGender[s.gender, default: 0] += 1
      }
    }
    out.append(employed)
    let sustained = rows.filter { r in r.facts.hires.contains { h in h.start <= period.upperBound && (h.outcomeOn.map { $0 >= period.lowerBound } ?? true) } }
    for issue in FollowUpIssue.allCases {
      out.append(people(.sustaining, "issue.\(issue.rawValue)", sustained.filter { $0.facts.values(ReportFact.followUpIssue).contains(issue.rawValue) }.map(\.summary)))
    }
    figures = out
  }
}

/// A summary's report facts, parsed once.
struct Facts {
  struct Pair {
    var start: LocalDate
    var closedOn: LocalDate?
    var outcome: PairOutcome?
    var minutesLogged: Int
    var perMeeting: Int
    var every: Int
    var months: Int
    var last: LocalDate?
  }
  struct Hire {
    var start: LocalDate
    var outcome: String?
    var outcomeOn: LocalDate?
  }
  struct Meeting {
    var due: LocalDate
    var held: LocalDate?
  }

  var single: [String: String] = [:]
  var multi: [String: [String]] = [:]
  var pairs: [Pair] = []
  var hires: [Hire] = []
  var meetings: [Meeting] = []

  init(_ facts: [String]) {
    for fact in facts {
      guard let eq = fact.firstIndex(of: "=") else { continue }
      let key = String(fact[..<eq])
      let value = String(fact[fact.index(after: eq)...])
      let parts = value.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      switch key {
      case ReportFact.pair where parts.count == 8:
        if let start = LocalDate(parts[0]) {
          pairs.append(
            Pair(
              start: start, closedOn: LocalDate(parts[1]), outcome: PairOutcome(rawValue: parts[2]),
              minutesLogged: Int(parts[3]) ?? 0, perMeeting: Int(parts[4]) ?? 0, every: Int(parts[5]) ?? 7,
              months: Int(parts[6]) ?? 6, last: LocalDate(parts[7])))
        }
      case ReportFact.hire where parts.count == 3:
        if let start = LocalDate(parts[0]) {
          hires.append(Hire(start: start, outcome: parts[1].isEmpty ? nil : parts[1], outcomeOn: LocalDate(parts[2])))
        }
      case ReportFact.followUp where parts.count == 2:
        if let due = LocalDate(parts[0]) { meetings.append(Meeting(due: due, held: LocalDate(parts[1]))) }
      case ReportFact.followUpIssue:
        multi[key, default: []].append(value)
      default:
        single[key] = value
      }
    }
  }

  func value(_ key: String) -> String? { single[key] }
  func values(_ key: String) -> [String] { multi[key] ?? [] }
  func has(_ key: String) -> Bool { single[key] != nil }
  func date(_ key: String) -> LocalDate? { single[key].flatMap { LocalDate($0) } }
}
