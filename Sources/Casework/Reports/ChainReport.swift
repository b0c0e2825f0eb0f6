import CaseStore
import Foundation

/// One figure of the chain report: what it counts, how many (n), split by gender where people
/// are counted.
public struct ReportFigure: Sendable, Equatable {
  public enum Section: String, Sendable, CaseIterable {
    case funnel, screening, voorwerk, mentoring, sustaining, plan
  }

  public enum Value: Sendable, Equatable {
    /// People (or items) counted: `n`, split by gender in `byGender`.
    case count
    /// `n` of `of`, e.g. phase-1 complete among those screened; `byGender` splits `n`, `ofByGender` splits `of`.
    case share(of: Int)
    /// The median of `n` durations, in days (nil when n is 0).
    case medianDays(Int?)
    /// Minutes logged against minutes planned so far, over `n` pairs (shown as hours with their
    /// half hours).
    case hours(loggedMinutes: Int, plannedMinutes: Int)
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
    self.init(
      summaries: summaries, groups: groups, voorwerk: voorwerk, mentoring: mentoring, period: period, today: today,
      centre: centre, halvesFrom: 20_000)
  }

  /// `halvesFrom`: from how many summaries the facts are parsed as two halves at once.
  init(
    summaries: [CaseSummary], groups: [TrainingGroup], voorwerk: VoorwerkProgramme, mentoring: MentoringProgramme,
    period: ClosedRange<LocalDate>, today: LocalDate, centre: String?, halvesFrom: Int
  ) {
    self.period = period
    self.today = today
    self.centre = centre
    let folded = centre.map(SearchText.fold)
    // The cases open at some point in the period (opened by its end, not closed before its start).
    // One row of plain values per case, which the figures' predicates read without retaining
    // anything (counting over rows that held arrays spent a third of the report's time in
    // reference counting at 100,000 cases); the lists a few figures walk stay in `details`.
    // Parsing every case's facts is most of the work: at 100,000 cases it is done as two halves
    // at once, joined in order.
    let halves = summaries.count >= halvesFrom ? 2 : 1
    let built = Slots<(rows: [Row], details: [Facts], ids: [String])>(count: halves)
    DispatchQueue.concurrentPerform(iterations: halves) { half in
      let part = summaries[summaries.count * half / halves..<summaries.count * (half + 1) / halves]
      var rows: [Row] = []
      var details: [Facts] = []
      var ids: [String] = []
      rows.reserveCapacity(part.count)
      details.reserveCapacity(part.count)
      ids.reserveCapacity(part.count)
      for s in part {
        if let closed = s.closedOn, closed < period.lowerBound { continue }
        if let folded, SearchText.fold(s.centre) != folded { continue }
        let facts = Facts(summary: s)
        if let intake = facts.intake, intake > period.upperBound { continue }
        rows.append(Row(summary: s, facts: facts, period: period))
        details.append(facts)
        ids.append(s.id.rawValue)
      }
      built[half] = (rows, details, ids)
    }
    let parts = built.takeAll().compactMap { $0 }
    let rows = parts.flatMap(\.rows)
    let details = parts.flatMap(\.details)
    let ids = parts.flatMap(\.ids)
    cases = rows.count
    var out: [ReportFigure] = []
    // Figures count over `rows` by predicate, reading each row in place: no lists are copied.
    func tally(_ include: (Row) -> Bool) -> (n: Int, byGender: [Gender: Int]) {
      var counts = [Int](repeating: 0, count: Gender.allCases.count)
      var n = 0
      for i in rows.indices where include(rows[i]) {
        n += 1
        counts[Int(rows[i].genderSlot)] += 1
      }
      var byGender: [Gender: Int] = [:]
      for (g, c) in zip(Gender.allCases, counts) where c > 0 { byGender[g] = c }
      return (n, byGender)
    }
    func people(_ section: ReportFigure.Section, _ key: String, _ include: (Row) -> Bool) -> ReportFigure {
      let t = tally(include)
      return ReportFigure(section: section, key: key, n: t.n, value: .count, byGender: t.byGender)
    }
    func share(_ section: ReportFigure.Section, _ key: String, _ part: (Row) -> Bool, of base: (Row) -> Bool) -> ReportFigure {
      let p = tally { base($0) && part($0) }
      let b = tally(base)
      return ReportFigure(section: section, key: key, n: p.n, value: .share(of: b.n), byGender: p.byGender, ofByGender: b.byGender)
    }
    func median(_ section: ReportFigure.Section, _ key: String, _ days: [Int]) -> ReportFigure {
      let sorted = days.sorted()
      let m: Int? = sorted.isEmpty ? nil : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
      return ReportFigure(section: section, key: key, n: days.count, value: .medianDays(m))
    }
    func within(_ date: LocalDate?) -> Bool { date.map(period.contains) ?? false }
    let days = (from: Day(period.lowerBound), to: Day(period.upperBound))
    func within(_ day: Day) -> Bool { day != .none && days.from <= day && day <= days.to }

    // Funnel: where the cases stand, the steps taken in the period, and how long steps take.
    out.append(people(.funnel, "cases") { _ in true })
    for stage in ChainStage.allCases {
      out.append(people(.funnel, "stage.\(stage.rawValue)") { [stage = Bits([stage])] in $0.closedOn == .none && $0.stages.intersects(stage) })
    }
    out.append(people(.funnel, "closed") { within($0.closedOn) })
    // Moves between stages: people whose stages changed in the period, the stages they entered,
    // and those who went back (their furthest stage came before the one they left).
    out.append(people(.funnel, "moved") { $0.moved })
    for stage in ChainStage.allCases {
      out.append(people(.funnel, "move.\(stage.rawValue)") { [stage = Bits([stage])] in $0.movedInto.intersects(stage) })
    }
    out.append(people(.funnel, "move.back") { $0.movedBack })
    out.append(people(.funnel, "step.intake") { within($0.intake) })
    out.append(people(.funnel, "step.phase1") { within($0.phase1Started) })
    out.append(people(.funnel, "step.phase2") { within($0.phase2) })
    out.append(people(.funnel, "step.mentoring") { $0.pairStarted })
    out.append(people(.funnel, "step.hired") { $0.hireStarted })
    func between(_ from: (Row) -> Day, _ to: (Row) -> Day) -> [Int] {
      var out: [Int] = []
      for i in rows.indices {
        let a = from(rows[i]), b = to(rows[i])
        guard a != .none, within(b), a <= b else { continue }
        out.append(Int(b.number - a.number))
      }
      return out
    }
    out.append(median(.funnel, "days.intakeToPhase1", between(\.intake, \.phase1Started)))
    out.append(median(.funnel, "days.phase1ToPhase2", between(\.phase1Started, \.phase2)))
    out.append(median(.funnel, "days.permitToHire", between(\.permit, \.firstHire)))

    // Screening: completeness, levels by gender, documents and recognition.
    let screened: (Row) -> Bool = { $0.phase1Started != .none }
    out.append(share(.screening, "phase1Complete", \.phase1Complete, of: screened))
    for level in CEFRLevel.allCases {
      out.append(people(.screening, "cefr.\(level.rawValue)") { screened($0) && $0.cefr == level })
    }
    out.append(people(.screening, "cefr.none") { screened($0) && $0.cefr == nil })
    for level: Int8 in 0...8 { out.append(people(.screening, "isced.\(level)") { screened($0) && $0.isced == level }) }
    out.append(people(.screening, "isced.none") { screened($0) && $0.isced == nil })
    out.append(share(.screening, "documentsOnHand", { $0.documents == true }, of: { $0.documents != nil }))
    for status in RecognitionStatus.allCases {
      out.append(people(.screening, "recognition.\(status.rawValue)") { [status = Bits([status])] in $0.recognition.intersects(status) })
    }

    // VOORwerk: groups with a day in the period, their participants and attendance.
    let genders = Dictionary(zip(ids, rows.map(\.gender)), uniquingKeysWith: { a, _ in a })
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
    let pairs = rows.indices.flatMap { i in details[i].pairs.map { (gender: rows[i].gender, pair: $0) } }
      .filter { $0.pair.start <= period.upperBound && ($0.pair.closedOn.map { $0 >= period.lowerBound } ?? true) }
    var active = ReportFigure(section: .mentoring, key: "pairs", n: pairs.count, value: .count)
    for p in pairs { active.byGender[p.gender, default: 0] += 1 }
    out.append(active)
    var logged = 0
    var planned = 0
    for (_, p) in pairs {
      logged += p.minutesLogged
      let stop = min(p.closedOn ?? end, p.start.adding(months: p.months), end)
      let meetings = max(0, p.start.days(until: stop)) / max(1, p.every)
      planned += meetings * p.perMeeting
    }
    out.append(ReportFigure(section: .mentoring, key: "hours", n: pairs.count, value: .hours(loggedMinutes: logged, plannedMinutes: planned)))
    let overdue = pairs.filter {
      $0.pair.closedOn == nil
        && PairHealth.isOverdue(lastContact: $0.pair.last ?? $0.pair.start, every: $0.pair.every, grace: mentoring.overdueGraceDays, today: today)
    }
    let openPairs = pairs.filter { $0.pair.closedOn == nil }
    var late = ReportFigure(section: .mentoring, key: "overdue", n: overdue.count, value: .share(of: openPairs.count))
    for p in overdue { late.byGender[p.gender, default: 0] += 1 }
    for p in openPairs { late.ofByGender[p.gender, default: 0] += 1 }
    out.append(late)
    let closed = pairs.filter { within($0.pair.closedOn) }
    let positive = closed.filter { $0.pair.outcome?.isPositive ?? false }
    var outcome = ReportFigure(section: .mentoring, key: "outcomePositive", n: positive.count, value: .shareAgainst(of: closed.count, referencePercent: mentoring.outcomeReference.percent))
    for p in positive { outcome.byGender[p.gender, default: 0] += 1 }
    for p in closed { outcome.ofByGender[p.gender, default: 0] += 1 }
    out.append(outcome)
    for o in PairOutcome.allCases {
      var f = ReportFigure(section: .mentoring, key: "outcome.\(o.rawValue)", n: 0, value: .share(of: closed.count))
      for p in closed where p.pair.outcome == o {
        f.n += 1
        f.byGender[p.gender, default: 0] += 1
      }
      for p in closed { f.ofByGender[p.gender, default: 0] += 1 }
      out.append(f)
    }

    // Sustaining: meetings due in the period, still employed at six months, drop-out reasons.
    var onTime = 0, held = 0, missed = 0
    for r in details {
      for m in r.meetings where period.contains(m.due) && m.due < today {
        if let on = m.held {
          held += 1
          if on <= m.due { onTime += 1 }
        } else if !r.hires.contains(where: { h in h.outcomeOn.map { $0 < m.due } ?? false }) {
          missed += 1
        }
      }
    }
    let due = held + missed
    out.append(ReportFigure(section: .sustaining, key: "followUps.onTime", n: onTime, value: .share(of: due)))
    out.append(ReportFigure(section: .sustaining, key: "followUps.late", n: held - onTime, value: .share(of: due)))
    out.append(ReportFigure(section: .sustaining, key: "followUps.missed", n: missed, value: .share(of: due)))
    let reviewed = rows.indices.flatMap { i in details[i].hires.filter { within($0.outcomeOn) }.map { (rows[i].gender, $0) } }
    var employed = ReportFigure(section: .sustaining, key: "stillEmployed", n: 0, value: .share(of: reviewed.count))
    for (gender, h) in reviewed {
      employed.ofByGender[gender, default: 0] += 1
      if let status = h.outcome, HireOutcome.Status(rawValue: status)?.stillEmployed == true {
        employed.n += 1
        employed.byGender[gender, default: 0] += 1
      }
    }
    out.append(employed)
    for issue in FollowUpIssue.allCases {
      out.append(people(.sustaining, "issue.\(issue.rawValue)") { [issue = Bits([issue])] in $0.sustained && $0.issues.intersects(issue) })
    }

    // Action plans: people with one, from the permit to a first plan, and over the plans'
    // actions: how they stand, by which partner, overdue, and what came of referrals.
    out.append(people(.plan, "plans") { $0.planStarted != .none && $0.planStarted <= days.to })
    out.append(median(.plan, "days.permitToPlan", between(\.permit, \.planStarted)))
    let actions = rows.indices.flatMap { i in details[i].actions.map { (gender: rows[i].gender, action: $0) } }
    func items(_ key: String, of base: [(gender: Gender, action: Facts.Action)], _ include: (Facts.Action) -> Bool) -> ReportFigure {
      var f = ReportFigure(section: .plan, key: key, n: 0, value: .share(of: base.count))
      for a in base {
        f.ofByGender[a.gender, default: 0] += 1
        if include(a.action) {
          f.n += 1
          f.byGender[a.gender, default: 0] += 1
        }
      }
      return f
    }
    out.append(ReportFigure(section: .plan, key: "actions", n: actions.count, value: .count, byGender: actions.reduce(into: [:]) { $0[$1.gender, default: 0] += 1 }))
    for status in PlanAction.Status.allCases { out.append(items("action.\(status.rawValue)", of: actions) { $0.status == status }) }
    for partner in ActionPlan.Partner.allCases { out.append(items("partner.\(partner.rawValue)", of: actions) { $0.partner == partner }) }
    let open = actions.filter { $0.action.status.isOpen }
    out.append(items("actions.overdue", of: open) { $0.due < today })
    let referred = actions.filter { $0.action.referral != nil }
    for outcome in Referral.Outcome.allCases { out.append(items("referral.\(outcome.rawValue)", of: referred) { $0.referral == outcome.rawValue }) }
    out.append(items("referral.pending", of: referred) { $0.referral == "" })
    figures = out
  }
}

