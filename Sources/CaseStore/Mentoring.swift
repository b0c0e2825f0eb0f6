import Foundation

/// A mentoring pair, kept in the mentee's case file (`mentoring`): the programme agreed when the
/// coordinator confirmed the pair, the mentor's check-ins, and how it ended.
public struct MentorPair: Codable, Equatable, Sendable {
  /// `p1`, `p2`, … within the case.
  public var id: String
  /// The mentor's record id (`M-YEAR-NNNN`).
  public var mentor: String
  /// The mentor's name when the pair was made, so the case reads without the registry.
  public var mentorName: String
  public var confirmedBy: String
  public var confirmedOn: LocalDate
  public var start: LocalDate
  /// Goal ids of the mentoring catalog (`job-search`, …) or free goals in words.
  public var goals: [String]
  /// Days between meetings (7: weekly).
  public var frequencyDays: Int
  /// Planned minutes per meeting (120: two hours).
  public var minutesPerMeeting: Int
  public var durationMonths: Int
  /// When mentor, mentee and coordinator review the pair together.
  public var endReview: LocalDate
  /// Why the pair meets less than the programme foresees (fewer hours a week, fewer months).
  public var belowReason: String?
  public var checkIns: [CheckIn]
  public var closure: PairClosure?

  public init(
    id: String, mentor: String, mentorName: String, confirmedBy: String, confirmedOn: LocalDate, start: LocalDate,
    goals: [String], frequencyDays: Int = 7, minutesPerMeeting: Int = 120, durationMonths: Int = 6
  ) {
    self.id = id
    self.mentor = mentor
    self.mentorName = mentorName
    self.confirmedBy = confirmedBy
    self.confirmedOn = confirmedOn
    self.start = start
    self.goals = goals
    self.frequencyDays = frequencyDays
    self.minutesPerMeeting = minutesPerMeeting
    self.durationMonths = durationMonths
    endReview = start.adding(months: durationMonths)
    checkIns = []
    closure = nil
  }

  public var isOpen: Bool { closure == nil }

  /// The latest check-in date, or nil before the first.
  public var lastCheckIn: LocalDate? { checkIns.map(\.on).max() }

  /// Minutes logged over all check-ins.
  public var minutesLogged: Int { checkIns.reduce(0) { $0 + $1.minutes } }

  /// The next free check-in id (`k1`, `k2`, …).
  public var nextCheckInID: String {
    Screening.nextID("k", after: checkIns.map(\.id))
  }

  /// The fields of the programme a coordinator sets (and `keten mentoring pair --set` takes).
  public static let programmeFields: [FormField<MentorPair>] = [
    FormField(
      path: "start", kind: .date, required: true, get: { $0.start.description },
      set: { p, text throws(FieldError) in
        guard let d = try CaseField.parseDate("start", text) else { throw FieldError(path: "start", problem: .required) }
        let keepsReviewInStep = p.endReview == p.start.adding(months: p.durationMonths)
        p.start = d
        if keepsReviewInStep { p.endReview = d.adding(months: p.durationMonths) }
      }),
    FormField(
      path: "goals", kind: .list([]), required: true, get: { $0.goals.joined(separator: ", ") },
      set: { p, text throws(FieldError) in
        let goals = FormField<MentorPair>.splitList(text)
        if goals.isEmpty { throw FieldError(path: "goals", problem: .required) }
        p.goals = goals
      }),
    .count("frequencyDays", 1...31, \.frequencyDays),
    .count("minutesPerMeeting", 15...480, \.minutesPerMeeting),
    FormField(
      path: "durationMonths", kind: .text, required: true, get: { String($0.durationMonths) },
      set: { p, text throws(FieldError) in
        guard let n = Int(text), (1...24).contains(n) else {
          throw FieldError(path: "durationMonths", problem: .notInRange(text, min: 1, max: 24))
        }
        let keepsReviewInStep = p.endReview == p.start.adding(months: p.durationMonths)
        p.durationMonths = n
        if keepsReviewInStep { p.endReview = p.start.adding(months: n) }
      }),
    FormField(
      path: "endReview", kind: .date, required: true, get: { $0.endReview.description },
      set: { p, text throws(FieldError) in
        guard let d = try CaseField.parseDate("endReview", text) else {
          throw FieldError(path: "endReview", problem: .required)
        }
        p.endReview = d
      }),
    .optionalText("belowReason", \.belowReason),
  ]

