import CaseStore
import Synchronization

/// The chain's dated items for a case: what the list's "next due" column and the Overview show.
///
/// Later capabilities (re-screening, mentoring check-ins, post-hire follow-ups) add their items
/// here, in one place, and bump `version` so cached summaries are recomputed.
public struct ChainRules: CaseRules {
  public let screening: ScreeningSettings
  /// Days past a pair's frequency before it counts as overdue.
  public let mentoringGraceDays: Int
  /// The post-hire cadence; nil leaves post-hire meetings out (tools that do not need them).
  public let followUp: FollowUpCadence?
  /// The interview catalog's rules, for the report's phase-1 completeness; nil leaves it out.
  public let screeningRules: ScreeningRules?
  /// Months between reviews of an action plan.
  public let planReviewMonths: Int
  /// The cadence's meetings per hire date, each worked out once: a store's hires share a few
  /// thousand start dates, and every case's summary needs its hire's schedule.
  private let planned = PlannedMemo()

  public init(
    screening: ScreeningSettings = ScreeningSettings(), mentoringGraceDays: Int = 3, followUp: FollowUpCadence? = nil,
    screeningRules: ScreeningRules? = nil, planReviewMonths: Int = 3
  ) {
    self.planReviewMonths = planReviewMonths
    self.screening = screening
    self.mentoringGraceDays = mentoringGraceDays
    self.followUp = followUp
    self.screeningRules = screeningRules
  }

  public var version: String {
    "chain-7-plan\(planReviewMonths)-rescreen\(screening.rescreenIntervalMonths)-grace\(mentoringGraceDays)-\(followUp?.id ?? "nofollowup")"
      + (screeningRules.map { "-phase1q\($0.interview.hardCriteria.count + $0.interview.softCriteria.count + $0.interview.softSkills.count)" } ?? "-nophase1")
  }

  public func dueItems(for document: CaseDocument) -> [DueItem] { dueItems(for: document, schedules: schedules(document)) }

  /// Each hire's post-hire schedule (in the order of the hires), worked out once for both the due
  /// items and the report facts; empty without a cadence.
  func schedules(_ document: CaseDocument) -> [FollowUpSchedule] {
    guard let followUp else { return [] }
    // Today does not matter here: only which meetings are still open, and their dates.
    return document.placement.hires.map { hire in
      FollowUpSchedule(hire: hire, planned: planned.meetings(from: hire.start, followUp.schedule), today: hire.start)
    }
  }

  public func dueItemsAndFacts(for document: CaseDocument) -> (due: [DueItem], facts: [String]) {
    let schedules = schedules(document)
    return (
      dueItems(for: document, schedules: schedules),
      ReportFact.facts(of: document, screening: screeningRules, schedules: schedules)
    )
  }

  func dueItems(for document: CaseDocument, schedules: [FollowUpSchedule]) -> [DueItem] {
    var items: [DueItem] = []
    let procedure = document.procedure
    let waitingForPermit = procedure.status == nil || procedure.status == .asylumSeeker
    if waitingForPermit, let permit = procedure.workPermitDate {
      items.append(DueItem(date: permit, what: DueKey.workPermit, kind: .milestone))
    }
    if let rescreen = screening.rescreenDue(document) {
      items.append(DueItem(date: rescreen, what: DueKey.rescreening, kind: .task))
    }
    if !document.isClosed, let pair = document.openPair {
      // Due by the last day before the pair counts as overdue.
      let last = pair.lastCheckIn ?? pair.start
      items.append(DueItem(date: last.adding(days: pair.frequencyDays + mentoringGraceDays - 1), what: DueKey.mentorCheckIn, kind: .task))
      items.append(DueItem(date: pair.endReview, what: DueKey.mentoringReview, kind: .task))
    }
    if !document.isClosed {
      for pair in document.mentoring {
        for c in pair.checkIns where c.hasOpenConcern {
          items.append(DueItem(date: c.on, what: DueKey.mentorConcern, kind: .task))
        }
      }
    }
    if !document.isClosed { items += placementItems(document.placement, schedules: schedules) }
    items += planItems(document)
    return items.sorted { $0.date < $1.date }
  }

