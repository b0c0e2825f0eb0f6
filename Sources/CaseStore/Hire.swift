import Foundation

/// A job found: the contract, the post-hire plan with its history, the follow-up meetings held
/// or moved, and the outcome six months on. Kept in the case file under `placement.hires`.
public struct Hire: Codable, Equatable, Sendable {
  /// `h1`, `h2`, … within the case.
  public var id: String
  /// The employer's record id when registered.
  public var employer: String?
  public var employerName: String
  public var job: String
  /// A job-profile id of the skills catalog, when the job is one.
  public var profile: String?
  /// The opening's record id when the job came from one.
  public var opening: String?
  public var contract: ContractType
  public var start: LocalDate
  public var hoursPerWeek: Int
  public var recordedBy: String
  public var recordedOn: LocalDate
  public var plan: PostHirePlan
  /// Earlier versions of the plan, oldest first: the plan is a living document.
  public var planHistory: [PostHirePlan]
  public var followUps: [FollowUp]
  public var reschedules: [Reschedule]
  public var outcome: HireOutcome?

  public init(
    id: String, employer: String? = nil, employerName: String, job: String, profile: String? = nil,
    contract: ContractType, start: LocalDate, hoursPerWeek: Int, recordedBy: String, recordedOn: LocalDate
  ) {
    self.id = id
    self.employer = employer
    self.employerName = employerName
    self.job = job
    self.profile = profile
    self.contract = contract
    self.start = start
    self.hoursPerWeek = hoursPerWeek
    self.recordedBy = recordedBy
    self.recordedOn = recordedOn
    plan = PostHirePlan(revisedBy: recordedBy, revisedOn: recordedOn)
    planHistory = []
    followUps = []
    reschedules = []
    outcome = nil
  }

  public enum ContractType: String, StoredCode, CaseIterable, Sendable {
    case permanent, fixedTerm = "fixed-term", temporaryAgency = "temporary-agency", apprenticeship, other
  }

  /// The follow-up logged for a scheduled meeting, if any.
  public func followUp(for meeting: String) -> FollowUp? { followUps.first { $0.meeting == meeting } }

  /// The latest reschedule of a meeting, if any.
  public func reschedule(of meeting: String) -> Reschedule? { reschedules.last { $0.meeting == meeting } }

  /// The most recent follow-up by date held.
  public var lastFollowUp: FollowUp? { followUps.max { ($0.heldOn, $0.id) < ($1.heldOn, $1.id) } }

  /// The drop-out risk given at the latest follow-up (nil before the first).
  public var currentRisk: DropOutRisk? { lastFollowUp?.risk }

  public var nextFollowUpID: String { Screening.nextID("f", after: followUps.map(\.id)) }

  /// Replaces the plan, keeping the old version in the history. A change to goals or buddy
  /// clears the approvals: each version is approved on its own.
  public mutating func revisePlan(_ new: PostHirePlan, by user: String, on day: LocalDate) {
    guard new != plan else { return }
    var next = new
    if !next.sameContent(as: plan) && next.approvals == plan.approvals { next.approvals = PostHirePlan.Approvals() }
    next.revisedBy = user
    next.revisedOn = day
    planHistory.append(plan)
    plan = next
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if employerName.isBlank {
      issues.append(.init(path: "employerName", problem: .required))
    }
    if job.isBlank { issues.append(.init(path: "job", problem: .required)) }
    if !(1...60).contains(hoursPerWeek) {
      issues.append(.init(path: "hoursPerWeek", problem: .notInRange(String(hoursPerWeek), min: 1, max: 60)))
    }
    for (role, approval) in plan.approvals.all where (approval?.on).map({ $0 > today }) == true {
      issues.append(.init(path: "plan.approvals.\(role)", problem: .dateInFuture(approval!.on)))
    }
    var meetings = Set<String>()
    func add(_ found: [ValidationIssue], under prefix: String) {
      issues += found.map { ValidationIssue(path: prefix + "." + $0.path, problem: $0.problem) }
    }
    for (i, f) in followUps.enumerated() {
      add(f.issues(start: start, today: today), under: "followUps[\(i)]")
      if let m = f.meeting, !meetings.insert(m).inserted {
        issues.append(.init(path: "followUps[\(i)].meeting", problem: .alreadyLogged(m)))
      }
    }
    for (i, r) in reschedules.enumerated() { add(r.issues(), under: "reschedules[\(i)]") }
    if let outcome { add(outcome.issues(start: start, today: today), under: "outcome") }
    return issues
  }

