import CaseStore

/// Which days meetings can be planned on: not the weekend, not a public holiday
/// (`Resources/sustaining/holidays.json`, replaceable per store under `<store>/content/`).
public struct WorkingDays: Codable, Sendable, Equatable {
  public var format: Int
  /// ISO weekdays off: 6 Saturday, 7 Sunday.
  public var weekend: [Int]
  /// Holidays on the same date every year, `MM-DD`.
  public var fixed: [String] { didSet { fixedKeys = Self.keys(fixed) } }
  /// Holidays counted in days from Easter Sunday (Easter Monday is 1).
  public var fromEaster: [Int]
  /// `fixed` as `month * 100 + day`, parsed once: a cold open asks this of some 20 days per hire.
  private var fixedKeys: [Int] = []

  enum CodingKeys: String, CodingKey { case format, weekend, fixed, fromEaster }

  public init(format: Int = 1, weekend: [Int] = [6, 7], fixed: [String] = [], fromEaster: [Int] = []) {
    self.format = format
    self.weekend = weekend
    self.fixed = fixed
    self.fromEaster = fromEaster
    fixedKeys = Self.keys(fixed)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      format: try c.decode(Int.self, forKey: .format), weekend: try c.decode([Int].self, forKey: .weekend),
      fixed: try c.decode([String].self, forKey: .fixed), fromEaster: try c.decode([Int].self, forKey: .fromEaster))
  }

  private static func keys(_ fixed: [String]) -> [Int] { fixed.compactMap { monthDay($0).map { $0.month * 100 + $0.day } } }

  static let relativePath = "sustaining/holidays.json"

  public static func load(storeRoot: String?) throws(ContentError) -> WorkingDays {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    let days = try ContentFiles.decode(WorkingDays.self, from: url, name: name)
    try days.validate(name: name)
    return days
  }

  public func validate(name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    if weekend.contains(where: { !(1...7).contains($0) }) || Set(weekend).count >= 7 {
      throw fail("weekend", "give ISO weekdays from 1 (Monday) to 7 (Sunday), and leave at least one working day.")
    }
    for text in fixed where Self.monthDay(text) == nil {
      throw fail("fixed", "'\(text)' is not a date in the year; write MM-DD, e.g. 12-25.")
    }
    for n in fromEaster where !(-60...60).contains(n) {
      throw fail("fromEaster", "\(n) is not from -60 to 60 days.")
    }
  }

  static func monthDay(_ text: String) -> (month: Int, day: Int)? {
    let parts = text.split(separator: "-")
    guard parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]), (1...12).contains(m),
      (1...LocalDate.daysIn(month: m, year: 2024)).contains(d)
    else { return nil }
    return (m, d)
  }

  /// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm).
  public static func easter(_ year: Int) -> LocalDate {
    let a = year % 19, b = year / 100, c = year % 100
    let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
    let h = (19 * a + b - d - g + 15) % 30
    let i = c / 4, k = c % 4
    let l = (32 + 2 * e + 2 * i - h - k) % 7
    let m = (a + 11 * h + 22 * l) / 451
    let month = (h + l - 7 * m + 114) / 31
    let day = (h + l - 7 * m + 114) % 31 + 1
    return LocalDate(year: year, month: month, day: day)!
  }

  public func isHoliday(_ date: LocalDate) -> Bool {
    if fixedKeys.contains(date.month * 100 + date.day) { return true }
    guard !fromEaster.isEmpty else { return false }
    let easter = Self.easter(date.year)
    return fromEaster.contains { easter.adding(days: $0) == date }
  }

  public func isWorkingDay(_ date: LocalDate) -> Bool { !weekend.contains(date.weekday) && !isHoliday(date) }

  /// The date itself when it is a working day, else the nearest working day after it.
  public func onOrAfter(_ date: LocalDate) -> LocalDate {
    var day = date
    for _ in 0..<14 where !isWorkingDay(day) { day = day.adding(days: 1) }
    return day
  }

  /// The date itself when it is a working day, else the nearest working day before it.
  public func onOrBefore(_ date: LocalDate) -> LocalDate {
    var day = date
    for _ in 0..<14 where !isWorkingDay(day) { day = day.adding(days: -1) }
    return day
  }
}

extension FollowUpCadence {
  /// A meeting moves to a working day: a weekend day or a public holiday is refused, naming the
  /// working days around it.
  public func rescheduleIssues(_ r: Reschedule) -> [ValidationIssue] {
    guard !workingDays.isWorkingDay(r.to) else { return [] }
    return [.init(path: "to", problem: .notAWorkingDay(r.to, before: workingDays.onOrBefore(r.to), after: workingDays.onOrAfter(r.to)))]
  }
}
