import Foundation

/// The individual action plan: once a person may work (or whenever a case worker starts one),
/// what is to be done for them, by which chain partner, by when, up to six months after a hire.
/// Goals hold actions; reviews keep it current; the person agrees to it; every change is a
/// version (who changed what, when), as the post-hire plan keeps.
public struct ActionPlan: Codable, Equatable, Sendable {
  /// Who does an action: a partner of the chain.
  public enum Partner: String, StoredCode, CaseIterable, Sendable {
    case employmentService = "employment-service", ngo, trainingProvider = "training-provider", municipality, employer, mentor
  }

  public var startedOn: LocalDate
  public var startedBy: String
  public var goals: [PlanGoal]
  public var reviews: [PlanReview]
  /// Agreed with the person: when and how.
  public var agreement: PlanAgreement?
  /// Every change, oldest first.
  public var versions: [PlanVersion]

  public init(startedOn: LocalDate, startedBy: String) {
    self.startedOn = startedOn
    self.startedBy = startedBy
    goals = []
    reviews = []
    agreement = nil
    versions = [PlanVersion(version: 1, on: startedOn, by: startedBy, change: "started")]
  }

  enum CodingKeys: String, CodingKey { case startedOn, startedBy, goals, reviews, agreement, versions }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    startedOn = try c.decode(LocalDate.self, forKey: .startedOn)
    startedBy = try c.decode(String.self, forKey: .startedBy)
    goals = try c.decodeIfPresent([PlanGoal].self, forKey: .goals) ?? []
    reviews = try c.decodeIfPresent([PlanReview].self, forKey: .reviews) ?? []
    agreement = try c.decodeIfPresent(PlanAgreement.self, forKey: .agreement)
    versions = try c.decodeIfPresent([PlanVersion].self, forKey: .versions) ?? []
  }

  /// The current version's number.
  public var version: Int { versions.last?.version ?? 1 }

  /// Adds a version saying what changed (an agreement is for the version it was given on).
  public mutating func record(_ change: String, by: String, on: LocalDate) {
    versions.append(PlanVersion(version: version + 1, on: on, by: by, change: change))
  }

  /// Every action with its goal, in order.
  public var actions: [(goal: PlanGoal, action: PlanAction)] {
    goals.flatMap { g in g.actions.map { (g, $0) } }
  }

  public func action(_ id: String) -> (goal: Int, action: Int)? {
    for (g, goal) in goals.enumerated() {
      if let a = goal.actions.firstIndex(where: { $0.id == id }) { return (g, a) }
    }
    return nil
  }

  /// Marks an action done on a day, with what came of it (nil keeps the result); false when the
  /// plan has no such action.
  @discardableResult
  public mutating func complete(_ id: String, on day: LocalDate, result: String?) -> Bool {
    guard let at = action(id) else { return false }
    goals[at.goal].actions[at.action].status = .done
    goals[at.goal].actions[at.action].doneOn = day
    if let result { goals[at.goal].actions[at.action].result = result }
    return true
  }

  /// Drops an action, saying why; false when the plan has no such action.
  @discardableResult
  public mutating func drop(_ id: String, reason: String) -> Bool {
    guard let at = action(id) else { return false }
    goals[at.goal].actions[at.action].status = .dropped
    goals[at.goal].actions[at.action].reason = reason
    return true
  }

  /// The next free ids: `g1, g2…` for goals and `a1, a2…` for actions, never reused.
  public var nextGoalID: String { "g\((goals.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1)" }
  public var nextActionID: String {
    let used = goals.flatMap(\.actions).compactMap { Int($0.id.dropFirst()) }
    return "a\((used.max() ?? 0) + 1)"
  }

  /// The goal of a kind, made when the plan has none yet; its index.
  public mutating func goal(_ kind: PlanGoal.Kind) -> Int {
    if let i = goals.firstIndex(where: { $0.kind == kind }) { return i }
    goals.append(PlanGoal(id: nextGoalID, kind: kind))
    return goals.count - 1
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if startedOn > today { issues.append(.init(path: "startedOn", problem: .dateInFuture(startedOn))) }
    var ids = Set<String>()
    for (g, goal) in goals.enumerated() {
      for (a, action) in goal.actions.enumerated() {
        let path = "goals[\(g)].actions[\(a)]"
        if !ids.insert(action.id).inserted {
          issues.append(.init(path: "\(path).id", problem: .notAllowed(action.id, options: ["an id no other action has"])))
        }
        for issue in action.issues(today: today) { issues.append(.init(path: "\(path).\(issue.path)", problem: issue.problem)) }
      }
    }
    for (i, r) in reviews.enumerated() {
      for issue in r.issues(today: today) { issues.append(.init(path: "reviews[\(i)].\(issue.path)", problem: issue.problem)) }
    }
    if let agreement {
      for issue in agreement.issues(today: today) { issues.append(.init(path: "agreement.\(issue.path)", problem: issue.problem)) }
      if agreement.on < startedOn {
        issues.append(.init(path: "agreement.on", problem: .endBeforeStart(start: startedOn.description, end: agreement.on.description)))
      }
    }
    for (i, r) in reviews.enumerated() where r.on < startedOn {
      issues.append(.init(path: "reviews[\(i)].on", problem: .endBeforeStart(start: startedOn.description, end: r.on.description)))
    }
    return issues
  }
}

