import ArgumentParser
import CaseStore
import Casework
import Foundation

/// `keten report`: the chain report for a period, as text with bar charts or as CSV.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The chain report: funnel, screening, VOORwerk, mentoring and sustaining, by gender, with n.",
    discussion: """
      Counts the cases you may see that were open in the period (default: this year so far). \
      --csv writes one row per figure and gender for a spreadsheet, counts under 5 masked as <5 \
      (with the percentages that would reveal them) and formula-safe; the export is journalled.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Option(help: ArgumentHelp("First day (default 1 January of this year).", valueName: "YYYY-MM-DD")) var from: String?
  @Option(help: ArgumentHelp("Last day (default today).", valueName: "YYYY-MM-DD")) var to: String?
  @Option(help: "Only cases and groups of this centre.") var centre: String?
  @Flag(help: "Print CSV for funders (small counts masked).") var csv = false
  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
  var output: String?
  @Option(help: "Language: nl or en.") var lang: String?

  func run() throws {
    try reporting {
      let strings = try loadStrings(lang)
      let today = LocalDate.today()
      let start = try parseDateOption("--from", from) ?? LocalDate(year: today.year, month: 1, day: 1)!
      let end = try parseDateOption("--to", to) ?? today
      guard start <= end else { throw CLIError("--from \(start) is after --to \(end).") }
      if let output { try PrivateFile.checkFolder(of: output) }
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let listing = try store.list()
      reportDamaged(listing.damaged)
      let groups = try readRecords(store, TrainingGroup.self).map(\.record)
      let report = ChainReport(
        summaries: listing.cases, groups: groups, voorwerk: content.voorwerk, mentoring: content.mentoring,
        period: start...end, today: today, centre: centre)
      let text: String
      if csv {
        text = ChainReportText.csv(report, strings: strings, voorwerk: content.voorwerk)
          + (Incomplete.leftOut.isEmpty ? "" : CSV.row([.text(Incomplete.note)]))
        Incomplete.machineFormat = true
        try store.journal.append(
          JournalEntry(at: Date(), user: CurrentUser.login, action: .export, detail: "chain report \(start)–\(end) as CSV (\(report.cases) cases)"))
      } else {
        text = ChainReportText.lines(report, strings: strings, voorwerk: content.voorwerk).map(\.oneLine).joined(separator: "\n") + "\n"
          + (Incomplete.leftOut.isEmpty ? "" : Incomplete.note + "\n")
        Incomplete.machineFormat = true
      }
      if let output {
        try PrivateFile.write(Data(text.utf8), to: output)
      } else {
        writeOut(text)
      }
    }
  }
}