  /// The fields of the hire itself (`keten hire --set`, the app's hire form).
  public static let fields: [FormField<Hire>] = [
    .optionalText("employer", \.employer),
    .text("employerName", required: true, \.employerName),
    .text("job", required: true, \.job),
    .optionalText("profile", \.profile),
    .choice("contract", ContractType.self, \.contract),
    .day("start", \.start),
    .count("hoursPerWeek", 1...60, \.hoursPerWeek),
  ]
}

/// The post-hire plan agreed by worker, career counsellor and HR or line manager.
public struct PostHirePlan: Codable, Equatable, Sendable {
  /// Goal 1: prevent early dismissal or resignation (commuting, childcare, tasks, communication…).
  public var retention: [String]
  /// Goal 2: growth in the job (training, feedback, the buddy, rights and duties).
  public var growth: [String]
  /// Goal 3: a frame for career development (ambitions, training needs).
  public var career: [String]
  public var buddyName: String
  public var buddyRole: String
  public var approvals: Approvals
  public var revisedBy: String
  public var revisedOn: LocalDate

  public init(revisedBy: String, revisedOn: LocalDate) {
    retention = []
    growth = []
    career = []
    buddyName = ""
    buddyRole = ""
    approvals = Approvals()
    self.revisedBy = revisedBy
    self.revisedOn = revisedOn
  }

  public struct Approvals: Codable, Equatable, Sendable {
    public var worker: Signature?
    public var counsellor: Signature?
    public var manager: Signature?
    public init() {}

    public var all: [(String, Signature?)] { [("worker", worker), ("counsellor", counsellor), ("manager", manager)] }
    public var isComplete: Bool { worker != nil && counsellor != nil && manager != nil }
  }

  /// Whether goals and buddy are the same (approvals and who revised aside).
  func sameContent(as other: PostHirePlan) -> Bool {
    retention == other.retention && growth == other.growth && career == other.career
      && buddyName == other.buddyName && buddyRole == other.buddyRole
  }

  /// The three goals in order, with their keys.
  public var goals: [(key: String, actions: [String])] {
    [("retention", retention), ("growth", growth), ("career", career)]
  }

  public static func fields(today: LocalDate) -> [FormField<PostHirePlan>] {
    [
      .textList("retention", \.retention),
      .textList("growth", \.growth),
      .textList("career", \.career),
      .text("buddyName", \.buddyName),
      .text("buddyRole", \.buddyRole),
      Signature.field("approvals.worker", \.approvals.worker, today: today),
      Signature.field("approvals.counsellor", \.approvals.counsellor, today: today),
      Signature.field("approvals.manager", \.approvals.manager, today: today),
    ]
  }
}

/// Who took part in a follow-up meeting.
public enum Attendee: String, StoredCode, CaseIterable, Sendable {
  case worker, manager, counsellor, buddy, hr, interpreter

  /// Who usually takes part in a meeting of the cadence, by its key (`manager@2w`): the worker
  /// and the meeting's role; the six-month review brings both.
  public static func usual(for meeting: String?) -> [Attendee] {
    switch meeting?.prefix(while: { $0 != "@" }) {
    case "manager"?: [.worker, .manager]
    case "counsellor"?: [.worker, .counsellor]
    case "review"?: [.worker, .manager, .counsellor]
    default: [.worker]
    }
  }
}

/// The fixed list of issues a follow-up can raise (the causes of early drop-out in the guidelines).
public enum FollowUpIssue: String, StoredCode, CaseIterable, Sendable {
  case commuting, childcare, housing, health, understandingTasks = "understanding-tasks", communication
  case cultural, contractOrPay = "contract-or-pay", language, other
}

