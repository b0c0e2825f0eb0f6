import CaseStore
import Foundation
import TextCells

/// The chain report as terminal text with Unicode bar charts, and as formula-safe CSV for
/// funders with small counts masked.
public enum ChainReportText {
  /// Counts from 1 to this minus one are masked in exports, so nobody can be singled out.
  public static let maskBelow = 5

  /// The figure's label in the strings' language.
  public static func label(_ f: ReportFigure, strings: Strings, voorwerk: VoorwerkProgramme) -> String {
    let parts = f.key.split(separator: ".", maxSplits: 1).map(String.init)
    let head = parts[0]
    let tail = parts.count > 1 ? parts[1] : ""
    switch head {
    case "stage": return strings("report.stage", strings.stage(ChainStage(rawValue: tail)!))
    case "move" where ChainStage(rawValue: tail) != nil: return strings("report.move", strings.stage(ChainStage(rawValue: tail)!))
    case "cefr": return tail == "none" ? strings("report.cefr.none") : strings("report.cefr", strings("option.cefr.\(tail)"))
    case "isced": return tail == "none" ? strings("report.isced.none") : strings("report.isced", strings("option.isced.\(tail)"))
    case "recognition": return strings("report.recognition", strings("option.recognition.\(tail)"))
    case "attendance":
      let title = voorwerk.modules.first { $0.id == tail }?.title(strings.language) ?? tail
      return strings("report.attendance", tail, title)
    case "evaluation": return strings("report.evaluation", strings("evaluation.\(tail)"))
    case "outcome": return strings("report.outcome", strings("option.pairOutcome.\(tail)"))
    case "issue": return strings("report.issue", strings("option.issue.\(tail)"))
    case "action": return strings("report.action", strings("option.actionStatus.\(tail)"))
    case "partner": return strings("report.partner", strings("option.partner.\(tail)"))
    case "referral": return tail == "pending" ? strings("report.referral.pending") : strings("report.referral", strings("option.referralOutcome.\(tail)"))
    default: return strings("report.\(f.key)")
    }
  }

  static func percent(_ part: Int, _ of: Int) -> Int? { of == 0 ? nil : Int((Double(part) * 100 / Double(of)).rounded()) }

  /// A bar of `fraction` (0…1) in `width` cells, in eighths.
  public static func bar(_ fraction: Double, width: Int) -> String {
    let eighths = Int((max(0, min(1, fraction)) * Double(width * 8)).rounded())
    let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
  }

  /// The figure's value as text: a count, a share with its parts, a median, hours.
  public static func value(_ f: ReportFigure, strings: Strings) -> String {
    switch f.value {
    case .count: return strings.number(f.n)
    case .share(let of):
      return percent(f.n, of).map { strings("report.value.share", String($0), strings.number(f.n), strings.number(of)) }
        ?? strings("report.value.none")
    case .shareAgainst(let of, let reference):
      guard let p = percent(f.n, of) else { return strings("report.value.none") }
      return strings("report.value.against", String(p), strings.number(f.n), strings.number(of), String(reference))
    case .medianDays(let days):
      return days.map { strings($0 == 1 ? "report.value.day" : "report.value.days", strings.number($0), strings.number(f.n)) }
        ?? strings("report.value.none")
    case .hours(let logged, let planned):
      return strings("report.value.hours", strings.hours(minutes: logged), strings.hours(minutes: planned), strings.number(f.n))
    }
  }

  /// How far the bar goes: the share, or the count against the largest in its section.
  static func fraction(_ f: ReportFigure, max: Int) -> Double? {
    switch f.value {
    case .count: return max == 0 ? 0 : Double(f.n) / Double(max)
    case .share(let of), .shareAgainst(let of, _): return of == 0 ? nil : Double(f.n) / Double(of)
    case .hours(let logged, let planned): return planned == 0 ? nil : Double(logged) / Double(planned)
    case .medianDays: return nil
    }
  }

  /// The gender split of a figure: `f 12 · m 9 · x 1 · ? 0`, or empty when it counts no people.
  static func split(_ f: ReportFigure, strings: Strings) -> String {
    guard !f.byGender.isEmpty else { return "" }
    return Gender.allCases.map { g in
      strings("report.gender.\(g.rawValue)") + " " + strings.number(f.byGender[g] ?? 0)
    }.joined(separator: " · ")
  }