  /// Hours a week the pair plans, in minutes.
  public var minutesPerWeek: Int { minutesPerMeeting * 7 / max(1, frequencyDays) }

  /// The reason asked for when the pair plans less than the programme: fewer minutes a week or
  /// fewer months than `usualMinutesPerWeek` and `usualMonths` (DUO for a JOB: 2 h a week, 6 months).
  public func belowProgrammeIssues(usualMinutesPerWeek: Int, usualMonths: Int) -> [ValidationIssue] {
    guard minutesPerWeek < usualMinutesPerWeek || durationMonths < usualMonths else { return [] }
    if (belowReason ?? "").isBlank {
      return [.init(path: "belowReason", problem: .belowProgramme(minutesPerWeek: minutesPerWeek, months: durationMonths))]
    }
    return []
  }
}

/// One meeting of a pair, logged by the mentor.
public struct CheckIn: Codable, Equatable, Sendable {
  /// `k1`, `k2`, … within the pair.
  public var id: String
  public var on: LocalDate
  public var minutes: Int
  public var channel: Channel
  /// Goals of the pair worked on.
  public var goals: [String]
  /// Activity ids of the mentoring catalog (`cv-help`, …) or activities in words.
  public var activities: [String]
  /// Goal → progress 1 (just started) to 5 (reached).
  public var progress: [String: Int]
  /// The mentor's own note on the meeting (what was done, what comes next); stays with the pair.
  public var note: String?
  /// A worry for the case worker; the case shows it until they mark it handled.
  public var concern: String?
  public var concernHandled: ConcernHandled?
  public var loggedBy: String
  public var loggedAt: Date

  public init(
    id: String = "", on: LocalDate, minutes: Int, channel: Channel, goals: [String] = [], activities: [String] = [],
    progress: [String: Int] = [:], concern: String? = nil, loggedBy: String = "", loggedAt: Date = Date(timeIntervalSince1970: 0)
  ) {
    self.id = id
    self.on = on
    self.minutes = minutes
    self.channel = channel
    self.goals = goals
    self.activities = activities
    self.progress = progress
    self.concern = concern
    self.loggedBy = loggedBy
    self.loggedAt = loggedAt
  }

  public enum Channel: String, StoredCode, CaseIterable, Sendable {
    case inPerson = "in-person", phone, video, messaging
  }

  /// True while a concern waits for the case worker.
  public var hasOpenConcern: Bool { concern != nil && concernHandled == nil }

  /// The fields a mentor fills in; progress per goal is added per pair (`progress.GOAL`).
  public static let baseFields: [FormField<CheckIn>] = [
    FormField(
      path: "on", kind: .date, required: true, get: { $0.on.description },
      set: { c, text throws(FieldError) in
        guard let d = try CaseField.parseDate("on", text) else { throw FieldError(path: "on", problem: .required) }
        c.on = d
      }),
    .count("minutes", 5...600, \.minutes),
    .choice("channel", Channel.self, \.channel),
  ]

  /// Goals worked on, limited to the pair's goals.
  public static func goalsField(_ goals: [String]) -> FormField<CheckIn> {
    FormField(
      path: "goals", kind: .list(goals), required: false, get: { $0.goals.joined(separator: ", ") },
      set: { c, text throws(FieldError) in
        var chosen: [String] = []
        for part in FormField<CheckIn>.splitList(text) {
          guard let goal = goals.first(where: { $0.lowercased() == part.lowercased() }) else {
            throw FieldError(path: "goals", problem: .notAllowed(part, options: goals))
          }
          if !chosen.contains(goal) { chosen.append(goal) }
        }
        c.goals = chosen
      })
  }

