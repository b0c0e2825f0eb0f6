import CaseStore
import Foundation

/// What to export from a case.
public enum ExportKind: Sendable, Equatable {
  /// A CV for the person themselves.
  case cv(CVFormat)
  /// The screening summary for a chain partner, under the consent for this recipient and purpose.
  case share(recipient: String, purpose: String)
  /// The action plan for the person themselves, as text or as one HTML page (`services`: the
  /// guide, for the names of referrals).
  case plan(html: Bool, services: [String: Service])
}

/// A plan export of a case without an action plan; nothing was written.
public struct NoPlan: Error, CustomStringConvertible {
  public var id: CaseID
  public var description: String { "\(id) has no action plan yet; nothing was written." }
}

/// A share refused because the case holds no active consent for it; nothing was written.
public struct ShareRefusal: Error, CustomStringConvertible {
  public var description: String
}

/// The bytes of an export and the disclosure that records it. The CLI and the app both record
/// the disclosure in the case *before* writing the bytes, so nothing leaves unlogged.
public struct Export: Sendable {
  public var data: Data
  public var what: String
  public var disclosure: Disclosure
  /// A JSON document (a share), printed byte for byte; text formats are for people.
  public var isJSON: Bool = false

  /// Builds an export of `d`; a share without an active consent throws `ShareRefusal`.
  public init(
    _ kind: ExportKind, document d: CaseDocument, content: CaseworkContent, strings: Strings,
    by user: String, today: LocalDate, now: Date
  ) throws {
    let language = strings.language.rawValue
    switch kind {
    case .cv(let format):
      let text = CurriculumVitae(document: d, content: content, strings: strings, today: today).rendered(as: format)
      what = "\(format.rawValue) (\(language))"
      // A CV is read by people (printed, opened in a terminal or a browser): controls and
      // direction overrides in case text are shown visibly, never passed on.
      data = Data(TerminalText.visible(text, multiline: true).utf8)
      disclosure = Disclosure(at: now, by: user, recipient: Disclosure.toThePerson, purpose: "cv", what: what, consent: nil)
    case .plan(let html, let services):
      guard let plan = d.actionPlan else { throw NoPlan(id: d.id) }
      let text = html
        ? PlanText.html(plan, of: d, settings: content.plan, services: services, strings: strings, today: today)
        : PlanText.printable(plan, of: d, settings: content.plan, services: services, strings: strings, today: today)
      what = "action-plan-\(html ? "html" : "text") v\(plan.version) (\(language))"
      data = Data((html ? text : TerminalText.visible(text, multiline: true)).utf8)
      disclosure = Disclosure(at: now, by: user, recipient: Disclosure.toThePerson, purpose: "action-plan", what: what, consent: nil)
    case .share(let recipient, let purpose):
      guard let consent = d.activeConsent(recipient: recipient, purpose: purpose, on: today) else {
        let held = d.consents.filter { $0.isActive(on: today) }.map { "\($0.recipient) / \($0.purpose)" }
        let withdrawn = d.consents.contains {
          $0.recipient.lowercased() == recipient.lowercased() && $0.purpose.lowercased() == purpose.lowercased()
            && $0.withdrawnOn != nil
        }
        throw ShareRefusal(
          description: "\(d.id) holds no active consent to share with '\(recipient)' for '\(purpose)'"
            + (withdrawn ? " (it was withdrawn)" : "") + "; nothing was written. "
            + (held.isEmpty ? "The case holds no active consents." : "Active consents: \(held.joined(separator: "; ")).")
            + " Record one with: keten consent \(d.id) --to RECIPIENT --purpose PURPOSE --given YYYY-MM-DD --how signed")
      }
      let summary = ScreeningSummary(
        document: d, consent: consent, content: content, strings: strings, by: user, at: now, today: today)
      what = "screening-summary+cv-text (\(language))"
      isJSON = true
      data = try summary.json() + Data("\n".utf8)
      disclosure = Disclosure(
        at: now, by: user, recipient: consent.recipient, purpose: consent.purpose, what: what, consent: consent.id)
    }
  }
}
