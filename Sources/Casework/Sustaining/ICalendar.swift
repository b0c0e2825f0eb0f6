import CaseStore
import Foundation

/// Writes agenda entries as an RFC 5545 iCalendar: CRLF line ends, lines folded at 75 octets,
/// text escaped, all-day events with a stable UID each, so importing again updates instead of
/// duplicating.
public enum ICalendar {
  /// - Parameters:
  ///   - summary: the event's title (the caller decides whether names go in: an exported calendar
  ///     leaves Keten's protection).
  ///   - stamp: DTSTAMP, the moment of export.
  public static func write(
    _ entries: [AgendaEntry], stamp: Date, summary: (AgendaEntry) -> String, description: (AgendaEntry) -> String = { _ in "" }
  ) -> String {
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Keten//Keten case management//EN", "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
    ]
    let dtstamp = timestamp(stamp)
    for e in entries {
      lines.append("BEGIN:VEVENT")
      lines.append("UID:" + escape(e.uid))
      lines.append("DTSTAMP:" + dtstamp)
      lines.append("DTSTART;VALUE=DATE:" + basic(e.date))
      lines.append("DTEND;VALUE=DATE:" + basic(e.date.adding(days: 1)))
      lines.append("SEQUENCE:\(max(0, e.revision))")
      lines.append("SUMMARY:" + escape(summary(e)))
      // Held meetings stay in the calendar as confirmed events; others are planned.
      lines.append("STATUS:" + (e.held != nil ? "CONFIRMED" : "TENTATIVE"))
      let text = description(e)
      if !text.isEmpty { lines.append("DESCRIPTION:" + escape(text)) }
      lines.append("CATEGORIES:" + escape(e.key))
      lines.append("TRANSP:TRANSPARENT")
      lines.append("END:VEVENT")
    }
    lines.append("END:VCALENDAR")
    return lines.map(fold).joined(separator: "\r\n") + "\r\n"
  }

  /// `YYYYMMDD`.
  static func basic(_ d: LocalDate) -> String { String(format: "%04d%02d%02d", d.year, d.month, d.day) }

  static func timestamp(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
  }

  /// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline.
  static func escape(_ text: String) -> String {
    var out = ""
    for ch in text {
      switch ch {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\n", "\r\n": out += "\\n"
      case "\r": break
      default:
        if let ascii = ch.asciiValue, ascii < 0x20 || ascii == 0x7F { continue }
        out.append(ch)
      }
    }
    return out
  }

  /// Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 3.1).
  static func fold(_ line: String) -> String {
    var out = ""
    var width = 0
    for scalar in line.unicodeScalars {
      let size = String(scalar).utf8.count
      if width + size > 75 {
        out += "\r\n "
        width = 1
      }
      out.unicodeScalars.append(scalar)
      width += size
    }
    return out
  }
}