  /// The report as lines of at most `width` columns.
  public static func lines(_ r: ChainReport, strings: Strings, voorwerk: VoorwerkProgramme, width: Int = 100) -> [String] {
    var out = [
      strings("report.title", strings.date(r.period.lowerBound), strings.date(r.period.upperBound))
        + (r.centre.map { " · " + $0 } ?? ""),
      strings("report.scope", strings.number(r.cases)),
    ]
    let labelWidth = 38
    let barWidth = max(8, min(20, width - labelWidth - 34))
    for section in ReportFigure.Section.allCases {
      out.append("")
      out.append(strings("report.section.\(section.rawValue)"))
      let figures = r.figures(section)
      let top = figures.filter { $0.value == .count }.map(\.n).max() ?? 0
      for f in figures {
        let label = TextWidth.pad(TextWidth.truncate(label(f, strings: strings, voorwerk: voorwerk), to: labelWidth - 2), to: labelWidth)
        let bar = fraction(f, max: top).map { TextWidth.pad(Self.bar($0, width: barWidth), to: barWidth) } ?? String(repeating: " ", count: barWidth)
        let line = "  " + label + bar + "  " + value(f, strings: strings)
        let genders = split(f, strings: strings)
        if genders.isEmpty {
          out.append(line)
        } else if TextWidth.width(of: line) + 3 + TextWidth.width(of: genders) <= width {
          out.append(line + "   " + genders)
        } else {
          // Too narrow for both: the split goes on its own line under the value.
          out.append(line)
          out.append(String(repeating: " ", count: labelWidth + barWidth + 4) + genders)
        }
      }
    }
    return out
  }

  /// CSV for funders: one row per figure and group (all, then each gender), counts under 5
  /// masked as `<5` together with any percentage or median that would reveal them.
  public static func csv(_ r: ChainReport, strings: Strings, voorwerk: VoorwerkProgramme) -> String {
    var out = CSV.row(["section", "figure", "label", "group", "n", "of", "percent", "median days", "hours logged", "hours planned"].map(CSV.Cell.text))
    out += CSV.row([.text("period"), .text("from"), .text(r.period.lowerBound.description), .text(""), .text(""), .text(""), .text(""), .text(""), .text(""), .text("")])
    out += CSV.row([.text("period"), .text("to"), .text(r.period.upperBound.description), .text(""), .text(""), .text(""), .text(""), .text(""), .text(""), .text("")])
    // Every figure's counts, and its denominators, are suppressed as a whole (see Suppression):
    // `<5` a count from 1 to 4, `*` masked so that no `<5` follows by subtraction.
    func shown(_ cell: Suppression.Cell) -> String {
      switch cell {
      case .shown(let v): String(v)
      case .primary: "<\(maskBelow)"
      case .secondary: "*"
      }
    }
    for f in r.figures {
      var groups: [(String, Int, Int?)] = [("all", f.n, f.of)]
      if !f.byGender.isEmpty || !f.ofByGender.isEmpty {
        for g in Gender.allCases { groups.append((g.rawValue, f.byGender[g] ?? 0, f.of == nil ? nil : f.ofByGender[g] ?? 0)) }
      }
      let ns = Suppression.suppress(groups.map(\.1), below: maskBelow)
      let ofs = f.of == nil ? nil : Suppression.suppress(groups.map { $0.2 ?? 0 }, below: maskBelow)
      for (i, (group, n, of)) in groups.enumerated() {
        let hidden = ns[i].isMasked || (ofs?[i].isMasked ?? false)
        var cells: [CSV.Cell] = [.text(f.section.rawValue), .text(f.key), .text(label(f, strings: strings, voorwerk: voorwerk)), .text(group), .text(shown(ns[i]))]
        cells.append(.text(ofs.map { shown($0[i]) } ?? ""))
        let share = of.flatMap { percent(n, $0) }
        cells.append(.text(hidden ? "" : share.map(String.init) ?? ""))
        if case .medianDays(let days) = f.value, group == "all" {
          cells.append(.text(hidden ? "" : days.map(String.init) ?? ""))
        } else {
          cells.append(.text(""))
        }
        if case .hours(let logged, let planned) = f.value, group == "all" {
          cells += [.text(hidden ? "" : Strings.plainHours(minutes: logged)), .text(hidden ? "" : Strings.plainHours(minutes: planned))]
        } else {
          cells += [.text(""), .text("")]
        }
        out += CSV.row(cells)
      }
    }
    return out
  }
}
