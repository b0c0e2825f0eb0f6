import CaseStore
import Foundation

/// One dated thing on the calendar: a post-hire meeting, a mentor check-in due, a re-screening,
/// a training day, an internship's start or end, a work-permit date, an outcome to record.
public struct AgendaEntry: Sendable, Equatable {
  /// The due key (`post-hire`, `rescreening`, …) or `training-day`.
  public var key: String
  /// Which hire, meeting, internship (`h1/manager@2w`), or the group id of a training day.
  public var ref: String
  public var date: LocalDate
  /// Tasks stay due until done; milestones and training days are events.
  public var isTask: Bool
  public var caseID: CaseID?
  /// The case's display name, or the training group's name.
  public var name: String
  public var caseWorker: String
  /// The case's revision (or the group's), so re-imported calendars take the newer version.
  public var revision: Int
  /// What became of it, for a calendar that keeps history: held (on a day), moved (from a day,
  /// with the reason); nil when nothing is known beyond the date.
  public var held: LocalDate?
  public var movedFrom: LocalDate?
  public var movedBecause: String?

  public static let trainingDay = "training-day"

  /// The hire id of a post-hire item (`h1`), or nil.
  public var hireID: String? {
    guard key == DueKey.postHire || key == DueKey.hireOutcome || key == DueKey.dropOutRisk else { return nil }
    return ref.split(separator: "/").first.map(String.init)
  }

  /// The meeting key of a post-hire meeting (`manager@2w`), or nil.
  public var meetingKey: String? {
    guard key == DueKey.postHire else { return nil }
    let parts = ref.split(separator: "/")
    return parts.count == 2 ? String(parts[1]) : nil
  }

  /// The role of a post-hire meeting (`manager`), or nil.
  public var role: String? { meetingKey.map { String($0.prefix { $0 != "@" }) } }

  /// Stable per appointment across exports: the same meeting keeps its UID when it moves.
  public var uid: String {
    let owner = caseID?.rawValue ?? ref
    // An action keeps its UID when its partner changes: only its id counts (`a3/ngo` → `a3`).
    let ref = key == DueKey.planAction ? String(self.ref.prefix { $0 != "/" }) : self.ref
    let what = key == AgendaEntry.trainingDay ? "\(key)-\(date)" : ref.isEmpty ? key : "\(key)-\(ref)"
    return "\(owner)-\(what.replacingOccurrences(of: "/", with: "-"))@keten"
  }

  public func isOverdue(today: LocalDate) -> Bool { isTask && date < today }
}

extension AgendaEntry {
  /// Every post-hire meeting of a case's hires, held ones too, on the day it was due (its planned
  /// day, or the day it was moved to), for a calendar export that must not lose history.
  public static func meetings(of d: CaseDocument, cadence: FollowUpCadence, today: LocalDate) -> [AgendaEntry] {
    d.placement.hires.flatMap { hire in
      FollowUpSchedule(hire: hire, cadence: cadence, today: today).meetings.compactMap { m -> AgendaEntry? in
        var held: LocalDate?
        switch m.status {
        case .held(let log): held = log.heldOn
        case .ended: return nil
        case .upcoming, .overdue: break
        }
        var e = AgendaEntry(
          key: DueKey.postHire, ref: "\(hire.id)/\(m.key)", date: m.due, isTask: true, caseID: d.id, name: d.person.displayName,
          caseWorker: d.person.caseWorker ?? "", revision: d.revision)
        e.held = held
        e.movedFrom = m.reschedule.map { _ in m.planned.date }
        e.movedBecause = m.reschedule?.reason
        return e
      }
    }
  }
}

/// The calendar over every case the user may see, built from the index's summaries (no case file
/// is read) and the training groups.
public struct Agenda: Sendable {
  public let entries: [AgendaEntry]

  /// `login` limits to the user's own cases (`--mine`) and groups they train or that hold them.
  public init(summaries: [CaseSummary], groups: [TrainingGroup], login: String? = nil) {
    var entries: [AgendaEntry] = []
    var mineCases = Set<String>()
    for s in summaries where !s.isClosed {
      if let login, s.caseWorker != login { continue }
      mineCases.insert(s.id.rawValue)
      let items = s.dueItems
      guard !items.isEmpty else { continue }
      // Decoded once per case, not per item (a hire alone has a dozen meetings).
      let name = s.displayName
      let worker = s.caseWorker
      for item in items {
        entries.append(
          AgendaEntry(
            key: String(item.key), ref: String(item.ref), date: item.date, isTask: item.kind == .task, caseID: s.id,
            name: name, caseWorker: worker, revision: s.revision))
      }
    }
    for g in groups {
      if let login, !g.trainers.contains(login), !g.participants.contains(where: { mineCases.contains($0.caseID) }) {
        continue
      }
      for day in g.days {
        entries.append(
          AgendaEntry(
            key: AgendaEntry.trainingDay, ref: g.id, date: day, isTask: false, caseID: nil, name: g.name, caseWorker: "",
            revision: g.revision))
      }
    }
    // Sorted by date, then name, kind and reference. Positions are sorted, reading the entries in
    // place (strings compared only between entries of the same day), then each entry moved once.
    let order = entries.withUnsafeBufferPointer { e in
      e.indices.sorted { a, b in
        if e[a].date != e[b].date { return e[a].date < e[b].date }
        return (e[a].name, e[a].key, e[a].ref) < (e[b].name, e[b].key, e[b].ref)
      }
    }
    self.entries = order.map { entries[$0] }
  }

  /// Entries on the days from `first` through `last`.
  public func between(_ first: LocalDate, _ last: LocalDate) -> [AgendaEntry] {
    guard first <= last else { return [] }
    return Array(entries[start(of: first)..<start(of: last.adding(days: 1))])
  }

  /// Where the entries of `day` and later begin (the entries are sorted by date): a day of
  /// 100,000 cases' calendar is found in 17 steps instead of a pass over every entry.
  private func start(of day: LocalDate) -> Int {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low + high) / 2
      if entries[mid].date < day { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Tasks whose date has passed, oldest first.
  public func overdue(today: LocalDate) -> [AgendaEntry] { entries.filter { $0.isOverdue(today: today) } }

  /// Entries per day of a month (1-based day → count), for the month view.
  public func counts(year: Int, month: Int) -> [Int: Int] {
    var counts: [Int: Int] = [:]
    guard let first = LocalDate(year: year, month: month, day: 1) else { return counts }
    for e in entries[start(of: first)..<start(of: first.adding(months: 1))] { counts[e.date.day, default: 0] += 1 }
    return counts
  }
}
