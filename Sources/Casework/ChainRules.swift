import CaseStore

/// The chain's dated items for a case: what the list's "next due" column and the Overview show.
///
/// Later capabilities (re-screening, mentoring check-ins, post-hire follow-ups) add their items
/// here, in one place, and bump `version` so cached summaries are recomputed.
public struct ChainRules: CaseRules {
  public let screening: ScreeningSettings

  public init(screening: ScreeningSettings = ScreeningSettings()) {
    self.screening = screening
  }

  public var version: String { "chain-2-rescreen\(screening.rescreenIntervalMonths)" }

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
    return items.sorted { $0.date < $1.date }
  }
}

/// Keys of due items; the UI translates them through its strings.
public enum DueKey {
  /// The day the person may start to work (asylum application + 4 months unless overridden).
  public static let workPermit = "work-permit"
  /// The next phase-2 (ambitions) screening while the asylum procedure runs.
  public static let rescreening = "rescreening"
}
