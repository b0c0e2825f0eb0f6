import ArgumentParser
import CaseStore
import Casework
import Foundation

/// `keten export ID --format …`: a CV for the person, or the screening summary for a partner.
struct ExportCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a case's CV (text, Markdown, HTML), its action plan, or its screening summary for a chain partner.",
    discussion: """
      cv-text is plain text at 80 columns for printing, cv-md Markdown, cv-html one A4 page with a \
      print stylesheet. share writes the standardised screening summary (JSON, see \
      Resources/schema/screening-summary.schema.json) with the text CV inside, and only when the \
      case holds an active consent for --to and --purpose (record one with `keten consent`). \
      subject-access writes everything held about the person (GDPR art. 15 and 20) — every field \
      of the case file, unknown ones included, their part of training groups and job fairs, \
      consents, disclosures and the journal's entries about the case — as BASE.json and BASE.txt. \
      plan-text and plan-html write the individual action plan for the person (goals, actions, \
      who does them by when, referrals, reviews, agreement), in the language of --lang. \
      Every export is recorded in the case's disclosure log and the journal. Files are written 0600.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case cvText = "cv-text", cvMD = "cv-md", cvHTML = "cv-html", share, subjectAccess = "subject-access"
    case planText = "plan-text", planHTML = "plan-html"
  }

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "cv-text, cv-md, cv-html, share, subject-access, plan-text or plan-html.") var format: Format
  @Option(help: "Language of the CV: nl or en (default from LC_ALL/LANG).") var lang: String?
  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
  var output: String?
  @Option(help: ArgumentHelp("The recipient (share only), as recorded in the consent.", valueName: "RECIPIENT"))
  var to: String?
  @Option(help: ArgumentHelp("The purpose (share only), as recorded in the consent.", valueName: "PURPOSE"))
  var purpose: String?

  func validate() throws {
    if format == .share {
      if (to ?? "").isBlank || (purpose ?? "").isBlank {
        throw ValidationError("--format share needs --to RECIPIENT and --purpose PURPOSE.")
      }
    } else if format == .subjectAccess && (output ?? "").isEmpty {
      throw ValidationError("--format subject-access needs --output BASE; it writes BASE.json and BASE.txt.")
    } else if to != nil || purpose != nil {
      throw ValidationError("--to and --purpose are for --format share only.")
    }
  }

  func run() throws {
    try reporting {
      let strings = try loadStrings(lang)
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let stored = try store.load(try parseID(id))
      if let output {
        let base = format == .subjectAccess ? Self.base(output) : output
        try PrivateFile.checkFolder(of: format == .subjectAccess ? base + ".json" : base)
      }
      if stored.isReadOnly {
        throw CLIError("\(stored.id) was written by a newer Keten (schema \(stored.document.schemaVersion)); export it with that version.")
      }
      let today = LocalDate.today()
      let user = CurrentUser.login
      if format == .subjectAccess {
        try writeSubjectAccess(store: store, stored: stored, user: user)
        return
      }
      let kind: ExportKind
      if let cv = CVFormat(rawValue: format.rawValue) {
        kind = .cv(cv)
      } else if format == .planText || format == .planHTML {
        let services = try servicesByID(store)
        kind = .plan(html: format == .planHTML, services: services)
      } else {
        kind = .share(recipient: to ?? "", purpose: purpose ?? "")
      }
      let export: Export
      do {
        export = try Export(kind, document: stored.document, content: content, strings: strings, by: user, today: today, now: Date())
      } catch let refusal as ShareRefusal {
        throw CLIError(refusal.description, code: 4)
      } catch let none as NoPlan {
        throw CLIError(none.description)
      }
      // The disclosure is recorded before the data leaves, so nothing is ever sent unlogged.
      do {
        try store.disclose(export.disclosure, of: stored) {
          if let output {
            try PrivateFile.write(export.data, to: output)
          } else if export.isJSON {
            FileHandle.standardOutput.write(export.data)
          } else {
            // A CV on the terminal: its text passes through the same filter as every listing.
            writeOut(String(decoding: export.data, as: UTF8.self))
          }
        }
      } catch let failed as ExportNotWritten {
        throw CLIError(Self.notWritten(output ?? "the output", failed.underlying, id: stored.id))
      }
      if let output { writeErr("Wrote \(output) (\(export.what)); recorded in \(stored.id)'s disclosure log.") }
    }
  }

  /// Why an export's file was not written, and what is on record (nothing reached anyone).
  static func notWritten(_ path: String, _ error: any Error, id: CaseID) -> String {
    let why: String
    if case .io(_, _, let code)? = error as? StoreError { why = String(cString: strerror(code)) } else { why = "\(error)" }
    return "Could not write \(path): \(why). Nothing was sent; \(id)'s disclosure log marks it not sent and the journal marks the export failed. Run it again once the cause is fixed."
  }

  /// `--output` without a .json or .txt ending: the subject-access files are BASE.json and BASE.txt.
  static func base(_ output: String) -> String {
    output.hasSuffix(".json") || output.hasSuffix(".txt") ? (output as NSString).deletingPathExtension : output
  }

  /// Records the disclosure, then writes BASE.json and BASE.txt.
  func writeSubjectAccess(store: Store, stored: StoredCase, user: String) throws {
    let now = Date()
    let export = try SubjectAccess(store: store, id: stored.id, by: user, now: now)
    let base = Self.base(output ?? "")
    do {
      try store.disclose(export.disclosure, of: stored, now: now) {
        try PrivateFile.write(export.json, to: base + ".json")
        try PrivateFile.write(Data(export.text.utf8), to: base + ".txt")
      }
    } catch let failed as ExportNotWritten {
      throw CLIError(Self.notWritten(base + ".json", failed.underlying, id: stored.id))
    }
    writeErr("Wrote \(base).json and \(base).txt (subject access); recorded in \(stored.id)'s disclosure log.")
  }
}