/// What most figures read of one case, as plain values (no arrays or strings, so reading a row
/// retains nothing); worked out once for the report's period.
struct Row {
  /// Where the case's gender is in `Gender.allCases` (what `tally` counts by).
  let genderSlot: UInt8
  var gender: Gender { Gender.allCases[Int(genderSlot)] }
  let stages: Bits<ChainStage>
  let closedOn: Day
  let intake: Day
  let phase1Started: Day
  let phase1Complete: Bool
  let phase2: Day
  let permit: Day
  let planStarted: Day
  let firstHire: Day
  let cefr: CEFRLevel?
  let isced: Int8?
  /// nil without a diploma; whether a diploma document is on hand.
  let documents: Bool?
  let recognition: Bits<RecognitionStatus>
  /// The issues raised in follow-ups.
  let issues: Bits<FollowUpIssue>
  /// Whether the stages changed in the period, the stages entered then, and whether the case went
  /// back (its furthest stage after a change came before the one before it).
  let moved: Bool
  let movedInto: Bits<ChainStage>
  let movedBack: Bool
  /// A mentoring pair, or a hire, started in the period.
  let pairStarted: Bool
  let hireStarted: Bool
  /// A hire that ran during the period (followed up then).
  let sustained: Bool

  init(summary s: CaseSummary, facts: Facts, period: ClosedRange<LocalDate>) {
    genderSlot = UInt8(Gender.allCases.firstIndex(of: s.gender)!)
    stages = Bits(ChainStage.allCases.filter(s.isIn))
    closedOn = Day(s.closedOn)
    intake = Day(facts.intake)
    phase1Started = Day(facts.phase1Started)
    phase1Complete = facts.phase1Complete
    phase2 = Day(facts.phase2)
    permit = Day(facts.permit)
    planStarted = Day(facts.planStarted)
    firstHire = Day(facts.hires.map(\.start).min())
    cefr = facts.cefr
    isced = facts.isced.flatMap { Int8(exactly: $0) }
    documents = facts.documents
    recognition = Bits(facts.recognition)
    issues = Bits(facts.issues.compactMap(FollowUpIssue.init(rawValue:)))
    let moves = facts.moves(in: period)
    moved = !moves.isEmpty
    movedInto = Bits(moves.flatMap { $0.to.entered(from: $0.from) })
    movedBack = moves.contains { m in
      guard let before = m.from.stages.last, let after = m.to.stages.last else { return false }
      return after < before
    }
    pairStarted = facts.pairs.contains { period.contains($0.start) }
    hireStarted = facts.hires.contains { period.contains($0.start) }
    sustained = facts.hires.contains { h in
      h.start <= period.upperBound && (h.outcomeOn.map { $0 >= period.lowerBound } ?? true)
    }
  }
}