/// What the person works towards, with the actions that get them there.
public struct PlanGoal: Codable, Equatable, Sendable {
  public enum Kind: String, StoredCode, CaseIterable, Sendable {
    case job, training, language, recognition, business, housing, childcare, other
  }

  public var id: String
  public var kind: Kind
  /// In the person's own words; the kind names the goal when empty.
  public var title: String
  public var actions: [PlanAction]

  public init(id: String, kind: Kind, title: String = "", actions: [PlanAction] = []) {
    self.id = id
    self.kind = kind
    self.title = title
    self.actions = actions
  }
}

/// One thing to do: what, by which partner and whom there, by when, how it stands.
public struct PlanAction: Codable, Equatable, Sendable {
  public enum Status: String, StoredCode, CaseIterable, Sendable {
    case planned, inProgress = "in-progress", done, dropped
    public var isOpen: Bool { self == .planned || self == .inProgress }
  }

  /// What in Keten already does the action when it happens (a hire completes "find a job").
  public enum Link: String, StoredCode, CaseIterable, Sendable {
    case screening, training, mentoring, internship, hire
  }

  public var id: String
  public var what: String
  public var partner: ActionPlan.Partner
  /// The person responsible at the partner.
  public var responsible: String
  public var due: LocalDate
  public var status: Status
  /// Why it was dropped.
  public var reason: String?
  public var result: String
  public var doneOn: LocalDate?
  public var link: Link?
  /// The training group, pair, internship or hire linked, when one is named.
  public var linkRef: String?
  /// A service of the local guide the person is referred to, and what came of it.
  public var referral: Referral?
  public var createdOn: LocalDate

  public init(
    id: String, what: String, partner: ActionPlan.Partner, responsible: String = "", due: LocalDate, createdOn: LocalDate,
    link: Link? = nil, referral: Referral? = nil
  ) {
    self.id = id
    self.what = what
    self.partner = partner
    self.responsible = responsible
    self.due = due
    status = .planned
    reason = nil
    result = ""
    doneOn = nil
    self.link = link
    linkRef = nil
    self.referral = referral
    self.createdOn = createdOn
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if what.isBlank { issues.append(.init(path: "what", problem: .required)) }
    if what.count > 500 { issues.append(.init(path: "what", problem: .notInRange(String(what.count), min: 1, max: 500))) }
    // An action is due on or after the day it was made, and done between the two days.
    if due < createdOn { issues.append(.init(path: "due", problem: .endBeforeStart(start: createdOn.description, end: due.description))) }
    if let doneOn, doneOn < createdOn {
      issues.append(.init(path: "doneOn", problem: .endBeforeStart(start: createdOn.description, end: doneOn.description)))
    }
    if linkRef.map({ !$0.isEmpty }) ?? false, link == nil {
      issues.append(.init(path: "linkRef", problem: .notAllowed(linkRef!, options: ["a link (hire, internship, mentoring, …) first"])))
    }
    if status == .dropped, (reason ?? "").isBlank {
      issues.append(.init(path: "reason", problem: .needsReason))
    }
    if let doneOn, doneOn > today { issues.append(.init(path: "doneOn", problem: .dateInFuture(doneOn))) }
    if let referral, referral.on > today { issues.append(.init(path: "referral.on", problem: .dateInFuture(referral.on))) }
    return issues
  }

  /// The fields `keten action-plan edit --set` and the app's action form edit.
  public static let fields: [FormField<PlanAction>] = [
    .text("what", required: true, \.what),
    .choice("partner", ActionPlan.Partner.self, \.partner),
    .text("responsible", \.responsible),
    .day("due", \.due),
    .choice("status", Status.self, \.status),
    .optionalText("reason", \.reason),
    .text("result", \.result),
    .date("doneOn", \.doneOn),
    .optionalChoice("link", Link.self, \.link),
    .optionalText("linkRef", \.linkRef),
    .optionalText("referral.service", \.referralService),
    .optionalChoice("referral.outcome", Referral.Outcome.self, \.referralOutcome),
  ]

  /// The referral's service; setting one starts a referral dated the day the action was made.
  public var referralService: String? {
    get { referral?.service }
    set {
      guard let newValue, !newValue.isEmpty else {
        referral = nil
        return
      }
      if referral == nil { referral = Referral(service: newValue, on: createdOn) } else { referral!.service = newValue }
    }
  }

  public var referralOutcome: Referral.Outcome? {
    get { referral?.outcome }
    set { referral?.outcome = newValue }
  }
}

/// A referral to a service of the local guide.
public struct Referral: Codable, Equatable, Sendable {
  public enum Outcome: String, StoredCode, CaseIterable, Sendable {
    case accepted, waitingList = "waiting-list", started, finished, refused
  }

  /// The service's record id (`S-2026-0001`).
  public var service: String
  public var on: LocalDate
  public var outcome: Outcome?

