import Foundation

/// A calendar date without time or zone (`YYYY-MM-DD`), as used for birth, application and
/// permit dates. Arithmetic is proleptic Gregorian, done on day numbers, independent of locale.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// A date from its parts, or nil when the parts do not name a real day (30 February).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...LocalDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses exactly `YYYY-MM-DD`; nil for anything else, including impossible days.
  public init?(_ text: String) {
    self.init(utf8: Array(text.utf8))
  }

  /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes in memory (not generic: callers in other
  /// modules parse hundreds of thousands of these).
  public init?(bytes: UnsafeBufferPointer<UInt8>) {
    guard let date = LocalDate.parse(bytes) else { return nil }
    self = date
  }

  /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes.
  public init?<Bytes: Collection<UInt8>>(utf8: Bytes) {
    // Index files hold hundreds of thousands of dates: parse in place when the bytes are
    // contiguous, copying only otherwise.
    if let date = utf8.withContiguousStorageIfAvailable({ LocalDate.parse($0) }) {
      guard let date else { return nil }
      self = date
    } else {
      guard let date = Array(utf8).withUnsafeBufferPointer(LocalDate.parse) else { return nil }
      self = date
    }
  }

  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalDate? {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for i in range {
        let b = bytes[i]
        guard (48...57).contains(b) else { return nil }
        value = value * 10 + Int(b - 48)
      }
      return value
    }
    guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
    return LocalDate(year: y, month: m, day: d)
  }

  /// The date `days` days after 1970-01-01.
  public init(daysSinceEpoch days: Int) {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.year = y
    self.month = m
    self.day = d
  }

  /// Days since 1970-01-01 (negative before).
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// `YYYY-MM-DD`, written digit by digit (`String(format:)` was 8 % of a cold open).
  public var description: String {
    String(unsafeUninitializedCapacity: 10) { out in
      func put(_ value: Int, _ at: Int, _ width: Int) {
        var v = value
        for i in stride(from: at + width - 1, through: at, by: -1) {
          out[i] = UInt8(48 + v % 10)
          v /= 10
        }
      }
      put(year, 0, 4)
      out[4] = UInt8(ascii: "-")
      put(month, 5, 2)
      out[7] = UInt8(ascii: "-")
      put(day, 8, 2)
      return 10
    }
  }

  public static func < (a: LocalDate, b: LocalDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// The same day `n` months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
  public func adding(months n: Int) -> LocalDate {
    let index = year * 12 + (month - 1) + n
    let y = index / 12
    let m = index % 12 + 1
    let d = min(day, LocalDate.daysIn(month: m, year: y))
    return LocalDate(year: y, month: m, day: d) ?? self
  }

  /// The ISO weekday: 1 Monday … 7 Sunday.
  public var weekday: Int { ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1 }

  /// The Monday of this date's week.
  public var startOfWeek: LocalDate { adding(days: 1 - weekday) }

  /// The date `n` days later (or earlier for negative `n`).
  public func adding(days n: Int) -> LocalDate {
    LocalDate(daysSinceEpoch: daysSinceEpoch + n)
  }

  /// Days from `self` to `other` (positive when `other` is later).
  public func days(until other: LocalDate) -> Int {
    other.daysSinceEpoch - daysSinceEpoch
  }

  /// Whole months from `self` to `other` (0 when `other` is earlier).
  public func months(until other: LocalDate) -> Int {
    var months = (other.year - year) * 12 + other.month - month
    if other.day < day && other.adding(days: 1).month == other.month { months -= 1 }
    return max(0, months)
  }

  /// Whole years from `self` to `other`, as an age is counted.
  public func years(until other: LocalDate) -> Int {
    var years = other.year - year
    if (other.month, other.day) < (month, day) { years -= 1 }
    return years
  }

  /// Today's date in UTC.
  public static func today(_ now: Date = Date()) -> LocalDate {
    let seconds = Int(now.timeIntervalSince1970.rounded(.down))
    return LocalDate(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
  }
}

extension LocalDate: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = LocalDate(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a real date in the form YYYY-MM-DD (\(text.count) characters)")
    }
    self = date
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