  /// Activities: catalog ids picked from the list, or free words.
  public static func activitiesField(_ catalog: [String]) -> FormField<CheckIn> {
    FormField(
      path: "activities", kind: .list(catalog), required: false, get: { $0.activities.joined(separator: ", ") },
      set: { c, text throws(FieldError) in c.activities = FormField<CheckIn>.splitList(text) })
  }

  /// Progress 1–5 on one goal, or empty when not assessed this time.
  public static func progressField(_ goal: String) -> FormField<CheckIn> {
    let path = "progress.\(goal)"
    return FormField(
      path: path, kind: .choice(["", "1", "2", "3", "4", "5"]), required: false,
      get: { $0.progress[goal].map(String.init) ?? "" },
      set: { c, text throws(FieldError) in
        if text.isEmpty {
          c.progress[goal] = nil
          return
        }
        guard let n = Int(text), (1...5).contains(n) else {
          throw FieldError(path: path, problem: .notInRange(text, min: 1, max: 5))
        }
        c.progress[goal] = n
      })
  }

  public static let concernField: FormField<CheckIn> = .optionalText("concern", \.concern)
  public static let noteField: FormField<CheckIn> = .optionalText("note", \.note)

  /// Every field of a check-in for a pair with these goals, in form order.
  public static func fields(goals: [String], activities: [String]) -> [FormField<CheckIn>] {
    baseFields + [goalsField(goals), activitiesField(activities)] + goals.map(progressField) + [noteField, concernField]
  }

  /// A routine check-in as the form starts it: today, the programme's minutes, the channel and
  /// the goals of the pair's last check-in (else in person, every goal of the pair).
  public static func routine(for pair: MentorPair, on day: LocalDate) -> CheckIn {
    let last = pair.checkIns.max { $0.on < $1.on }
    return CheckIn(
      on: day, minutes: pair.minutesPerMeeting, channel: last?.channel ?? .inPerson,
      goals: last.map { $0.goals.isEmpty ? pair.goals : $0.goals } ?? pair.goals)
  }
}

/// A case worker's acknowledgement of a mentor's concern.
public struct ConcernHandled: Codable, Equatable, Sendable {
  public var on: LocalDate
  public var by: String
  public var note: String

  public init(on: LocalDate, by: String, note: String) {
    self.on = on
    self.by = by
    self.note = note
  }
}

/// How a pair ended.
public struct PairClosure: Codable, Equatable, Sendable {
  public var on: LocalDate
  public var outcome: PairOutcome
  /// Why the pair stopped early (required then).
  public var reason: String?
  /// A short review by the coordinator with mentor and mentee.
  public var review: String
  public var by: String

  public init(on: LocalDate, outcome: PairOutcome, reason: String? = nil, review: String, by: String) {
    self.on = on
    self.outcome = outcome
    self.reason = reason
    self.review = review
    self.by = by
  }

  public static let fields: [FormField<PairClosure>] = [
    FormField(
      path: "on", kind: .date, required: true, get: { $0.on.description },
      set: { c, text throws(FieldError) in
        guard let d = try CaseField.parseDate("on", text) else { throw FieldError(path: "on", problem: .required) }
        c.on = d
      }),
    .choice("outcome", PairOutcome.self, \.outcome),
    .optionalText("reason", \.reason),
    .text("review", required: true, \.review),
  ]
}

/// Where the mentee stands when the pair ends (DUO for a JOB: 3 in 4 reach job, internship or
/// training).
public enum PairOutcome: String, StoredCode, CaseIterable, Sendable {
  case job, internship, training, none
  case stoppedEarly = "stopped-early"

  /// True for the outcomes the 3-in-4 figure counts.
  public var isPositive: Bool { self == .job || self == .internship || self == .training }
}

extension CaseDocument {
  /// The pair still running, if any (a case has at most one open pair).
  public var openPair: MentorPair? { mentoring.last { $0.isOpen } }
  public var openPairIndex: Int? { mentoring.lastIndex { $0.isOpen } }

