import CaseStore

/// The post-hire meetings of one hire as they stand on a day: planned by the cadence, moved by
/// reschedules, held when a follow-up names them, overdue when their day passed without one.
public struct FollowUpSchedule: Sendable, Equatable {
  public enum Status: Sendable, Equatable {
    case held(FollowUp)
    case upcoming
    case overdue(days: Int)
    /// After the outcome was recorded (support ended or the person left).
    case ended
  }

  public struct Meeting: Sendable, Equatable {
    public var planned: FollowUpCadence.Planned
    /// The planned date, or the date it was moved to.
    public var due: LocalDate
    public var reschedule: Reschedule?
    public var status: Status

    public var key: String { planned.key }
    public var role: String { planned.role }
    public var isOpen: Bool {
      switch status {
      case .upcoming, .overdue: true
      case .held, .ended: false
      }
    }
    public var isOverdue: Bool { if case .overdue = status { true } else { false } }
  }

  public let hire: Hire
  public let meetings: [Meeting]
  /// Follow-ups logged that no planned meeting names (extra meetings).
  public let extra: [FollowUp]

  public init(hire: Hire, cadence: FollowUpCadence, today: LocalDate) {
    self.init(hire: hire, planned: cadence.schedule(from: hire.start), today: today)
  }

  /// The schedule of `hire` from the meetings its cadence plans from its start.
  init(hire: Hire, planned: [FollowUpCadence.Planned], today: LocalDate) {
    self.hire = hire
    let ended = hire.outcome?.on
    meetings = planned.map { planned in
      let moved = hire.reschedule(of: planned.key)
      let due = moved?.to ?? planned.date
      let status: Status
      if let log = hire.followUp(for: planned.key) {
        status = .held(log)
      } else if let ended, due > ended {
        status = .ended
      } else if today > due {
        status = .overdue(days: due.days(until: today))
      } else {
        status = .upcoming
      }
      return Meeting(planned: planned, due: due, reschedule: moved, status: status)
    }.sorted { ($0.due, $0.planned.date) < ($1.due, $1.planned.date) }
    let keys = Set(meetings.map(\.key))
    extra = hire.followUps.filter { $0.meeting.map { !keys.contains($0) } ?? true }
  }

  public var overdue: [Meeting] { meetings.filter(\.isOverdue) }
  /// The first meeting still to hold, overdue or not.
  public var next: Meeting? { meetings.first(where: \.isOpen) }
  public func meeting(_ key: String) -> Meeting? { meetings.first { $0.key == key } }

  /// The six-month review date (the last planned meeting), where the outcome is due.
  public var reviewDate: LocalDate { meetings.map(\.planned.date).max() ?? hire.start.adding(months: 6) }

  /// Held meetings by timeliness: on time (by the due date plus `graceDays`), late.
  public func timeliness(graceDays: Int = 0) -> (onTime: Int, late: Int) {
    var onTime = 0
    var late = 0
    for m in meetings {
      if case .held(let log) = m.status {
        if log.heldOn <= m.due.adding(days: graceDays) { onTime += 1 } else { late += 1 }
      }
    }
    return (onTime, late)
  }
}