  public init(service: String, on: LocalDate, outcome: Outcome? = nil) {
    self.service = service
    self.on = on
    self.outcome = outcome
  }
}

/// A review of the plan: what changed since the last one, and when the next is.
public struct PlanReview: Codable, Equatable, Sendable {
  public var on: LocalDate
  public var by: String
  public var changes: String
  public var next: LocalDate

  public init(on: LocalDate, by: String, changes: String, next: LocalDate) {
    self.on = on
    self.by = by
    self.changes = changes
    self.next = next
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if on > today { issues.append(.init(path: "on", problem: .dateInFuture(on))) }
    if next <= on { issues.append(.init(path: "next", problem: .endBeforeStart(start: on.description, end: next.description))) }
    return issues
  }
}

/// How the person agreed to the plan: signed, or verbally before a witness.
public struct PlanAgreement: Codable, Equatable, Sendable {
  public enum How: String, StoredCode, CaseIterable, Sendable { case signed, verbal }
  public var on: LocalDate
  public var how: How
  public var witness: String?
  /// The plan's version agreed to.
  public var version: Int

  public init(on: LocalDate, how: How, witness: String? = nil, version: Int) {
    self.on = on
    self.how = how
    self.witness = witness
    self.version = version
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if on > today { issues.append(.init(path: "on", problem: .dateInFuture(on))) }
    if how == .verbal, (witness ?? "").isBlank {
      issues.append(.init(path: "witness", problem: .needsWitness))
    }
    return issues
  }
}

/// One change of the plan.
public struct PlanVersion: Codable, Equatable, Sendable {
  public var version: Int
  public var on: LocalDate
  public var by: String
  public var change: String

  public init(version: Int, on: LocalDate, by: String, change: String) {
    self.version = version
    self.on = on
    self.by = by
    self.change = change
  }
}

/// A service of the local guide people are referred to: a course or training, a vocational
/// language course, a diploma-recognition or skills-validation office, support to start a
/// business, an information session. Stored as `<store>/services/S-YEAR-NNNN.json`.
public struct Service: StoreRecord {
  public static let kind = RecordKind(folder: "services", prefix: "S", noun: "service")

  public enum Kind: String, StoredCode, CaseIterable, Sendable {
    case course, vocationalLanguage = "vocational-language", languageCourse = "language-course", recognition, validation
    case entrepreneurship, infoSession = "info-session", other
  }

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  /// The name in Dutch, and in English when it differs.
  public var name: String
  public var nameEn: String
  public var type: Kind
  public var provider: String
  /// Start dates (YYYY-MM-DD), or empty for "any time".
  public var starts: [String]
  public var price: String
  public var conditions: String
  public var duration: String
  /// Languages it is given in (ISO 639 codes).
  public var languages: [String]
  public var place: String
  public var contact: String
  public var notes: String
  public var active: Bool

  public init(
    name: String, nameEn: String = "", type: Kind, provider: String = "", starts: [String] = [], price: String = "",
    conditions: String = "", duration: String = "", languages: [String] = [], place: String = "", contact: String = "",
    notes: String = "", active: Bool = true
  ) {
    self.name = name
    self.nameEn = nameEn
    self.type = type
    self.provider = provider
    self.starts = starts
    self.price = price
    self.conditions = conditions
    self.duration = duration
    self.languages = languages
    self.place = place
    self.contact = contact
    self.notes = notes
    self.active = active
  }

  /// The start dates that are real dates, in order.
  public var startDates: [LocalDate] { starts.compactMap(LocalDate.init).sorted() }

  /// The next start on or after `day`, if any.
  public func nextStart(from day: LocalDate) -> LocalDate? { startDates.first { $0 >= day } }

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if name.isBlank { issues.append(.init(path: "name", problem: .required)) }
    for s in starts where LocalDate(s) == nil { issues.append(.init(path: "starts", problem: .notADate(s))) }
    for l in languages where Languages.entry(l) == nil { issues.append(.init(path: "languages", problem: .unknownLanguage(l))) }
    return issues
  }

  /// True when every word of `query` is found in the service, in either language.
  public func matches(_ query: String, kindNames: [String] = []) -> Bool {
    let haystack = SearchText.fold(
      ([name, nameEn, provider, place, conditions, notes, type.rawValue] + kindNames + languages.map { Languages.name($0, "nl") + " " + Languages.name($0, "en") })
        .joined(separator: " "))
    return SearchText.fold(query).split(separator: " ").allSatisfy { haystack.contains($0) }
  }

  public static let fields: [FormField<Service>] = [
    .text("name", required: true, \.name),
    .text("nameEn", \.nameEn),
    .choice("type", Kind.self, \.type),
    .text("provider", \.provider),
    .textList("starts", \.starts),
    .text("price", \.price),
    .text("conditions", \.conditions),
    .text("duration", \.duration),
    .languages("languages", \.languages),
    .text("place", \.place),
    .text("contact", \.contact),
    .text("notes", \.notes),
    .flag("active", \.active),
  ]
}
