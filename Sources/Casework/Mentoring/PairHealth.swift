import CaseStore

/// How a pair is doing on a given day: time since the last contact, overdue or not, hours logged
/// against the plan, progress per goal over time, and concerns still open.
public struct PairHealth: Sendable, Equatable {
  /// The last check-in, or the start while there is none.
  public var lastContact: LocalDate
  public var daysSinceContact: Int
  /// The first day the pair counts as overdue: the last contact plus the frequency plus the grace
  /// days (7 + 3 = 10 for a weekly pair).
  public var overdueFrom: LocalDate
  /// The day the next check-in is due: the last contact plus the frequency (the grace days come
  /// after it).
  public var dueOn: LocalDate
  public var isOverdue: Bool
  public var minutesLogged: Int
  /// Minutes the plan foresees up to today (or the end review): one meeting per frequency.
  public var minutesPlanned: Int
  /// Goal → (date, progress) in date order.
  public var progress: [String: [(on: LocalDate, value: Int)]]
  public var openConcerns: Int

  public init(_ pair: MentorPair, programme: MentoringProgramme, today: LocalDate) {
    lastContact = pair.lastCheckIn ?? pair.start
    daysSinceContact = max(0, lastContact.days(until: today))
    overdueFrom = lastContact.adding(days: pair.frequencyDays + programme.overdueGraceDays)
    dueOn = lastContact.adding(days: pair.frequencyDays)
    isOverdue = pair.isOpen && Self.isOverdue(lastContact: lastContact, every: pair.frequencyDays, grace: programme.overdueGraceDays, today: today)
    minutesLogged = pair.minutesLogged
    let end = min(today, pair.closure?.on ?? pair.endReview)
    let meetings = end < pair.start ? 0 : pair.start.days(until: end) / max(1, pair.frequencyDays)
    minutesPlanned = meetings * pair.minutesPerMeeting
    var progress: [String: [(on: LocalDate, value: Int)]] = [:]
    for c in pair.checkIns.sorted(by: { $0.on < $1.on }) {
      for (goal, value) in c.progress { progress[goal, default: []].append((c.on, value)) }
    }
    self.progress = progress
    openConcerns = pair.checkIns.filter(\.hasOpenConcern).count
  }

  /// The one definition of an overdue pair, used by the pairs screen, the mentoring report, the
  /// chain report and the CLI: from the last contact plus the frequency plus the grace days on.
  public static func isOverdue(lastContact: LocalDate, every: Int, grace: Int, today: LocalDate) -> Bool {
    today >= lastContact.adding(days: every + grace)
  }

  /// The latest progress on a goal.
  public func latest(_ goal: String) -> Int? { progress[goal]?.last?.value }

  /// Logged against planned, 0–100+; nil before anything was planned.
  public var percentOfPlan: Int? {
    minutesPlanned == 0 ? nil : (minutesLogged * 100 + minutesPlanned / 2) / minutesPlanned
  }

  public static func == (a: PairHealth, b: PairHealth) -> Bool {
    a.lastContact == b.lastContact && a.overdueFrom == b.overdueFrom && a.isOverdue == b.isOverdue
      && a.minutesLogged == b.minutesLogged && a.minutesPlanned == b.minutesPlanned && a.openConcerns == b.openConcerns
      && a.progress.mapValues { $0.map { "\($0.on)=\($0.value)" } } == b.progress.mapValues { $0.map { "\($0.on)=\($0.value)" } }
  }
}

/// Outcomes of closed pairs, against the DUO for a JOB reference, split by gender with counts.
public struct MentoringReport: Sendable, Equatable {
  public struct Row: Sendable, Equatable {
    public var gender: Gender?
    /// Closed pairs.
    public var closed: Int
    public var outcomes: [PairOutcome: Int]
    /// Job, internship or training.
    public var positive: Int { outcomes.filter { $0.key.isPositive }.reduce(0) { $0 + $1.value } }
    /// Positive out of closed, 0–100; nil with no closed pairs.
    public var percent: Int? { closed == 0 ? nil : (positive * 200 + closed) / (2 * closed) }
  }

  public var active: Int
  public var overdue: Int
  public var minutesLogged: Int
  public var minutesPlanned: Int
  /// Every closed pair together (gender nil), then per gender.
  public var total: Row
  public var byGender: [Row]
  public var referencePercent: Int

  /// `cases` are the case files with pairs; closed pairs count when they closed in `period`.
  public init(cases: [CaseDocument], programme: MentoringProgramme, today: LocalDate, period: ClosedRange<LocalDate>? = nil) {
    var active = 0
    var overdue = 0
    var logged = 0
    var planned = 0
    var total = Row(gender: nil, closed: 0, outcomes: [:])
    var rows = Gender.allCases.map { Row(gender: $0, closed: 0, outcomes: [:]) }
    for d in cases {
      for pair in d.mentoring {
        let health = PairHealth(pair, programme: programme, today: today)
        if pair.isOpen, !d.isClosed {
          active += 1
          if health.isOverdue { overdue += 1 }
          logged += health.minutesLogged
          planned += health.minutesPlanned
        }
        guard let closure = pair.closure, period.map({ $0.contains(closure.on) }) ?? true else { continue }
        total.closed += 1
        total.outcomes[closure.outcome, default: 0] += 1
        let g = Gender.allCases.firstIndex(of: d.person.gender)!
        rows[g].closed += 1
        rows[g].outcomes[closure.outcome, default: 0] += 1
      }
    }
    self.active = active
    self.overdue = overdue
    minutesLogged = logged
    minutesPlanned = planned
    self.total = total
    byGender = rows
    referencePercent = programme.outcomeReference.percent
  }
}