public enum DropOutRisk: String, StoredCode, CaseIterable, Sendable, Comparable {
  case low, medium, high
  public static func < (a: DropOutRisk, b: DropOutRisk) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// A post-hire meeting held and logged.
public struct FollowUp: Codable, Equatable, Sendable {
  /// `f1`, `f2`, … within the hire.
  public var id: String
  /// The scheduled meeting's key (`manager@2w`, `review@6m`), or nil for an extra meeting.
  public var meeting: String?
  public var heldOn: LocalDate
  public var attended: [Attendee]
  public var issues: [FollowUpIssue]
  public var actions: String
  public var risk: DropOutRisk
  public var notes: String
  public var loggedBy: String
  public var loggedAt: Date

  public init(
    id: String = "", meeting: String?, heldOn: LocalDate, attended: [Attendee] = [.worker], issues: [FollowUpIssue] = [],
    actions: String = "", risk: DropOutRisk = .low, notes: String = "", loggedBy: String = "",
    loggedAt: Date = Date(timeIntervalSince1970: 0)
  ) {
    self.id = id
    self.meeting = meeting
    self.heldOn = heldOn
    self.attended = attended
    self.issues = issues
    self.actions = actions
    self.risk = risk
    self.notes = notes
    self.loggedBy = loggedBy
    self.loggedAt = loggedAt
  }

  /// Problems of one follow-up of a hire that started on `start`, by field path.
  public func issues(start: LocalDate, today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if heldOn > today { issues.append(.init(path: "heldOn", problem: .dateInFuture(heldOn))) }
    if heldOn < start {
      issues.append(.init(path: "heldOn", problem: .endBeforeStart(start: start.description, end: heldOn.description)))
    }
    if attended.isEmpty { issues.append(.init(path: "attended", problem: .required)) }
    return issues
  }

  public static let fields: [FormField<FollowUp>] = [
    .day("heldOn", \.heldOn),
    .choices("attended", Attendee.self, \.attended),
    .choices("issues", FollowUpIssue.self, \.issues),
    .text("actions", \.actions),
    .choice("risk", DropOutRisk.self, \.risk),
    .text("notes", \.notes),
  ]
}

/// A scheduled meeting moved to another day, with the reason.
public struct Reschedule: Codable, Equatable, Sendable {
  public var meeting: String
  public var to: LocalDate
  public var reason: String
  public var by: String
  public var on: LocalDate

  public init(meeting: String, to: LocalDate, reason: String, by: String, on: LocalDate) {
    self.meeting = meeting
    self.to = to
    self.reason = reason
    self.by = by
    self.on = on
  }

  /// A move needs its reason.
  public func issues() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    // A meeting is moved to a day to come: one in the past was held (log it) or missed.
    if to < on { issues.append(ValidationIssue(path: "to", problem: .movedToPast(to: to, on: on))) }
    if reason.isBlank { issues.append(ValidationIssue(path: "reason", problem: .needsReason)) }
    return issues
  }

  /// The fields of a move: the new day and why.
  public static let fields: [FormField<Reschedule>] = [.day("to", \.to), .text("reason", required: true, \.reason)]
}

/// Where the person stands six months after the hire.
public struct HireOutcome: Codable, Equatable, Sendable {
  public enum Status: String, StoredCode, CaseIterable, Sendable {
    case employedSame = "employed-same", employedOther = "employed-other", left, dismissed
    public var stillEmployed: Bool { self == .employedSame || self == .employedOther }
  }

  public var on: LocalDate
  public var status: Status
  public var reason: String
  public var by: String

  public init(on: LocalDate, status: Status, reason: String = "", by: String) {
    self.on = on
    self.status = status
    self.reason = reason
    self.by = by
  }

  /// Problems of the outcome of a hire that started on `start`, by field path. Every status but
  /// still with the same employer needs its reason.
  public func issues(start: LocalDate, today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if on < start { issues.append(.init(path: "on", problem: .endBeforeStart(start: start.description, end: on.description))) }
    if on > today { issues.append(.init(path: "on", problem: .dateInFuture(on))) }
    if status != .employedSame, reason.isBlank {
      issues.append(.init(path: "reason", problem: .needsReason))
    }
    return issues
  }

  public static let fields: [FormField<HireOutcome>] = [
    .day("on", \.on),
    .choice("status", Status.self, \.status),
    .text("reason", \.reason),
  ]
}
