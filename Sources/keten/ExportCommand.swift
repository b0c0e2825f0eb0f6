import ArgumentParser
import CaseStore
import Casework
import Foundation

/// `keten export ID --format …`: a CV for the person, or the screening summary for a partner.
struct ExportCase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a case's CV (text, Markdown, HTML) or its screening summary for a chain partner.",
    discussion: """
      cv-text is plain text at 80 columns for printing, cv-md Markdown, cv-html one A4 page with a \
      print stylesheet. share writes the standardised screening summary (JSON, see \
      Resources/schema/screening-summary.schema.json) with the text CV inside, and only when the \
      case holds an active consent for --to and --purpose (record one with `keten consent`). \
      Every export is recorded in the case's disclosure log. Files are written 0600.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case cvText = "cv-text", cvMD = "cv-md", cvHTML = "cv-html", share
  }

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "cv-text, cv-md, cv-html or share.") var format: Format
  @Option(help: "Language of the CV: nl or en (default from LC_ALL/LANG).") var lang: String?
  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
  var output: String?
  @Option(help: ArgumentHelp("The recipient (share only), as recorded in the consent.", valueName: "RECIPIENT"))
  var to: String?
  @Option(help: ArgumentHelp("The purpose (share only), as recorded in the consent.", valueName: "PURPOSE"))
  var purpose: String?

  func validate() throws {
    if format == .share {
      if (to ?? "").trimmingCharacters(in: .whitespaces).isEmpty || (purpose ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--format share needs --to RECIPIENT and --purpose PURPOSE.")
      }
    } else if to != nil || purpose != nil {
      throw ValidationError("--to and --purpose are for --format share only.")
    }
  }

  func run() throws {
    try reporting {
      let strings = try loadStrings(lang)
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.root)
      let stored = try store.load(try parseID(id))
      if stored.isReadOnly {
        throw CLIError("\(stored.id) was written by a newer Keten (schema \(stored.document.schemaVersion)); export it with that version.")
      }
      let today = LocalDate.today()
      let user = CurrentUser.login
      let export = try Exporter.make(
        format: format.rawValue, document: stored.document, content: content, strings: strings,
        to: to, purpose: purpose, user: user, today: today)
      // The disclosure is recorded before the data leaves, so nothing is ever sent unlogged.
      var document = stored.document
      document.disclosures.append(export.disclosure)
      _ = try store.save(document, basedOn: stored, by: user)
      if let output {
        do {
          try PrivateFile.write(export.data, to: output)
        } catch {
          throw CLIError("\(error) The disclosure was recorded in \(stored.id); run the export again.")
        }
        FileHandle.standardError.write(Data("Wrote \(output) (\(export.what)); recorded in \(stored.id)'s disclosure log.\n".utf8))
      } else {
        FileHandle.standardOutput.write(export.data)
      }
    }
  }
}

/// Builds an export and the disclosure that records it; refuses a share without consent.
enum Exporter {
  struct Export {
    var data: Data
    var what: String
    var disclosure: Disclosure
  }

  static func make(
    format: String, document d: CaseDocument, content: CaseworkContent, strings: Strings,
    to: String?, purpose: String?, user: String, today: LocalDate, now: Date = Date()
  ) throws -> Export {
    if let cv = CVFormat(rawValue: format) {
      let text = CurriculumVitae(document: d, content: content, strings: strings, today: today).rendered(as: cv)
      let what = "\(cv.rawValue) (\(strings.language.rawValue))"
      return Export(
        data: Data(text.utf8), what: what,
        disclosure: Disclosure(at: now, by: user, recipient: Disclosure.toThePerson, purpose: "cv", what: what, consent: nil))
    }
    let recipient = to ?? ""
    let purpose = purpose ?? ""
    guard let consent = d.activeConsent(recipient: recipient, purpose: purpose, on: today) else {
      let held = d.consents.filter { $0.isActive(on: today) }.map { "\($0.recipient) / \($0.purpose)" }
      let withdrawn = d.consents.contains {
        $0.recipient.lowercased() == recipient.lowercased() && $0.purpose.lowercased() == purpose.lowercased() && $0.withdrawnOn != nil
      }
      throw CLIError(
        "\(d.id) holds no active consent to share with '\(recipient)' for '\(purpose)'"
          + (withdrawn ? " (it was withdrawn)" : "") + "; nothing was written. "
          + (held.isEmpty ? "The case holds no active consents." : "Active consents: \(held.joined(separator: "; ")).")
          + " Record one with: keten consent \(d.id) --to RECIPIENT --purpose PURPOSE --given YYYY-MM-DD --how signed",
        code: 4)
    }
    let summary = ScreeningSummary(
      document: d, consent: consent, content: content, strings: strings, by: user, at: now, today: today)
    let what = "screening-summary+cv-text (\(strings.language.rawValue))"
    return Export(
      data: try summary.json() + Data("\n".utf8), what: what,
      disclosure: Disclosure(
        at: now, by: user, recipient: consent.recipient, purpose: consent.purpose, what: what, consent: consent.id))
  }
}
