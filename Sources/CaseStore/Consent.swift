import Foundation

/// A person's consent to share their data with one recipient for one purpose (GDPR art. 6–7, 9).
public struct Consent: Codable, Equatable, Sendable, Identifiable {
  public var id: String
  public var recipient: String
  public var purpose: String
  public var givenOn: LocalDate
  public var how: ConsentForm
  /// The witness of a verbal consent.
  public var witness: String?
  public var withdrawnOn: LocalDate?
  public var recordedBy: String

  public init(
    id: String, recipient: String, purpose: String, givenOn: LocalDate, how: ConsentForm,
    witness: String? = nil, recordedBy: String
  ) {
    self.id = id
    self.recipient = recipient
    self.purpose = purpose
    self.givenOn = givenOn
    self.how = how
    self.witness = witness
    self.recordedBy = recordedBy
  }

  /// True when the consent was given on or before `date` and not withdrawn by then.
  public func isActive(on date: LocalDate) -> Bool {
    givenOn <= date && (withdrawnOn.map { $0 > date } ?? true)
  }
}

public enum ConsentForm: String, StoredCode, CaseIterable, Sendable {
  case signed
  case verbalWithWitness = "verbal-with-witness"
}

/// A record that data of the case left the app: who sent what to whom, when, and why.
public struct Disclosure: Codable, Equatable, Sendable {
  public var at: Date
  public var by: String
  public var recipient: String
  public var purpose: String
  /// What was disclosed, e.g. `screening-summary+cv-text`.
  public var what: String
  /// The consent that allowed it; nil for a CV handed to the person themselves.
  public var consent: String?
  /// True when writing the export failed after this was recorded: nothing reached the recipient.
  public var notSent: Bool?

  /// The recipient of a CV printed or saved for the person themselves.
  public static let toThePerson = "self"

  public init(at: Date, by: String, recipient: String, purpose: String, what: String, consent: String?) {
    self.at = at
    self.by = by
    self.recipient = recipient
    self.purpose = purpose
    self.what = what
    self.consent = consent
  }
}

extension CaseDocument {
  /// The active consent for exactly this recipient and purpose (compared without case or
  /// surrounding spaces), if any.
  public func activeConsent(recipient: String, purpose: String, on date: LocalDate) -> Consent? {
    func same(_ a: String, _ b: String) -> Bool {
      a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
    }
    return consents.last {
      same($0.recipient, recipient) && same($0.purpose, purpose) && $0.isActive(on: date)
    }
  }

  /// Records a consent and returns its id.
  @discardableResult
  public mutating func addConsent(
    recipient: String, purpose: String, givenOn: LocalDate, how: ConsentForm, witness: String?,
    by user: String
  ) -> String {
    let id = Screening.nextID("c", after: consents.map(\.id))
    consents.append(
      Consent(
        id: id, recipient: recipient, purpose: purpose, givenOn: givenOn, how: how,
        witness: witness, recordedBy: user))
    return id
  }
}
