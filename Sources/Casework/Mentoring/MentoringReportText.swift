import CaseStore
import TextCells

/// The mentoring report as lines of text, for the app and `keten mentoring report`.
public enum MentoringReportText {
  public static func lines(_ r: MentoringReport, programme: MentoringProgramme, strings: Strings) -> [String] {
    var out = [strings("mentoring.report.title"), ""]
    out.append(strings("mentoring.report.active", String(r.active), String(r.overdue)))
    out.append(strings("mentoring.report.hours", strings.hours(minutes: r.minutesLogged), strings.hours(minutes: r.minutesPlanned)))
    out.append("")
    out.append(strings("mentoring.report.outcomes"))
    let rows = [r.total] + r.byGender.filter { $0.closed > 0 }
    let label = max(20, ([strings("mentoring.report.positive")] + PairOutcome.allCases.map { strings("option.pairOutcome.\($0.rawValue)") })
      .map { TextWidth.width(of: $0) }.max()! + 2)
    // Columns of 12 cells: all and up to four genders fit in 80 columns.
    let column = 12
    var head = TextWidth.pad("", to: label + 2)
    for (i, row) in rows.enumerated() {
      let name = i == 0 ? strings("training.report.all") : strings.gender(row.gender ?? .unspecified)
      let n = " n=\(row.closed)"
      head += TextWidth.pad(TextWidth.truncate(name, to: column - 1 - n.count) + n, to: column)
    }
    out.append(head)
    for outcome in PairOutcome.allCases {
      var line = "  " + TextWidth.pad(strings("option.pairOutcome.\(outcome.rawValue)"), to: label)
      for row in rows { line += TextWidth.pad(String(row.outcomes[outcome] ?? 0), to: column) }
      out.append(line)
    }
    var line = "  " + TextWidth.pad(strings("mentoring.report.positive"), to: label)
    for row in rows { line += TextWidth.pad(row.percent.map { "\($0) %" } ?? "—", to: column) }
    out.append(line)
    out.append("")
    if let percent = r.total.percent {
      out.append("  " + TrainingReportText.bar(percent, width: 20) + " \(percent) %  " + strings("mentoring.report.us"))
    }
    out.append("  " + TrainingReportText.bar(r.referencePercent, width: 20) + " \(r.referencePercent) %  " + programme.outcomeReference.title(strings.language))
    return out
  }
}