/// A date as a day number in four bytes (a row of dates as `LocalDate?`, 32 bytes each, made
/// the predicates' copies of rows the report's largest cost); `.none` when there is no date.
struct Day: Comparable {
  static let none = Day(number: Int32.min)
  let number: Int32
  private init(number: Int32) { self.number = number }
  init(_ date: LocalDate?) { number = date.map { Int32(clamping: $0.daysSinceEpoch) } ?? Int32.min }
  static func < (a: Day, b: Day) -> Bool { a.number < b.number }
}

/// A set of a small enum's cases as bits in `allCases` order.
struct Bits<Element: CaseIterable & Equatable> {
  private var raw: UInt32 = 0
  init(_ elements: some Sequence<Element>) {
    for e in elements { raw |= 1 << Bits.bit(e) }
  }
  /// Whether any element of `other` is here (`other` made once outside a loop over rows).
  func intersects(_ other: Bits) -> Bool { raw & other.raw != 0 }
  private static func bit(_ e: Element) -> UInt32 {
    let i = Element.allCases.firstIndex(of: e)!
    return UInt32(Element.allCases.distance(from: Element.allCases.startIndex, to: i))
  }
}

/// A summary's report facts, parsed once into typed fields (the report then compares values,
/// not strings).
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
  struct Action {
    var status: PlanAction.Status
    var partner: ActionPlan.Partner
    var due: LocalDate
    /// nil without a referral; "" while its outcome is not known.
    var referral: String?
  }

  var intake: LocalDate?
  var phase1Started: LocalDate?
  var phase1Complete = false
  var phase2: LocalDate?
  var permit: LocalDate?
  var cefr: CEFRLevel?
  var isced: Int?
  /// nil without a diploma; whether a diploma document is on hand.
  var documents: Bool?
  var recognition: [RecognitionStatus] = []
  var pairs: [Pair] = []
  var hires: [Hire] = []
  var meetings: [Meeting] = []
  var issues: [String] = []
  /// The stage history, oldest first.
  var stageHistory: [StageChange] = []
  var planStarted: LocalDate?
  var actions: [Action] = []

  /// The changes of stages in `period`, each with the stages it came from.
  func moves(in period: ClosedRange<LocalDate>) -> [(from: StageChange, to: StageChange)] {
    guard stageHistory.count > 1 else { return [] }
    return zip(stageHistory, stageHistory.dropFirst()).filter { period.contains($0.1.on) }.map { ($0.0, $0.1) }
  }

  init(summary: CaseSummary) {
    self.init()
    summary.withFactsBytes { parse($0) }
  }

  private init() {}

  typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

  /// The facts' keys as bytes, matched without making a string of each key.
  private enum Key: CaseIterable {
    case intake, phase1Started, phase1Complete, phase2, permit, cefr, isced, documents, recognition
    case pair, hire, followUp, followUpIssue, stages, plan, action
    var name: String {
      switch self {
      case .intake: ReportFact.intake
      case .phase1Started: ReportFact.phase1Started
      case .phase1Complete: ReportFact.phase1Complete
      case .phase2: ReportFact.phase2
      case .permit: ReportFact.permit
      case .cefr: ReportFact.cefr
      case .isced: ReportFact.isced
      case .documents: ReportFact.documents
      case .recognition: ReportFact.recognition
      case .pair: ReportFact.pair
      case .hire: ReportFact.hire
      case .followUp: ReportFact.followUp
      case .followUpIssue: ReportFact.followUpIssue
      case .stages: ReportFact.stages
      case .plan: ReportFact.plan
      case .action: ReportFact.action
      }
    }
    static let table: [(Key, [UInt8])] = allCases.map { ($0, Array($0.name.utf8)) }
    static func find(_ bytes: Bytes) -> Key? {
      table.first { $0.1.count == bytes.count && $0.1.elementsEqual(bytes) }?.0
    }
  }

  /// Parses `key=value;key=value…` (UTF-8) in place; unknown keys and malformed values are skipped.
  private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) {
    var start = bytes.startIndex
    while start < bytes.endIndex {
      var end = start
      while end < bytes.endIndex && bytes[end] != UInt8(ascii: ";") { end += 1 }
      add(bytes[start..<end])
      start = end + 1
    }
  }

  private static func date(_ b: Bytes) -> LocalDate? { LocalDate(bytes: UnsafeBufferPointer(rebasing: b)) }

  private static func string(_ b: Bytes) -> String { String(decoding: b, as: UTF8.self) }

  private static func int(_ b: Bytes) -> Int? {
    guard !b.isEmpty, b.count <= 18 else { return nil }
    var n = 0
    for c in b {
      guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
      n = n * 10 + Int(c - UInt8(ascii: "0"))
    }
    return n
  }

  /// The `|`-separated fields of a value, empty ones kept.
  private static func fields(_ b: Bytes) -> [Bytes] {
    b.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
  }

  private mutating func add(_ fact: Bytes) {
    guard let eq = fact.firstIndex(of: UInt8(ascii: "=")), let key = Key.find(fact[..<eq]) else { return }
    let value = fact[(eq + 1)...]
    switch key {
    case .intake: intake = Facts.date(value)
    case .phase1Started: phase1Started = Facts.date(value)
    case .phase1Complete: phase1Complete = true
    case .phase2: phase2 = Facts.date(value)
    case .permit: permit = Facts.date(value)
    case .cefr: cefr = CEFRLevel(rawValue: Facts.string(value))
    case .isced: isced = Facts.int(value)
    case .documents: documents = value.elementsEqual([UInt8(ascii: "1")])
    case .recognition:
      recognition = value.split(separator: UInt8(ascii: ",")).compactMap { RecognitionStatus(rawValue: Facts.string($0)) }
    case .followUpIssue: issues.append(Facts.string(value))
    case .stages:
      guard let bar = value.firstIndex(of: UInt8(ascii: "|")), let on = Facts.date(value[..<bar]) else { return }
      let stages = value[(bar + 1)...].split(separator: UInt8(ascii: ",")).compactMap { ChainStage(rawValue: Facts.string($0)) }
      stageHistory.append(StageChange(on: on, stages: stages))
    case .followUp:
      // The most frequent fact (a dozen meetings per hire): two fields, no array.
      guard let bar = value.firstIndex(of: UInt8(ascii: "|")), let due = Facts.date(value[..<bar]) else { return }
      let held = value[(bar + 1)...]
      meetings.append(Meeting(due: due, held: held.isEmpty ? nil : Facts.date(held)))
    case .pair:
      let parts = Facts.fields(value)
      guard parts.count == 8, let start = Facts.date(parts[0]) else { return }
      pairs.append(
        Pair(
          start: start, closedOn: Facts.date(parts[1]), outcome: PairOutcome(rawValue: Facts.string(parts[2])),
          minutesLogged: Facts.int(parts[3]) ?? 0, perMeeting: Facts.int(parts[4]) ?? 0, every: Facts.int(parts[5]) ?? 7,
          months: Facts.int(parts[6]) ?? 6, last: Facts.date(parts[7])))
    case .plan: planStarted = Facts.date(value)
    case .action:
      let parts = Facts.fields(value)
      guard parts.count == 5, let status = PlanAction.Status(rawValue: Facts.string(parts[0])),
        let partner = ActionPlan.Partner(rawValue: Facts.string(parts[1])), let due = Facts.date(parts[2])
      else { return }
      let referral = Facts.string(parts[4])
      actions.append(Action(status: status, partner: partner, due: due, referral: referral == "-" ? nil : referral))
    case .hire:
      let parts = Facts.fields(value)
      guard parts.count == 3, let start = Facts.date(parts[0]) else { return }
      hires.append(Hire(start: start, outcome: parts[1].isEmpty ? nil : Facts.string(parts[1]), outcomeOn: Facts.date(parts[2])))
    }
  }
}
