import Foundation

/// ISO 8601 timestamps in UTC with whole seconds, as stored in `createdAt`, `updatedAt` and notes.
public enum Timestamp {
  /// `2026-03-01T09:30:00Z` for the given instant.
  public static func format(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let rest = Int(seconds - days * 86_400)
    let day = LocalDate(daysSinceEpoch: Int(days))
    let clock = [rest / 3600, (rest / 60) % 60, rest % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }
    return "\(day)T\(clock[0]):\(clock[1]):\(clock[2])Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds allowed), or nil when malformed.
  public static func parse(_ text: String) -> Date? {
    var text = text
    if let date = text.withUTF8(parseWholeSeconds) { return date }
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
      let day = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)),
      let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
      let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)),
      let second = Double(String(decoding: bytes[17..<(bytes.count - 1)], as: UTF8.self)),
      (0..<24).contains(hour), (0..<60).contains(minute), second >= 0, second < 61
    else { return nil }
    let total = Double(day.daysSinceEpoch) * 86_400 + Double(hour * 3600 + minute * 60) + second
    return Date(timeIntervalSince1970: total)
  }

  /// The store's own form, `YYYY-MM-DDTHH:MM:SSZ` with whole seconds, read digit by digit;
  /// nil for any other text (which `parse` then reads the long way).
  static func parseWholeSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
    guard b.count == 20, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
      b[19] == UInt8(ascii: "Z"), let day = LocalDate(bytes: UnsafeBufferPointer(rebasing: b[0..<10]))
    else { return nil }
    func two(_ at: Int) -> Int? {
      let (h, l) = (b[at] &- 48, b[at + 1] &- 48)
      return h < 10 && l < 10 ? Int(h) * 10 + Int(l) : nil
    }
    guard let hour = two(11), let minute = two(14), let second = two(17), hour < 24, minute < 60, second < 61 else { return nil }
    return Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second))
  }

  /// The current instant truncated to whole seconds, so that it survives a save and load.
  public static func now() -> Date {
    Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
  }
}