  /// Adds a confirmed pair with the next free id and returns its index.
  @discardableResult
  public mutating func addPair(_ draft: MentorPair) -> Int {
    var pair = draft
    pair.id = Screening.nextID("p", after: mentoring.map(\.id))
    mentoring.append(pair)
    return mentoring.count - 1
  }

  func mentoringIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    func add(_ found: [ValidationIssue], under prefix: String) {
      issues += found.map { ValidationIssue(path: prefix + "." + $0.path, problem: $0.problem) }
    }
    let open = mentoring.indices.filter { mentoring[$0].isOpen }
    for i in open.dropLast() {
      issues.append(.init(path: "mentoring[\(i)].closure", problem: .required))
    }
    for (i, p) in mentoring.enumerated() {
      let at = "mentoring[\(i)]"
      add(p.programmeIssues(), under: at)
      for (k, c) in p.checkIns.enumerated() {
        add(c.issues(goals: p.goals, start: p.start, today: today), under: "\(at).checkIns[\(k)]")
      }
      if let closure = p.closure { add(closure.issues(start: p.start, today: today), under: "\(at).closure") }
    }
    return issues
  }
}

extension MentorPair {
  /// Problems of the programme, by field path (`goals`, `frequencyDays`, …).
  public func programmeIssues() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if goals.isEmpty { issues.append(.init(path: "goals", problem: .required)) }
    if !(1...31).contains(frequencyDays) {
      issues.append(.init(path: "frequencyDays", problem: .notInRange(String(frequencyDays), min: 1, max: 31)))
    }
    if !(15...480).contains(minutesPerMeeting) {
      issues.append(.init(path: "minutesPerMeeting", problem: .notInRange(String(minutesPerMeeting), min: 15, max: 480)))
    }
    if !(1...24).contains(durationMonths) {
      issues.append(.init(path: "durationMonths", problem: .notInRange(String(durationMonths), min: 1, max: 24)))
    }
    if endReview < start {
      issues.append(.init(path: "endReview", problem: .endBeforeStart(start: start.description, end: endReview.description)))
    }
    return issues
  }
}

extension CheckIn {
  /// Problems of a check-in of a pair with these goals that started on `start`, by field path.
  public func issues(goals pairGoals: [String], start: LocalDate, today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if on > today { issues.append(.init(path: "on", problem: .dateInFuture(on))) }
    if on < start { issues.append(.init(path: "on", problem: .beforePairStart(start))) }
    if !(5...600).contains(minutes) {
      issues.append(.init(path: "minutes", problem: .notInRange(String(minutes), min: 5, max: 600)))
    }
    for goal in goals where !pairGoals.contains(goal) {
      issues.append(.init(path: "goals", problem: .notAllowed(goal, options: pairGoals)))
    }
    // As the database takes them (a mentor's save there refuses longer ones).
    for activity in activities where activity.count > 200 {
      issues.append(.init(path: "activities", problem: .tooLong(max: 200)))
      break
    }
    for (goal, value) in progress.sorted(by: { $0.key < $1.key }) {
      if !pairGoals.contains(goal) {
        issues.append(.init(path: "progress", problem: .notAllowed(goal, options: pairGoals)))
      } else if !(1...5).contains(value) {
        issues.append(.init(path: "progress.\(goal)", problem: .notInRange(String(value), min: 1, max: 5)))
      }
    }
    if let concern, concern.isBlank {
      issues.append(.init(path: "concern", problem: .required))
    }
    return issues
  }
}

extension PairClosure {
  /// Problems of closing a pair that started on `start`, by field path.
  public func issues(start: LocalDate, today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if on > today { issues.append(.init(path: "on", problem: .dateInFuture(on))) }
    if on < start { issues.append(.init(path: "on", problem: .beforePairStart(start))) }
    if outcome == .stoppedEarly, (reason ?? "").isBlank {
      issues.append(.init(path: "reason", problem: .required))
    }
    if review.isBlank {
      issues.append(.init(path: "review", problem: .required))
    }
    return issues
  }
}