  /// Internship starts and ends, post-hire meetings still to hold, the six-month outcome, and a
  /// high drop-out risk (dated at the follow-up that gave it, so the case shows overdue).
  func placementItems(_ placement: Placement, schedules: [FollowUpSchedule]) -> [DueItem] {
    var items: [DueItem] = []
    for i in placement.internships where i.ended == nil {
      if i.started == nil {
        items.append(DueItem(date: i.from, what: "\(DueKey.internshipStart)/\(i.id)", kind: .milestone))
      } else {
        items.append(DueItem(date: i.to, what: "\(DueKey.internshipEnd)/\(i.id)", kind: .milestone))
      }
    }
    for (i, hire) in placement.hires.enumerated() where hire.outcome == nil {
      if i < schedules.count {
        let schedule = schedules[i]
        for m in schedule.meetings where m.isOpen {
          items.append(DueItem(date: m.due, what: "\(DueKey.postHire)/\(hire.id)/\(m.key)", kind: .task))
        }
        items.append(DueItem(date: schedule.reviewDate, what: "\(DueKey.hireOutcome)/\(hire.id)", kind: .task))
      }
      if let last = hire.lastFollowUp, last.risk == .high {
        items.append(DueItem(date: last.heldOn, what: "\(DueKey.dropOutRisk)/\(hire.id)", kind: .task))
      }
    }
    return items
  }
}

/// Keys of due items; the UI translates them through its strings.
public enum DueKey {
  /// The day the person may start to work (asylum application + 4 months unless overridden).
  public static let workPermit = "work-permit"
  /// The next phase-2 (ambitions) screening while the asylum procedure runs.
  public static let rescreening = "rescreening"
  /// The open mentoring pair's next check-in, due before the pair counts as overdue.
  public static let mentorCheckIn = "mentor-check-in"
  /// The end review of the open mentoring pair.
  public static let mentoringReview = "mentoring-review"
  /// A mentor's concern the case worker has not yet marked handled.
  public static let mentorConcern = "mentor-concern"

  /// A post-hire meeting still to hold; the ref is `HIRE/ROLE@OFFSET`.
  public static let postHire = "post-hire"
  /// The six-month outcome of a hire, due at the six-month review; the ref is the hire.
  public static let hireOutcome = "hire-outcome"
  /// The last follow-up gave a high drop-out risk; stays until a later one lowers it.
  public static let dropOutRisk = "dropout-risk"
  /// An internship not yet started (agreement to sign); the ref is the internship.
  public static let internshipStart = "internship-start"
  /// The last day of a running internship.
  public static let internshipEnd = "internship-end"
  /// An open action of the action plan, on its due day; the ref is the action and its partner
  /// (`a3/employment-service`).
  public static let planAction = "plan-action"
  /// The action plan's next review.
  public static let planReview = "plan-review"

  /// Every key, for tests that check each has a translation.
  public static let all = [
    workPermit, rescreening, mentorCheckIn, mentoringReview, mentorConcern, postHire, hireOutcome, dropOutRisk,
    internshipStart, internshipEnd, planAction, planReview,
  ]
}

/// Memoised `FollowUpCadence.schedule(from:)` of one cadence (a `ChainRules`'s, which never
/// changes), safe to share between the threads of a listing.
final class PlannedMemo: Sendable {
  private let table = Mutex<[LocalDate: [FollowUpCadence.Planned]]>([:])

  func meetings(from start: LocalDate, _ make: (LocalDate) -> [FollowUpCadence.Planned]) -> [FollowUpCadence.Planned] {
    if let known = table.withLock({ $0[start] }) { return known }
    let made = make(start)
    // Bounded: a store of odd dates cannot make it grow without end.
    table.withLock { if $0.count < 50_000 { $0[start] = made } }
    return made
  }
}
