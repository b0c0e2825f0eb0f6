import CaseStore
import TextCells

/// The group report as lines of text, for the terminal app and `keten training report`.
public enum TrainingReportText {
  /// A bar of `width` cells filled to `percent`, with eighth blocks.
  public static func bar(_ percent: Int, width: Int) -> String {
    let eighths = max(0, min(width * 8, (percent * width * 8 + 50) / 100))
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
    let full = String(repeating: "█", count: eighths / 8)
    return TextWidth.pad(full + partial, to: width).replacingOccurrences(of: " ", with: "░")
  }

  public static func lines(
    _ report: TrainingReport, group: TrainingGroup, programme: VoorwerkProgramme, strings: Strings
  ) -> [String] {
    let lang = strings.language.rawValue
    var out: [String] = [strings("training.report.title", group.name, group.id), ""]
    out.append(strings("training.report.attendance"))
    for (m, a) in zip(programme.modules, report.attendance) {
      let title = TextWidth.pad(TextWidth.truncate("\(m.id) \(m.title(lang))", to: 34), to: 34)
      let recorded = a.present + a.absent + a.excused
      if let rate = a.rate {
        // Present out of those recorded; those not recorded are counted apart, never as absent
        // and never left out of sight.
        var detail = strings("training.report.attendanceDetail", String(a.present), String(recorded), String(a.absent), String(a.excused))
        if a.unrecorded > 0 { detail += " · " + strings("training.report.unrecorded", String(a.unrecorded)) }
        out.append("  \(title) \(bar(rate, width: 10)) \(TextWidth.padLeft(String(rate), to: 3)) %  " + detail)
      } else {
        out.append("  \(title) " + strings("training.report.notRecorded"))
      }
    }
    out.append("")
    out.append(strings("training.report.entryTest"))
    let mix = programme.levels.map { "\($0.title(lang).split(separator: ":").first ?? "") \(report.levelMix[$0.id] ?? 0)" }
    out.append("  " + mix.joined(separator: " · ") + " · " + strings("training.report.untested", String(report.untested)))
    if report.levelSpreadIsWide { out.append("  ⚠ " + strings("training.levelWide")) }
    out.append("")
    out.append(strings("training.report.evaluation"))
    let columns = [report.total] + report.evaluations.filter { $0.count > 0 }
    if report.total.count == 0 {
      out.append("  " + strings("training.report.noEvaluations"))
      return out
    }
    let labels = TrainingGroup.Evaluation.scoreNames.map { strings("evaluation.\($0)") }
      + TrainingGroup.LevelFit.allCases.map { strings("evaluation.level.\($0.rawValue)") }
    let labelWidth = min(36, labels.map { TextWidth.width(of: $0) }.max()! + 2)
    var head = TextWidth.pad("", to: labelWidth + 2)
    for (i, c) in columns.enumerated() {
      let name = i == 0 ? strings("training.report.all") : strings.gender(c.gender)
      head += TextWidth.pad("\(TextWidth.truncate(name, to: 9)) n=\(c.count)", to: 16)
    }
    out.append(head)
    for name in TrainingGroup.Evaluation.scoreNames {
      var row = "  " + TextWidth.pad(TextWidth.truncate(strings("evaluation.\(name)"), to: labelWidth - 1), to: labelWidth)
      for c in columns {
        let mean = c.means[name] ?? 0
        row += TextWidth.pad(strings.decimal(mean) + " " + bar(Int((mean - 1) * 25), width: 5), to: 16)
      }
      out.append(row)
    }
    for fit in TrainingGroup.LevelFit.allCases {
      var row = "  " + TextWidth.pad(TextWidth.truncate(strings("evaluation.level.\(fit.rawValue)"), to: labelWidth - 1), to: labelWidth)
      for c in columns { row += TextWidth.pad(String(c.levelFit[fit] ?? 0), to: 16) }
      out.append(row)
    }
    out.append("  " + strings("training.report.scale"))
    return out
  }
}

