import CaseStore

/// The chain's dated items for a case: what the list's "next due" column and the Overview show.
///
/// Later capabilities (re-screening, mentoring check-ins, post-hire follow-ups) add their items
/// here, in one place, and bump `version` so cached summaries are recomputed.
public struct ChainRules: CaseRules {
  public let screening: ScreeningSettings
  /// Days past a pair's frequency before it counts as overdue.
  public let mentoringGraceDays: Int

  public init(screening: ScreeningSettings = ScreeningSettings(), mentoringGraceDays: Int = 3) {
    self.screening = screening
    self.mentoringGraceDays = mentoringGraceDays
  }

  public var version: String { "chain-3-rescreen\(screening.rescreenIntervalMonths)-grace\(mentoringGraceDays)" }

  public func dueItems(for document: CaseDocument) -> [DueItem] {
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
    return items.sorted { $0.date < $1.date }
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

  /// Every key, for tests that check each has a translation.
  public static let all = [workPermit, rescreening, mentorCheckIn, mentoringReview, mentorConcern]
}
