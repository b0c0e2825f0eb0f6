import CaseStore
import Foundation

/// The action plan's settings (`Resources/plan/plan.json`, replaceable per store under
/// `<store>/content/plan/plan.json`): how often the plan is reviewed and the usual time for an
/// action. The chain partners' names are strings (`option.partner.*`).
public struct PlanSettings: Codable, Sendable, Equatable {
  public var format: Int
  /// Months between reviews (as the re-screening while the procedure runs).
  public var reviewIntervalMonths: Int
  /// Days a new action is given by default.
  public var actionDueDays: Int
  /// The days reviews fall on (weekends and public holidays left out), as the post-hire meetings'.
  public var workingDays = WorkingDays()

  enum CodingKeys: String, CodingKey { case format, reviewIntervalMonths, actionDueDays }

  static let relativePath = "plan/plan.json"

  public static func load(storeRoot: String?) throws(ContentError) -> PlanSettings {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    var settings = try ContentFiles.decode(PlanSettings.self, from: url, name: name)
    try settings.validate(name: name)
    settings.workingDays = try WorkingDays.load(storeRoot: storeRoot)
    return settings
  }

  public func validate(name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    if !(1...12).contains(reviewIntervalMonths) { throw fail("reviewIntervalMonths", "\(reviewIntervalMonths) is not a number of months from 1 to 12.") }
    if !(1...365).contains(actionDueDays) { throw fail("actionDueDays", "\(actionDueDays) is not a number of days from 1 to 365.") }
  }
}

/// How an action stands in a case: as recorded, or done by what it is linked to when that has
/// happened (a hire completes "find a job", a started internship "find an internship", a
/// mentoring pair "find a mentor", a finished ambitions screening "screen the ambitions").
public struct ActionProgress: Equatable, Sendable {
  public var status: PlanAction.Status
  public var doneOn: LocalDate?
  /// What did it, when an event did (`hire h1`, `internship i1`, `pair 2`, `screening a2`).
  public var doneBy: String?

  public init(_ action: PlanAction, in d: CaseDocument) {
    status = action.status
    doneOn = action.doneOn
    doneBy = nil
    guard action.status.isOpen, let link = action.link else { return }
    let ref = action.linkRef.flatMap { $0.isEmpty ? nil : $0 }
    let since = action.createdOn
    switch link {
    case .hire:
      if let h = d.placement.hires.first(where: { ref == nil ? $0.start >= since || $0.recordedOn >= since : $0.id == ref }) {
        // Done the day the hire was known (a job starting next month was found today).
        (status, doneOn, doneBy) = (.done, max(since, min(h.start, h.recordedOn)), "hire \(h.id)")
      }
    case .internship:
      if let i = d.placement.internships.first(where: { ($0.started != nil) && (ref == nil ? $0.started! >= since : $0.id == ref) }) {
        (status, doneOn, doneBy) = (.done, i.started, "internship \(i.id)")
      }
    case .mentoring:
      if let (n, p) = d.mentoring.enumerated().first(where: { ref == nil ? $0.element.start >= since : $0.element.mentor == ref }) {
        (status, doneOn, doneBy) = (.done, p.start, "pair \(n + 1)")
      }
    case .screening:
      if let a = d.screening.ambitions.first(where: { $0.concluded && $0.on >= since }) {
        (status, doneOn, doneBy) = (.done, a.on, "screening \(a.id)")
      }
    case .training:
      // The group lives outside the case file: marked done by hand.
      break
    }
  }

  public var isOpen: Bool { status.isOpen }
}

extension ActionPlan {
  /// Whether goals or actions changed after the version the person agreed to (reviews alone
  /// change nothing the person agreed to).
  public var changedSinceAgreement: Bool {
    guard let a = agreement else { return false }
    return versions.contains { $0.version > a.version && $0.change != "reviewed" }
  }

  /// The day the next review is due: the one the last review set, else an interval after the
  /// start (on the working day before, when that falls on a weekend or a holiday).
  public func nextReview(intervalMonths: Int, workingDays: WorkingDays? = nil) -> LocalDate {
    if let set = reviews.last?.next { return set }
    let due = startedOn.adding(months: intervalMonths)
    return workingDays?.onOrBefore(due) ?? due
  }

}

extension PlanSettings {
  /// The next review after `day` by default: an interval on, on a working day.
  public func defaultNextReview(after day: LocalDate) -> LocalDate {
    workingDays.onOrBefore(day.adding(months: reviewIntervalMonths))
  }

  /// A review's next date falls on a working day, as meetings do.
  public func reviewIssues(_ r: PlanReview) -> [ValidationIssue] {
    guard !workingDays.isWorkingDay(r.next) else { return [] }
    return [.init(path: "next", problem: .notAWorkingDay(r.next, before: workingDays.onOrBefore(r.next), after: workingDays.onOrAfter(r.next)))]
  }
}

extension ChainRules {
  /// Open actions on their due day and the next review, while the case is open.
  func planItems(_ d: CaseDocument) -> [DueItem] {
    guard !d.isClosed, let plan = d.actionPlan else { return [] }
    var items: [DueItem] = []
    for (_, action) in plan.actions where ActionProgress(action, in: d).isOpen {
      items.append(DueItem(date: action.due, what: "\(DueKey.planAction)/\(action.id)/\(action.partner.rawValue)", kind: .task))
    }
    items.append(DueItem(date: plan.nextReview(intervalMonths: planReviewMonths, workingDays: followUp?.workingDays), what: DueKey.planReview, kind: .task))
    return items
  }
}
