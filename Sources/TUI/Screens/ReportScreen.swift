import CaseStore
import Casework
import Foundation
import TextCells

/// The chain report on screen: the same figures as `keten report`, over the cases the user may
/// see, for a period chosen with a key; worked out when opened or when the period changes.
public struct ReportState: Sendable {
  public enum Period: String, Sendable, CaseIterable {
    case yearToDate, last12Months, lastQuarter, previousYear

    func range(today: LocalDate) -> ClosedRange<LocalDate> {
      switch self {
      case .yearToDate: return LocalDate(year: today.year, month: 1, day: 1)!...today
      case .last12Months: return today.adding(months: -12).adding(days: 1)...today
      case .lastQuarter: return today.adding(months: -3).adding(days: 1)...today
      case .previousYear: return LocalDate(year: today.year - 1, month: 1, day: 1)!...LocalDate(year: today.year - 1, month: 12, day: 31)!
      }
    }
  }

  public var period: Period = .yearToDate
  public var scroll = 0
  public var report: ChainReport?
  /// The lines as last laid out, and the width they were laid out for.
  var lines: [String] = []
  var width = 0
}

extension AppState {
  mutating func openReport() -> [Effect] {
    closeScreens()
    report = ReportState()
    rebuildReport()
    return [.loadRecords]
  }

  /// Works the figures out again from the case list and the groups (on open, after a load,
  /// when the period changes).
  mutating func rebuildReport() {
    guard let r = report, records.loaded else { return }
    let figures = ChainReport(
      summaries: list.all, groups: records.groups.map(\.record), voorwerk: content.voorwerk, mentoring: content.mentoring,
      period: r.period.range(today: today), today: today)
    report!.report = figures
    report!.lines = ChainReportText.lines(figures, strings: strings, voorwerk: content.voorwerk, width: columns - 2)
    report!.width = columns
  }

  mutating func handleReport(_ action: KeyAction) -> [Effect] {
    guard let r = report else { return [] }
    let page = max(1, rows - 5)
    let last = max(0, r.lines.count - page)
    switch action {
    case .down: report!.scroll = min(last, r.scroll + 1)
    case .up: report!.scroll = max(0, r.scroll - 1)
    case .pageDown: report!.scroll = min(last, r.scroll + page)
    case .pageUp: report!.scroll = max(0, r.scroll - page)
    case .first: report!.scroll = 0
    case .last: report!.scroll = last
    case .period:
      let all = ReportState.Period.allCases
      report!.period = all[(all.firstIndex(of: r.period)! + 1) % all.count]
      report!.scroll = 0
      rebuildReport()
    case .reload:
      showInfo(strings("list.reread"))
      return [.reloadList, .loadRecords]
    case .back:
      report = nil
    case .command:
      prompt = Prompt(kind: .command)
    default:
      break
    }
    return []
  }

  func renderReport(into buffer: inout ScreenBuffer) {
    guard let r = report else { return }
    let range = r.period.range(today: today)
    buffer.put(
      strings("report.screenTitle", strings("report.period.\(r.period.rawValue)"), strings.date(range.lowerBound), strings.date(range.upperBound)),
      row: 1, column: 1, width: columns - 2, style: .title)
    // The title line of the text is on row 1 already; the rest scrolls below it.
    let top = 3
    guard r.report != nil else {
      buffer.put(records.waiting(strings), row: top, column: 1, width: columns - 2, style: records.failure == nil ? .hint : .error)
      return
    }
    let body = Array(r.lines.dropFirst())
    let height = rows - top - 2
    for (i, line) in body.dropFirst(r.scroll).prefix(height).enumerated() {
      let isHeading = !line.isEmpty && !line.hasPrefix(" ") && i + r.scroll > 0
      buffer.put(line, row: top + i, column: 1, width: columns - 2, style: isHeading ? .heading : .plain)
    }
  }
}
