import ArgumentParser
import CaseStore
import Casework
import Foundation

/// `keten consent ID …`: list, record or withdraw consents to share.
struct ConsentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consent",
    abstract: "List a case's consents and disclosures, record a consent, or withdraw one.",
    discussion: """
      Without options: list. To record: --to RECIPIENT --purpose PURPOSE --given YYYY-MM-DD \
      --how signed|verbal-with-witness [--witness NAME]. To withdraw: --withdraw CONSENT-ID [--on \
      YYYY-MM-DD]; a withdrawn consent stops further sharing for its purpose and stays on record.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "Who receives the data, e.g. VDAB.") var to: String?
  @Option(help: "What for, e.g. job-matching.") var purpose: String?
  @Option(help: ArgumentHelp("When the consent was given.", valueName: "YYYY-MM-DD")) var given: String?
  @Option(help: "signed or verbal-with-witness.") var how: String?
  @Option(help: "The witness of a verbal consent.") var witness: String?
  @Option(help: ArgumentHelp("Withdraw this consent (its id, e.g. c1).", valueName: "CONSENT-ID")) var withdraw: String?
  @Option(help: ArgumentHelp("Date of the withdrawal (default today).", valueName: "YYYY-MM-DD")) var on: String?

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.load(try parseID(id))
      if stored.isPartial && !stored.sections.contains(.consents) {
        throw CLIError(
          "Consents and disclosures are not visible for your role (\(store.viewer?.role.rawValue ?? "")); a case worker or coordinator can show them.",
          code: 5)
      }
      var d = stored.document
      let today = LocalDate.today()
      let user = CurrentUser.login
      if let withdraw {
        guard let i = d.consents.firstIndex(where: { $0.id == withdraw }) else {
          let ids = d.consents.map(\.id)
          throw CLIError("\(d.id) has no consent '\(withdraw)'; " + (ids.isEmpty ? "it has none." : "its consents are \(ids.joined(separator: ", "))."))
        }
        if let already = d.consents[i].withdrawnOn { throw CLIError("Consent \(withdraw) was already withdrawn on \(already).") }
        d.consents[i].withdrawnOn = try parseDateOption("--on", on) ?? today
      } else if to != nil || purpose != nil || given != nil || how != nil {
        guard let to, let purpose, let given, let how else {
          throw CLIError("To record a consent give --to, --purpose, --given and --how (signed or verbal-with-witness).")
        }
        try requireOneLine("--to", to)
        try requireOneLine("--purpose", purpose)
        try requireOneLine("--witness", witness)
        guard let form = ConsentForm(rawValue: how) else {
          throw CLIError("--how '\(how)' is not allowed; use signed or verbal-with-witness.")
        }
        d.addConsent(
          recipient: to.trimmingCharacters(in: .whitespaces), purpose: purpose.trimmingCharacters(in: .whitespaces),
          givenOn: try parseDateOption("--given", given)!, how: form, witness: witness, by: user)
      } else {
        try journalRead(store, "consents and disclosures", case: d.id)
        print(listing(d), terminator: "")
        return
      }
      if let issue = d.validationIssues(today: today).first(where: { $0.path.hasPrefix("consents") }) {
        throw CLIError("\(issue.path): \(issue.problem.message)")
      }
      let saved = try store.save(d, basedOn: stored, by: user)
      print(listing(saved.document), terminator: "")
    }
  }

  func listing(_ d: CaseDocument) -> String {
    var out = "Consents of \(d.id):\n"
    if d.consents.isEmpty { out += "  none\n" }
    for c in d.consents {
      out += "  \(c.id)  \(c.recipient.oneLine) / \(c.purpose.oneLine)  given \(c.givenOn) (\(c.how.rawValue)"
      out += (c.witness.map { ", witness \($0)" } ?? "") + ")"
      out += c.withdrawnOn.map { "  withdrawn \($0)" } ?? ""
      out += "\n"
    }
    out += "Disclosures:\n"
    if d.disclosures.isEmpty { out += "  none\n" }
    for x in d.disclosures {
      let to = x.recipient == Disclosure.toThePerson ? "the person (\(x.purpose == "cv" ? "CV" : x.purpose.oneLine))" : "\(x.recipient.oneLine) / \(x.purpose.oneLine)"
      out += "  \(Timestamp.format(x.at))  \(x.by) → \(to): \(x.what)" + (x.consent.map { " [consent \($0)]" } ?? "") + (x.notSent == true ? " — NOT SENT (writing the file failed)" : "") + "\n"
    }
    return out
  }
}
