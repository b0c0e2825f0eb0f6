import CaseStore
import Foundation

/// The post-hire meeting cadence (`Resources/sustaining/followup.json`, replaceable per store
/// under `<store>/content/sustaining/followup.json`): who meets the worker when after the hire.
///
/// Offsets are counted from the hire date, never from the previous meeting, so month ends stay
/// put: a hire on 31 January meets monthly on 28 (29) February, 31 March, 30 April, … A date
/// that falls on a weekend or a public holiday (`WorkingDays`) moves to the working day before
/// it, and of two meetings of one role fewer than `minimumDaysApart` days apart the one of the
/// finer repeat gives way (no week-4 meeting two days before the month-1 one).
public struct FollowUpCadence: Codable, Sendable, Equatable {
  public struct Role: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
  }

  /// One line of the cadence: fixed offsets (`at`), or a repeat (`every` from `from`, up to but
  /// not including `before`).
  public struct Rule: Codable, Sendable, Equatable {
    public var role: String
    public var at: [String]?
    public var every: String?
    public var from: String?
    public var before: String?
  }

  /// A span after the hire date: `3d`, `1w`, `2m`.
  public struct Offset: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable { case day = "d", week = "w", month = "m" }
    public var count: Int
    public var unit: Unit

    public init?(_ text: String) {
      guard let last = text.last, let unit = Unit(rawValue: String(last)), let n = Int(text.dropLast()), n >= 0, n <= 400
      else { return nil }
      count = n
      self.unit = unit
    }

    init(count: Int, unit: Unit) {
      self.count = count
      self.unit = unit
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    public func date(from start: LocalDate) -> LocalDate {
      switch unit {
      case .day: start.adding(days: count)
      case .week: start.adding(days: 7 * count)
      case .month: start.adding(months: count)
      }
    }

    /// `self` taken `k` times (`2w` × 3 = `6w`).
    func times(_ k: Int) -> Offset { Offset(count: count * k, unit: unit) }
  }

  public var format: Int
  /// Names this cadence in the index's rule version; change it when the meetings change.
  public var id: String
  /// Support lasts at least this long after the hire.
  public var supportMonths: Int
  public var roles: [Role]
  public var meetings: [Rule]
  /// Two meetings of one role are at least this many days apart.
  public var minimumDaysApart: Int
  /// The days meetings are planned on (loaded from `sustaining/holidays.json`).
  public var workingDays = WorkingDays()

  enum CodingKeys: String, CodingKey { case format, id, supportMonths, roles, meetings, minimumDaysApart }

  static let relativePath = "sustaining/followup.json"

  public static func load(storeRoot: String?) throws(ContentError) -> FollowUpCadence {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    var cadence = try ContentFiles.decode(FollowUpCadence.self, from: url, name: name)
    cadence.workingDays = try WorkingDays.load(storeRoot: storeRoot)
    try cadence.validate(name: name)
    return cadence
  }

  public static func shipped() throws(ContentError) -> FollowUpCadence { try load(storeRoot: nil) }

  public func validate(name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    if id.isEmpty || id.contains(where: { $0 == ";" || $0 == " " || $0 == "\t" }) {
      throw fail("id", "give a short id without spaces or semicolons.")
    }
    if !(1...36).contains(supportMonths) { throw fail("supportMonths", "\(supportMonths) is not from 1 to 36.") }
    if !(0...14).contains(minimumDaysApart) { throw fail("minimumDaysApart", "\(minimumDaysApart) is not from 0 to 14.") }
    var roleIDs = Set<String>()
    for role in roles {
      if role.id.isEmpty || role.id.contains(where: { "@/; ".contains($0) }) {
        throw fail("roles \(role.id)", "a role id must be non-empty, without '@', '/', ';' or spaces.")
      }
      if !roleIDs.insert(role.id).inserted { throw fail("roles \(role.id)", "the id is used twice.") }
      if !role.title.missingLanguages.isEmpty {
        throw fail("roles \(role.id)", "the title has no \(role.title.missingLanguages.joined(separator: " or ")).")
      }
    }
    if meetings.isEmpty { throw fail("meetings", "the list is empty.") }
    for (i, rule) in meetings.enumerated() {
      let entry = "meetings[\(i)]"
      if !roleIDs.contains(rule.role) { throw fail(entry, "the role '\(rule.role)' is not in roles.") }
      let offsets = (rule.at ?? []) + [rule.every, rule.from, rule.before].compactMap { $0 }
      for text in offsets where Offset(text) == nil {
        throw fail(entry, "'\(text)' is not an offset; write a number and d, w or m, e.g. 1w or 3m.")
      }
      let repeats = rule.every != nil
      if repeats == (rule.at != nil) { throw fail(entry, "give either 'at' or 'every' (with 'from' and 'before').") }
      if repeats {
        guard let every = rule.every.flatMap(Offset.init), every.count > 0 else {
          throw fail(entry, "'every' must be more than zero.")
        }
        guard let from = rule.from.flatMap(Offset.init), rule.before != nil else {
          throw fail(entry, "a repeat needs 'from' and 'before'.")
        }
        if from.unit != every.unit || from.count % every.count != 0 {
          throw fail(entry, "'from' must be a whole number of 'every' (e.g. every 1m from 3m).")
        }
      }
    }
    if schedule(from: LocalDate(year: 2024, month: 1, day: 31)!).isEmpty { throw fail("meetings", "no meeting falls in the schedule.") }
  }

  public func roleTitle(_ id: String, _ language: String) -> String {
    roles.first { $0.id == id }?.title(language) ?? id
  }

  /// A meeting the cadence plans for a hire.
  public struct Planned: Sendable, Equatable {
    /// `role@offset`, stable for the hire: logs, reschedules and calendar UIDs refer to it.
    public var key: String
    public var role: String
    public var offset: Offset
    /// The working day it is planned on.
    public var date: LocalDate
    /// The repeat it comes from, in days (a week 7, a month 30); fixed meetings have none.
    var every: Int?
  }

  /// Every meeting planned from a hire date, by date (then role order): on working days, and
  /// of one role at least `minimumDaysApart` days apart.
  public func schedule(from hire: LocalDate) -> [Planned] {
    var planned: [Planned] = []
    var keys = Set<String>()
    func add(_ role: String, _ offset: Offset, every: Offset? = nil) {
      let key = "\(role)@\(offset)"
      guard keys.insert(key).inserted else { return }
      let days = every.map { $0.unit == .month ? 30 * $0.count : $0.unit == .week ? 7 * $0.count : $0.count }
      planned.append(Planned(key: key, role: role, offset: offset, date: offset.date(from: hire), every: days))
    }
    for rule in meetings {
      for text in rule.at ?? [] { if let o = Offset(text) { add(rule.role, o) } }
      guard let every = rule.every.flatMap(Offset.init), let from = rule.from.flatMap(Offset.init),
        let before = rule.before.flatMap(Offset.init), every.count > 0
      else { continue }
      let limit = before.date(from: hire)
      // Count in the unit of `every` when `from` is a whole number of it, so keys read 2w, 3w.
      if from.unit == every.unit, from.count % every.count == 0 {
        var k = from.count / every.count
        while every.times(k).date(from: hire) < limit, k < 500 {
          add(rule.role, every.times(k), every: every)
          k += 1
        }
      }
    }
    let order = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1.id, $0) })
    planned.sort { ($0.date, order[$0.role] ?? 0) < ($1.date, order[$1.role] ?? 0) }
    // Each meeting on the working day before its date; when that comes too close to the role's
    // previous meeting (a holiday after a weekend), on the working day after. Of one role's
    // meetings still too close together, the one of the finer repeat gives way (a weekly
    // meeting to the monthly one; a repeat to a fixed meeting).
    var kept: [Planned] = []
    for var meeting in planned {
      let nominal = meeting.date
      meeting.date = workingDays.onOrBefore(nominal)
      guard let i = kept.lastIndex(where: { $0.role == meeting.role }) else {
        kept.append(meeting)
        continue
      }
      if kept[i].date.days(until: meeting.date) < minimumDaysApart {
        let after = workingDays.onOrAfter(nominal)
        if kept[i].date.days(until: after) >= minimumDaysApart { meeting.date = after }
      }
      if kept[i].date.days(until: meeting.date) < minimumDaysApart {
        if (kept[i].every ?? Int.max) < (meeting.every ?? Int.max) { kept[i] = meeting }
        continue
      }
      kept.append(meeting)
    }
    return kept.sorted { ($0.date, order[$0.role] ?? 0) < ($1.date, order[$1.role] ?? 0) }
  }
}
